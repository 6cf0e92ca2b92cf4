package dossierwacht

import (
	"context"
	"fmt"
	"io"
	"maps"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
	"github.com/dossierwacht/dossierwacht/retention"
)

// officer gates the verbs of the privacy officer: legal holds, granted
// erasure requests, sweeps and audit verification. They touch no content,
// and nobody else takes them (rule G3: a hold must not be lifted by the
// party that wants the data gone; R12: the administrator manages accounts
// only).
func (s *Service) officer(ctx context.Context, v verb, a *Actor, subject privacy.SubjectID, object string, action privacy.EventAction) error {
	if err := s.checkActor(ctx, v, a); err != nil {
		return err
	}
	if a.Role != privacy.RolePrivacyOfficer {
		e := s.event(a, action, subject, "", object, roleRule(a.Role), false)
		return s.refuse(ctx, e, forbidden(v, roleRule(a.Role), "only the privacy officer may take this step"))
	}
	return nil
}

// PlaceHold places a legal hold (rule G3) as of now: no record in its
// scope is deleted, by a sweep, an erasure or directly, until it is
// lifted. Only the privacy officer places holds.
func (s *Service) PlaceHold(ctx context.Context, a *Actor, h retention.Hold) (retention.Hold, error) {
	if err := s.officer(ctx, verbHold, a, h.Subject, string(h.ID), privacy.EventCreate); err != nil {
		return retention.Hold{}, err
	}
	e := s.event(a, privacy.EventCreate, h.Subject, h.Case, string(h.ID), privacy.G3, false)
	placed, err := s.retention.From(a.AccessPoint, a.Client).PlaceHold(ctx, a.Principal, h, s.now())
	return placed, s.clashed(ctx, e, err)
}

// LiftHold lifts a standing legal hold as of now, with the reason. Only
// the privacy officer lifts holds.
func (s *Service) LiftHold(ctx context.Context, a *Actor, id retention.HoldID, reason string) error {
	if err := s.officer(ctx, verbHold, a, "", string(id), privacy.EventUpdate); err != nil {
		return err
	}
	err := s.retention.From(a.AccessPoint, a.Client).LiftHold(ctx, a.Principal, id, reason, s.now())
	return s.clashed(ctx, s.event(a, privacy.EventUpdate, "", "", string(id), privacy.G3, false), err)
}

// RequestErasure records a granted erasure request directly with
// retention (rules R9, O13, N8): every record in its scope is due from
// now, except what a hold or a statute keeps (G3). The next sweep deletes
// it. [Service.Erase] does the same for a request filed with the desk, and
// deletes at once. Only the privacy officer grants erasures.
func (s *Service) RequestErasure(ctx context.Context, a *Actor, e retention.Erasure) (retention.ErasureDecision, error) {
	if err := s.officer(ctx, verbErasure, a, e.Subject, string(e.ID), privacy.EventExecute); err != nil {
		return retention.ErasureDecision{}, err
	}
	return s.retention.From(a.AccessPoint, a.Client).RequestErasure(ctx, a.Principal, e, s.now())
}

// Sweep deletes every record due now (rules R9, O12, N7, N8), each with a
// proof of deletion and an audit event, never what a legal hold keeps
// (G3), and lists per recipient the erased records it received, to be
// told (G4). It removes, when due, every other kind of stored data too —
// disclosure-log entries, consent grants, subject requests, erasure
// requests, lifted holds, cases and, last, the subject — each by its own
// rule of the policy ([privacy.DataRule]) with a proof ([Service.ObjectProofs])
// and an audit event, and audit events after their retention (N9). The
// report counts each kind (Report.Objects, Report.AuditPruned) and lists
// the kinds the store cannot remove (Report.Unswept). Only the privacy
// officer (or the nightly job acting as one) sweeps. A sweep runs only on
// a time its clock confirms: while the clock reads more than a minute
// earlier than the Service's time (which never goes back, so one reading
// of a clock that jumped ahead would otherwise date the sweep then), it is
// refused with [privacy.ErrConflict] under O12, audited, and deletes
// nothing.
func (s *Service) Sweep(ctx context.Context, a *Actor) (retention.Report, error) {
	if err := s.officer(ctx, verbSweep, a, "", "sweep", privacy.EventExecute); err != nil {
		return retention.Report{}, err
	}
	at, err := s.confirmedNow(ctx, verbSweep, a, "sweep")
	if err != nil {
		return retention.Report{}, err
	}
	report, err := s.retention.From(a.AccessPoint, a.Client).Sweep(ctx, a.Principal, at)
	if err != nil {
		return report, err
	}
	// The sweep as a whole is one execute event (N9); each deletion has
	// its own delete event beside its proof.
	if err := s.audit(ctx, s.event(a, privacy.EventExecute, "", "", "sweep", privacy.O12, true)); err != nil {
		return report, err
	}
	return report, s.Checkpoint(ctx)
}

// confirmedNow is the Service's time for a verb that deletes for good
// (Sweep, Erase), refused with [privacy.ErrConflict] under O12, audited,
// while the clock reads more than deleteClockSlack behind it.
func (s *Service) confirmedNow(ctx context.Context, v verb, a *Actor, object string) (time.Time, error) {
	at := s.now()
	if read := privacy.Timestamp(s.clock()); at.Sub(read) > deleteClockSlack {
		// Rules O12, N7, R9: a deletion for good runs only on a time its
		// clock confirms. The Service's time never goes back (now): after
		// one reading of a clock that jumped ahead (a faulty time server,
		// a host clock set to 2099 for a moment) every later operation
		// keeps that time, and a sweep, or an erasure that weighs
		// statutory periods (review 11: Erase deleted the fiscal seven
		// years' wage data an hour after its case closed), would delete
		// on it what is due only then. While the clock reads earlier than
		// the Service's time, beyond the slack of a clock's ordinary
		// corrections, the verb is refused, audited, and deletes nothing.
		e := s.event(a, privacy.EventExecute, "", "", object, privacy.O12, false)
		return time.Time{}, s.refuse(ctx, e, &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrConflict,
			Rule: privacy.O12, Msg: fmt.Sprintf("the clock reads %s, %s earlier than the time this Service has handed out already (%s): "+
				"a deletion for good runs only on a time its clock confirms", read.Format(time.RFC3339), at.Sub(read).Round(time.Second),
				at.Format(time.RFC3339))})
	}
	return at, nil
}

// deleteClockSlack is how far the clock may read behind the Service's time
// and a deletion for good (Sweep, Erase) still run: the ordinary
// corrections of a host's clock (NTP steps of milliseconds to seconds),
// far below a day, the finest grain of a retention period (rules O12, N7,
// R9).
const deleteClockSlack = time.Minute

// PlanSweep is a sweep's dry run of every kind of stored data (rules R9,
// O12, N9): the schedule of every record a sweep now would delete, and of
// every other stored object it would remove — disclosure-log entries,
// grants, requests, erasure requests, holds, cases, subjects, those of
// subjects without a row included — each with its rule and reason, and
// the instant before which it would prune audit events
// ([retention.Keeper.PlanSweep]). It deletes nothing.
func (s *Service) PlanSweep(ctx context.Context, a *Actor) (retention.SweepPlan, error) {
	if err := s.officer(ctx, verbSweep, a, "", "sweep-plan", privacy.EventExecute); err != nil {
		return retention.SweepPlan{}, err
	}
	// No audit, no answer (G7): the search is logged before anything is
	// read.
	if err := s.audit(ctx, s.event(a, privacy.EventSearch, "", "", "sweep-plan", privacy.O12, true)); err != nil {
		return retention.SweepPlan{}, err
	}
	return s.retention.From(a.AccessPoint, a.Client).PlanSweep(ctx, a.Principal, s.now())
}

// VerifyAudit checks every chain of the audit trail (one per subject, and
// the service's own) against want, heads kept from an earlier verification
// (nil: none), and against the heads kept in Options.Checkpoints, and
// returns the heads it reached, which it then saves there. A broken chain
// fails with access.ErrTampered, a stored event that cannot be read with
// access.ErrDamaged (rule G7); a [*access.ChainError] names the chain, the
// event and the problem. The privacy officer and the administrator verify.
func (s *Service) VerifyAudit(ctx context.Context, a *Actor, want access.Heads) (access.Heads, error) {
	const v = verbVerify
	if err := s.checkActor(ctx, v, a); err != nil {
		return nil, err
	}
	if a.Role != privacy.RolePrivacyOfficer && a.Role != privacy.RoleAdministrator {
		e := s.event(a, privacy.EventExecute, "", "", "audit-trail", roleRule(a.Role), false)
		return nil, s.refuse(ctx, e, forbidden(v, roleRule(a.Role), "only the privacy officer and the administrator verify the audit trail"))
	}
	all := access.Heads{}
	if s.checkpoints != nil {
		kept, err := s.checkpoints.Load(ctx)
		if err != nil {
			return nil, err
		}
		maps.Copy(all, kept)
	}
	for id, cp := range want {
		if cur, ok := all[id]; !ok || cp.Seq > cur.Seq {
			all[id] = cp
		}
	}
	heads, err := s.guard.Verify(ctx, all)
	if err != nil {
		return heads, err
	}
	if s.checkpoints != nil {
		if err := s.checkpoints.Save(ctx, heads); err != nil {
			return heads, err
		}
	}
	return heads, s.audit(ctx, s.event(a, privacy.EventExecute, "", "", "audit-trail", privacy.G7, true))
}

// Checkpoint saves the head of every chain of the audit trail to
// Options.Checkpoints (rule G7), if the Service has them: a chain later cut
// short, removed or rewritten fails VerifyAudit against them. It first
// verifies every chain against the heads kept there, and saves only heads
// it reached through them: a head read from the store as it is would move
// the kept head past an event deleted in the database, onto the event the
// service appended under the deleted one's number (its keyed link valid),
// and the deletion would never be found. A broken chain fails with
// access.ErrTampered and saves nothing.
//
// The verification reads the whole trail: the Service checkpoints after
// every verification and sweep; a program calls Checkpoint as well, at a
// pace it can afford for its trail's size (every few minutes, at
// shutdown), so that what is appended in between is covered soon.
func (s *Service) Checkpoint(ctx context.Context) error {
	if err := s.ready(ctx, "dossierwacht: checkpoint"); err != nil {
		return err
	}
	if s.checkpoints == nil {
		return nil
	}
	kept, err := s.checkpoints.Load(ctx)
	if err != nil {
		return err
	}
	heads, err := s.guard.Verify(ctx, kept)
	if err != nil {
		return err
	}
	return s.checkpoints.Save(ctx, heads)
}

// GroupFigure answers an anonymised figure about a group of an employer's
// employees (rule N12), or refuses it: a group too small, one that with
// the groups answered before would single out a person, or a period other
// than one calendar month that has ended (so that no difference of
// periods, or of the same period asked twice, singles anyone out).
func (s *Service) GroupFigure(ctx context.Context, a *Actor, r access.GroupRequest) (access.GroupFigure, error) {
	if err := s.checkActor(ctx, "group figure", a); err != nil {
		return access.GroupFigure{}, err
	}
	r.Principal, r.Time, r.Restriction = a, s.now(), nil
	// GDPR art. 18(2): the members' restricted cases are not counted.
	var held restrictions
	for _, m := range r.Members {
		if !privacy.ValidID(string(m)) {
			break // the guard refuses the request as malformed
		}
		rc, err := s.restrictionsOf(ctx, m, r.Time)
		if err != nil {
			return access.GroupFigure{}, err
		}
		if rs, ok := rc.(restrictions); ok {
			held = append(held, rs...)
		}
	}
	if held != nil {
		r.Restriction = held
	}
	return s.guard.GroupFigure(ctx, r)
}

// Statement writes the privacy statement the policy renders (rules R1,
// R10, R13, O3, O15, and every rule it writes out), in Dutch Markdown by
// default. It is published to everyone: it takes no actor.
func (s *Service) Statement(w io.Writer, opts *statement.Options) error {
	if err := s.opened("dossierwacht: statement"); err != nil {
		return err
	}
	return statement.Render(w, s.policy, opts)
}

// Register writes the record of processing activities (rule G6, GDPR art.
// 30) the policy renders.
func (s *Service) Register(w io.Writer, opts *statement.Options) error {
	if err := s.opened("dossierwacht: register"); err != nil {
		return err
	}
	return statement.RenderRegister(w, s.policy, opts)
}

// ObjectProofs returns the proofs of deletion of the subject's stored data
// besides records — master data, cases, holds, erasure requests, grants,
// requests, disclosure-log entries — oldest first, each naming its rule
// and citation (rules R9, O12, N7, G3, G4). They hold no content and
// outlive the subject. Only the privacy officer reads them.
func (s *Service) ObjectProofs(ctx context.Context, a *Actor, subject privacy.SubjectID) ([]retention.ObjectProof, error) {
	const v = verb("read proofs")
	if err := s.checkActor(ctx, v, a); err != nil {
		return nil, err
	}
	e := s.event(a, privacy.EventRead, subject, "", "object-proofs", privacy.O12, true)
	if a.Role != privacy.RolePrivacyOfficer {
		return nil, s.refuse(ctx, e, forbidden(v, roleRule(a.Role), "only the privacy officer reads proofs of deletion"))
	}
	// No audit, no answer (G7): the read is logged before it is made.
	if err := s.audit(ctx, e); err != nil {
		return nil, err
	}
	return s.retention.ObjectProofs(ctx, subject)
}

// Proofs returns the proofs of deletion kept for subject, oldest first:
// what kind of record of which case was deleted, when, by which rule and
// by whom, and whom to tell (rules R9, O12, N7, G4). They hold no content,
// so the privacy officer, who sees none (R8), shows them to the subject or
// the supervisor. Only the privacy officer reads them.
func (s *Service) Proofs(ctx context.Context, a *Actor, subject privacy.SubjectID) ([]retention.Proof, error) {
	const v = verb("read proofs")
	if err := s.checkActor(ctx, v, a); err != nil {
		return nil, err
	}
	e := s.event(a, privacy.EventRead, subject, "", "proofs", privacy.O12, true)
	if a.Role != privacy.RolePrivacyOfficer {
		return nil, s.refuse(ctx, e, forbidden(v, roleRule(a.Role), "only the privacy officer reads proofs of deletion"))
	}
	// No audit, no answer (G7): the read is logged before it is made.
	if err := s.audit(ctx, e); err != nil {
		return nil, err
	}
	return s.retention.Proofs(ctx, subject)
}
