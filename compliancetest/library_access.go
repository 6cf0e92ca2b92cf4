package compliancetest

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// principal is by as package access sees it: the principal with its
// assignments.
func principal(by Actor) *access.Principal {
	return access.NewPrincipal(by.Principal, by.Cases, by.Employers)
}

// Write implements [System]: the access guard decides every field of the
// record (rules N1, O8, R7, R8, R12, O4, O6, O7, N4 …) and audits it, then
// the case file checks and stores it (O5, R4, R5, O2, N5).
func (l *LibrarySystem) Write(ctx context.Context, by Actor, r privacy.Record) error {
	const op = "compliancetest: write"
	if r.Author != by.ID {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "author", Msg: "the author is not the principal who writes"}
	}
	if r.Category.Special() {
		// Rule O5: the case file refuses a special category
		// (privacy.ErrProhibitedCategory) before anything is stored. It
		// is not put to the guard field by field below: a special
		// category has no fields, so the guard would reject each
		// per-field request as malformed (privacy.ErrInvalid) instead of
		// refusing it, and audit nothing. The refusal is therefore not in
		// the audit trail; the guard does decide and audit a special
		// category asked without a field (denied by O5), and the
		// subject's export shows such an entry (N9).
		return l.dossiers.AddRecord(ctx, privacy.Act{By: by.Principal, At: r.Created}, r)
	}
	c, err := l.dossiers.Case(ctx, r.Case)
	if err != nil {
		return err
	}
	purpose := r.Purpose
	if purpose == "" {
		purpose = c.Purpose
	}
	p := principal(by)
	base := access.Request{Principal: p, Case: &c, Action: privacy.ActionWrite, Category: r.Category,
		Purpose: purpose, Time: r.Created, Object: string(r.ID), Create: true}
	reqs := []access.Request{base}
	if len(r.Fields) > 0 {
		// One decision per field: an employer may write some fields of a
		// category and not others (N1).
		reqs = reqs[:0]
		for _, f := range slices.Sorted(maps.Keys(r.Fields)) {
			q := base
			q.Field = f
			reqs = append(reqs, q)
		}
	}
	ds, err := l.guard.CheckAll(ctx, reqs)
	if err != nil {
		return err
	}
	for i, d := range ds {
		if !d.Allowed {
			return &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: d.Rule, Path: "fields." + string(reqs[i].Field), Msg: d.Reason}
		}
	}
	return l.dossiers.AddRecord(ctx, privacy.Act{By: by.Principal, At: r.Created}, r)
}

// consented answers rule O10's question for the guard: did the subject of
// c consent, in writing, to party, an employer, learning of it?
func consentQuery(c privacy.Case, party privacy.PartyID, at time.Time) consent.Query {
	return consent.Query{Subject: c.Subject, Recipient: consent.Recipient{Party: party, Kind: privacy.PartyEmployer},
		Category: privacy.CategoryConsultation, Case: c.ID, At: at}
}

// View implements [System]: the access guard's redacted, audited view.
func (l *LibrarySystem) View(ctx context.Context, by Actor, c privacy.CaseID, purpose privacy.Purpose, at time.Time) ([]privacy.Record, error) {
	req := access.ViewRequest{Principal: principal(by), Case: c, Purpose: purpose, Time: at}
	if by.Role == privacy.RoleEmployerContact {
		cs, err := l.dossiers.Case(ctx, c)
		if err != nil {
			return nil, err
		}
		if req.Consent, err = l.registry.Consents(ctx, consentQuery(cs, by.Party, at)); err != nil {
			return nil, err
		}
	}
	v, err := l.guard.View(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make([]privacy.Record, 0, len(v.Records))
	for _, rv := range v.Records {
		r := privacy.Record{ID: rv.ID, Case: v.Case.ID, Subject: v.Case.Subject, Category: rv.Category, Author: rv.Author,
			Source: rv.Source, Purpose: v.Case.Purpose, Created: rv.Created, Updated: rv.Updated,
			Fields: make(map[privacy.Field]string, len(rv.Fields))}
		for _, f := range rv.Fields {
			r.Fields[f.Field] = f.Value
		}
		out = append(out, r)
	}
	return out, nil
}

// Cases implements [System]: the access guard's audited listing, with the
// consent registry answering rule O10's question for each case.
func (l *LibrarySystem) Cases(ctx context.Context, by Actor, s privacy.SubjectID, at time.Time) ([]privacy.CaseID, error) {
	cases, err := l.dossiers.SubjectCases(ctx, s)
	if err != nil {
		return nil, err
	}
	grants, err := l.registry.Grants(ctx, s)
	if err != nil {
		return nil, err
	}
	decider := l.registry.Decider()
	consented := access.ConsentFunc(func(c privacy.Case, party privacy.PartyID) bool {
		return decider.Consents(consentQuery(c, party, at), grants)
	})
	shown, err := l.guard.List(ctx, access.ListRequest{Principal: principal(by), Time: at, Consent: consented}, cases)
	if err != nil {
		return nil, err
	}
	out := make([]privacy.CaseID, len(shown))
	for i, c := range shown {
		out[i] = c.ID
	}
	return out, nil
}

// AuditTrail implements [System].
func (l *LibrarySystem) AuditTrail(ctx context.Context, s privacy.SubjectID) ([]privacy.Event, error) {
	var out []privacy.Event
	for e, err := range l.guard.SubjectEvents(ctx, s, 0) {
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// GroupFigure implements [System]: the access guard's absence rate, or
// its refusal (N12).
func (l *LibrarySystem) GroupFigure(ctx context.Context, by Actor, employer privacy.PartyID, members []privacy.SubjectID, from, to, at time.Time) (float64, error) {
	f, err := l.guard.GroupFigure(ctx, access.GroupRequest{Principal: principal(by), Employer: employer,
		Figure: access.FigureAbsenceRate, Members: slices.Clone(members), From: from, To: to, Time: at})
	if err != nil {
		return 0, err
	}
	return f.Value, nil
}
