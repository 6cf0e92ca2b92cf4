package dossierwacht

import (
	"context"
	"errors"
	"io"
	"slices"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// FileRequest files a data subject's request (access, copy,
// rectification, erasure, restriction, portability) as of now, with its
// deadline counted to the day (rules R11, O13, G2). Staff may set
// f.Received before now (a letter that arrived yesterday: the deadline runs
// from then), never after, nor before the subject was registered; a
// subject's own request is received now. The subject files their own request; the service's
// staff file the requests they receive; the desk refuses anyone else and
// audits every step (package rights).
func (s *Service) FileRequest(ctx context.Context, a *Actor, f rights.Filing) (rights.Request, error) {
	if err := s.checkActor(ctx, verbFileRequest, a); err != nil {
		return rights.Request{}, err
	}
	now := s.now()
	if f.Received.IsZero() || a.Role == privacy.RoleSubject {
		// A subject's own request arrives as it is filed: the deadline
		// runs from now, whatever the call says (R11, O13, G2).
		f.Received = now
	}
	if subj, err := s.dossiers.Subject(ctx, f.Subject); err == nil && f.Received.Before(subj.Created) {
		// Staff record when a letter arrived, never before the service
		// knew the subject: a request born overdue could not be answered
		// or extended in time (G2). A missing subject is the desk's to
		// answer, as a hidden one.
		return rights.Request{}, &privacy.Error{Op: "dossierwacht: " + string(verbFileRequest), Kind: privacy.ErrInvalid,
			Path: "received", Msg: "before the subject was registered"}
	}
	r, err := s.desk.File(ctx, act(a, now, ""), f)
	return r, s.clashed(ctx, s.event(a, privacy.EventCreate, f.Subject, "", string(f.ID), privacy.O13, false), err)
}

// audit appends e, the event of an operation that has taken effect.
func (s *Service) audit(ctx context.Context, e privacy.Event) error {
	_, err := s.store.AppendEvents(ctx, e)
	return err
}

// ExtendRequest extends a request's deadline by the policy's extension,
// as of now, with the reasons the subject is told (rule G2); refused once
// the first period has passed, and always under a policy that applies
// regulation R (R11: four weeks, unextended). Case managers, physicians
// and the privacy officer decide requests.
func (s *Service) ExtendRequest(ctx context.Context, a *Actor, id rights.RequestID, reason string) (rights.Request, error) {
	if err := s.checkActor(ctx, verbDecideRequest, a); err != nil {
		return rights.Request{}, err
	}
	return s.desk.Extend(ctx, act(a, s.now(), ""), id, rights.Extension{Reason: reason})
}

// RefuseRequest refuses a request on a ground its kind allows, with
// reasons (rules O13, G2, G3); the subject's notice names the right to
// complain.
func (s *Service) RefuseRequest(ctx context.Context, a *Actor, id rights.RequestID, ground rights.Ground, reason string) (rights.Request, error) {
	if err := s.checkActor(ctx, verbDecideRequest, a); err != nil {
		return rights.Request{}, err
	}
	return s.desk.Refuse(ctx, act(a, s.now(), ""), id, rights.Refusal{Ground: ground, Reason: reason})
}

// ConfirmRequest records the written confirmation of a request that
// arrived in another form (rules R11, O13).
func (s *Service) ConfirmRequest(ctx context.Context, a *Actor, id rights.RequestID, document string) (rights.Request, error) {
	if err := s.checkActor(ctx, verbDecideRequest, a); err != nil {
		return rights.Request{}, err
	}
	return s.desk.ConfirmWritten(ctx, act(a, s.now(), ""), id, rights.Confirmation{Document: document})
}

// AnswerRequest answers an access, copy, portability or restriction
// request as of now (rules R11, O13, G1, G5): what was done, and a fee
// in euro cents for a further copy only (N11). Rectification and erasure
// are answered by [Service.Rectify] and [Service.Erase].
func (s *Service) AnswerRequest(ctx context.Context, a *Actor, id rights.RequestID, reason string, feeCents int64) (rights.Request, error) {
	if err := s.checkActor(ctx, verbDecideRequest, a); err != nil {
		return rights.Request{}, err
	}
	return s.desk.Answer(ctx, act(a, s.now(), ""), id, rights.Answer{Reason: reason, FeeCents: feeCents})
}

// Rectify grants a rectification request (rule O13): the corrections are
// planned, each corrected record is decided for a as a write (only who
// may write a record corrects it), applied as of now, told to the
// recipients who received the data (G4, in the plan's Notify) and the
// request answered. It returns the plan.
func (s *Service) Rectify(ctx context.Context, a *Actor, id rights.RequestID, corrections rights.Corrections, reason string) (rights.Plan, error) {
	if err := s.checkActor(ctx, verbDecideRequest, a); err != nil {
		return rights.Plan{}, err
	}
	now := s.now()
	plan, err := s.desk.Plan(ctx, act(a, now, ""), id, corrections)
	if err != nil {
		return rights.Plan{}, err
	}
	for _, ch := range plan.Changes {
		r, err := s.lookup(ctx, ch.Record, ch.Category)
		if err != nil {
			return rights.Plan{}, err
		}
		c, pic, err := s.seen(ctx, verbDecideRequest, a, r.Case)
		if err != nil {
			return rights.Plan{}, err
		}
		for f, val := range corrections[ch.Record] {
			r.Fields[f] = val
		}
		if err := s.decideWrite(ctx, a, &c, pic, &r, false, now); err != nil {
			return rights.Plan{}, err
		}
	}
	if err := s.desk.Apply(ctx, act(a, now, ""), plan); err != nil {
		return rights.Plan{}, err
	}
	if _, err := s.desk.Answer(ctx, act(a, now, ""), id, rights.Answer{Reason: reason, Plan: &plan}); err != nil {
		return rights.Plan{}, err
	}
	return plan, nil
}

// Erase grants an erasure request (rules R9, O13, N8): what the law keeps
// stays, with its ground (G3); the rest is deleted now through retention,
// each deletion with a proof and an audit event, and the recipients who
// received it are listed to be told (G4). When the law keeps everything
// asked for, the request is refused on that ground and the error names
// G3 (or, where a restriction of processing the subject asked for keeps
// it, privacy.RuleRestriction). Only the privacy officer carries out
// erasures (package retention). Like [Service.Sweep], it runs only on a
// time its clock confirms (O12): while the clock reads more than a minute
// behind the Service's time it is refused with [privacy.ErrConflict],
// audited, and deletes nothing.
func (s *Service) Erase(ctx context.Context, a *Actor, id rights.RequestID, reason string) (rights.Plan, error) {
	// Rules O13, R9, G3: only the privacy officer carries out erasures,
	// decided before the request is read, so that no one else learns its
	// plan or changes its state.
	if err := s.officer(ctx, verbErasure, a, "", string(id), privacy.EventExecute); err != nil {
		return rights.Plan{}, err
	}
	// Rules O12, N7, R9: an erasure weighs statutory periods at now and
	// deletes for good; it runs only on a time the clock confirms.
	now, err := s.confirmedNow(ctx, verbErasure, a, string(id))
	if err != nil {
		return rights.Plan{}, err
	}
	plan, err := s.desk.Plan(ctx, act(a, now, ""), id, nil)
	if err != nil {
		return rights.Plan{}, err
	}
	if !slices.ContainsFunc(plan.Changes, func(c rights.Change) bool { return c.Erase }) {
		ground, rule := rights.GroundStatutoryRetention, privacy.G3
		if len(plan.Keeps) > 0 {
			ground, rule = plan.Keeps[0].Ground, plan.Keeps[0].Rule
		}
		msg := "the law keeps the data: " + string(ground)
		if ground == rights.GroundRestricted {
			msg = "a restriction of processing keeps the data as it is: lift it first"
		}
		if _, err := s.desk.Refuse(ctx, act(a, now, ""), id, rights.Refusal{Ground: ground, Reason: msg}); err != nil {
			return plan, err
		}
		return plan, forbidden(verbErasure, rule, msg)
	}
	if err := s.desk.Apply(ctx, act(a, now, ""), plan); err != nil {
		return rights.Plan{}, err
	}
	if _, err := s.desk.Answer(ctx, act(a, now, ""), id, rights.Answer{Reason: reason, Plan: &plan}); err != nil {
		return rights.Plan{}, err
	}
	return plan, nil
}

// ExportOptions adjust [Service.Export].
type ExportOptions struct {
	// Format is export.FormatJSON (the default: rule G5) or
	// export.FormatHTML; Lang the language of the HTML page (Dutch by
	// default).
	Format export.Format
	Lang   export.Lang
	// Request names the access, copy or portability request the export
	// answers, if any.
	Request rights.RequestID
	// ReleasedBy is the physician who releases the medical file to the
	// subject (rules O13, O6). It must be the actor who runs the export
	// (the same ID, a physician): the release is that actor's own, and any
	// other export with a release is refused as that of a missing subject
	// is, audited with O13. Only the records of cases that physician may
	// read now — assigned, bound to medical secrecy, signed in with a
	// second factor (G8, N6) — are released; the others are listed
	// without content, pending release.
	ReleasedBy *Actor
}

// Export writes everything held about subject to w, as of now (rules R11,
// O13, G1, G5, N9): the subject exports their own data; the physician who
// releases the medical file (opts.ReleasedBy is the actor) where the
// policy lets it export the medical file of every case of the subject (O6:
// assigned, medical secrecy, a second factor), to hand to the subject;
// anyone else only where the policy lets them export every case of the
// subject. Any other export fails exactly as that of a missing subject,
// with privacy.ErrNotFound. The export, and every refusal with the rule
// that decided, is audited.
func (s *Service) Export(ctx context.Context, a *Actor, subject privacy.SubjectID, w io.Writer, opts *ExportOptions) (export.Totals, error) {
	const v = verb("export")
	if err := s.checkActor(ctx, v, a); err != nil {
		return export.Totals{}, err
	}
	if w == nil {
		return export.Totals{}, &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrInvalid, Path: "w", Msg: "no writer"}
	}
	if opts == nil {
		opts = &ExportOptions{}
	}
	now := s.now()
	e := s.event(a, privacy.EventExecute, subject, "", string(subject), privacy.G1, true)
	if r := opts.ReleasedBy; r != nil && (r.ID != a.ID || r.Role != a.Role || a.Role != privacy.RolePhysician) {
		// Rules O13, O6: the medical file reaches the subject through the
		// physician, who releases it by running the export; an actor
		// value passed along by someone else is no release. The library
		// does not authenticate (R12): the actor that acts is the one the
		// service vouches for, so only it can release.
		// Refused as every other export that may not be made: as that of
		// a missing subject, the rule in the audit trail.
		e.Rule = privacy.O13
		return export.Totals{}, s.refuse(ctx, e, notFound("subject"))
	}
	cases, err := s.dossiers.SubjectCases(ctx, subject)
	if errors.Is(err, privacy.ErrNotFound) {
		// A missing subject is refused and audited as a hidden one is.
		e.Subject, e.Rule = "", privacy.RuleDefaultDeny
		return export.Totals{}, s.refuse(ctx, e, notFound("subject"))
	}
	if err != nil {
		return export.Totals{}, err
	}
	if !(a.Role == privacy.RoleSubject && a.Subject == subject) {
		// Rules O13, O6: the physician who releases the medical file
		// has the export where it may export the medical file of every
		// case of the subject; anyone else where it may export them
		// whole.
		category := privacy.CategoryIdentity
		if r := opts.ReleasedBy; r != nil && r.ID == a.ID && a.Role == privacy.RolePhysician {
			category = privacy.CategoryMedical
		}
		for i := range cases {
			d := s.engine.Decide(access.Request{Principal: a, Case: &cases[i], Action: privacy.ActionExport,
				Category: category, Purpose: cases[i].Purpose, Time: now})
			if !d.Allowed {
				e.Rule = d.Rule
				return export.Totals{}, s.refuse(ctx, e, notFound("subject"))
			}
		}
		if len(cases) == 0 {
			e.Rule = privacy.RuleDefaultDeny
			return export.Totals{}, s.refuse(ctx, e, notFound("subject"))
		}
		// GDPR art. 18(2): while a restriction of processing stands on
		// the subject's data, only the subject exports it.
		rs, err := s.restrictionsOf(ctx, subject, now)
		if err != nil {
			return export.Totals{}, err
		}
		if rs != nil {
			e.Rule = privacy.RuleRestriction
			return export.Totals{}, s.refuse(ctx, e, forbidden(v, privacy.RuleRestriction,
				"a restriction of processing stands: only the subject exports the data"))
		}
	}
	xo := &rights.ExportOptions{Format: opts.Format, Lang: opts.Lang, Request: opts.Request}
	if opts.ReleasedBy != nil {
		// The desk releases the medical records of the cases a, the
		// physician who acts, may read now, and refuses a release of none
		// (O13, O6, G8, N6).
		xo.Release = &rights.MedicalRelease{Physician: a}
	}
	return s.desk.Export(ctx, act(a, now, ""), w, subject, xo)
}
