package export

import (
	"context"
	"iter"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// EventTrail is an audit trail that reads a subject's events from a
// sequence number on, as access.Guard and access.Store do.
type EventTrail interface {
	SubjectEvents(ctx context.Context, subject privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error]
}

// FromAudit returns the [AuditSource] of an audit trail: every event about
// the subject, from the first on (rule N9: a client may ask who accessed
// their data).
func FromAudit(trail EventTrail) AuditSource { return auditSource{trail} }

type auditSource struct{ trail EventTrail }

func (a auditSource) SubjectEvents(ctx context.Context, subject privacy.SubjectID) iter.Seq2[privacy.Event, error] {
	return a.trail.SubjectEvents(ctx, subject, 1)
}
