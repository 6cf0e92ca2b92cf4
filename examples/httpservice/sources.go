package main

import (
	"context"
	"iter"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// SubjectEventser is what the export reads the audit trail through: the
// Guard's SubjectEvents (rule N9).
type SubjectEventser interface {
	SubjectEvents(ctx context.Context, subject privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error]
}

// auditSource is the audit trail as the export's rights.AuditSource (rule
// N9: a client may ask who accessed their data).
type auditSource struct{ trail SubjectEventser }

func (s auditSource) SubjectEvents(ctx context.Context, subject privacy.SubjectID) iter.Seq2[privacy.Event, error] {
	return s.trail.SubjectEvents(ctx, subject, 0)
}
