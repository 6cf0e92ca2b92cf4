package compliancetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/rights"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
	"github.com/dossierwacht/dossierwacht/retention"
)

// LibraryStores is what [NewLibrarySystem] keeps its data in: the stores
// of every package it puts together. One adapter implements them all
// (package memstore does).
type LibraryStores interface {
	privacy.Store
	retention.Store
	rights.Store
	consent.Store
	access.Store
}

// LibrarySystem is the reference [System]: the library itself, put
// together as a service would put it together. Cases and records go
// through [privacy.Dossiers]; consent and disclosures through a
// [consent.Registry]; retention, holds and sweeps through a
// [retention.Retention]; the subject's requests and export through a
// [rights.Desk]; the published documents come from package
// privacy/statement. It passes every scenario of the kit on the in-memory
// adapter, and shows how the packages fit.
//
// A LibrarySystem is safe for concurrent use if its stores are.
type LibrarySystem struct {
	policy    *privacy.Policy
	dossiers  *privacy.Dossiers
	guard     *access.Guard
	registry  *consent.Registry
	retention *retention.Retention
	desk      *rights.Desk
	// officer is the service's privacy officer: the one role that applies
	// granted erasures (O13, R9); System's Respond names only a staff
	// member's ID.
	officer privacy.Principal
	// registrar is the principal that opens and closes cases: System's
	// Open and Close name none.
	registrar privacy.Principal
}

var _ System = (*LibrarySystem)(nil)

// NewLibrarySystem returns the library, put together over stores under
// policy (privacy.Strict() applies both regulations and is the one the
// kit's scenarios are written for).
func NewLibrarySystem(stores LibraryStores, policy *privacy.Policy) (*LibrarySystem, error) {
	const op = "compliancetest: new library system"
	if stores == nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil stores"}
	}
	dossiers, err := privacy.NewDossiers(stores, policy)
	if err != nil {
		return nil, err
	}
	policy = dossiers.Policy()
	guard, err := access.New(stores, dossiers, nil)
	if err != nil {
		return nil, err
	}
	registry, err := consent.New(stores, policy, &consent.Options{Records: stores})
	if err != nil {
		return nil, err
	}
	ret, err := retention.New(stores, policy, nil)
	if err != nil {
		return nil, err
	}
	log := rights.FromConsent(registry)
	desk, err := rights.New(stores, dossiers, &rights.Options{
		Disclosures: log,
		Consents:    log,
		Audit:       rights.FromAudit(guard),
		Retention:   rights.RetentionFromStore(stores, ret.Rules()),
		Erasures:    ret,
	})
	if err != nil {
		return nil, err
	}
	return &LibrarySystem{policy: policy, dossiers: dossiers, guard: guard, registry: registry, retention: ret, desk: desk,
		officer:   privacy.Principal{ID: "privacy-officer", Role: privacy.RolePrivacyOfficer},
		registrar: privacy.Principal{ID: "case-registry", Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}}, nil
}

// Open implements [System]: the registrar registers the subject and opens
// the case at c.Opened, each audited by the case file (O1, N9).
func (l *LibrarySystem) Open(ctx context.Context, s privacy.Subject, c privacy.Case) error {
	act := privacy.Act{By: l.registrar, At: c.Opened}
	if _, err := l.dossiers.Subject(ctx, s.ID); errors.Is(err, privacy.ErrNotFound) {
		if err := l.dossiers.CreateSubject(ctx, act, s); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	return l.dossiers.OpenCase(ctx, act, c)
}

// Close implements [System]: the registrar closes the case at at.
func (l *LibrarySystem) Close(ctx context.Context, c privacy.CaseID, at time.Time) error {
	return l.dossiers.CloseCase(ctx, privacy.Act{By: l.registrar, At: at}, c)
}

// deskAct is the desk's staff member by acting at at on a subject's
// request.
func deskAct(by privacy.PrincipalID, at time.Time) privacy.Act {
	return privacy.Act{By: privacy.Principal{ID: by, Role: privacy.RoleCaseManager}, At: at}
}

// subjectPrincipal is the subject acting on their own data: giving and
// withdrawing consent.
func subjectPrincipal(s privacy.SubjectID) privacy.Principal {
	return privacy.Principal{ID: privacy.PrincipalID(s), Role: privacy.RoleSubject, Subject: s}
}

// Consent implements [System].
func (l *LibrarySystem) Consent(ctx context.Context, g Consent) error {
	form := consent.FormExplicit
	if g.Written {
		form = consent.FormWritten
	}
	_, err := l.registry.AddGrant(ctx, subjectPrincipal(g.Subject), consent.Grant{
		ID: consent.GrantID(g.ID), Subject: g.Subject,
		Recipient:  consent.Recipient{Party: g.Recipient.Party, Kind: g.Recipient.Kind},
		Categories: slices.Clone(g.Categories), Purpose: g.Purpose, Case: g.Case,
		Form: form, Document: g.Document, Given: g.Given})
	return err
}

// Revoke implements [System].
func (l *LibrarySystem) Revoke(ctx context.Context, s privacy.SubjectID, id string, at time.Time) error {
	g, err := l.registry.Grant(ctx, consent.GrantID(id))
	if err != nil {
		return err
	}
	if g.Subject != s {
		// Another subject's grant is not theirs to withdraw, nor to know of.
		return &privacy.Error{Op: "compliancetest: revoke", Kind: privacy.ErrNotFound}
	}
	_, err = l.registry.Revoke(ctx, subjectPrincipal(s), consent.GrantID(id), at)
	return err
}

// Disclose implements [System].
func (l *LibrarySystem) Disclose(ctx context.Context, d Disclosure) (Disclosed, error) {
	if d.Case != "" {
		if err := l.mayRead(ctx, d); err != nil {
			return Disclosed{}, err
		}
	}
	req := consent.Request{ID: consent.DisclosureID(d.ID), By: d.By.Principal,
		Recipient: consent.Recipient{Party: d.Recipient.Party, Kind: d.Recipient.Kind},
		Subject:   d.Subject, Case: d.Case, Purpose: d.Purpose, At: d.At, Basis: d.Basis}
	for _, it := range d.Items {
		req.Items = append(req.Items, consent.Item{Category: it.Category, Record: it.Record, Fields: slices.Clone(it.Fields)})
	}
	dec, err := l.registry.Disclose(ctx, req)
	if err != nil {
		return Disclosed{}, err
	}
	return Disclosed{Rule: dec.Rule, Basis: dec.Basis, NotifySubject: dec.NotifySubject}, nil
}

// File implements [System].
func (l *LibrarySystem) File(ctx context.Context, r Request) (calendar.Date, error) {
	form := rights.FormOral
	if r.Written {
		form = rights.FormWritten
	}
	req, err := l.desk.File(ctx, deskAct(r.By, r.Received), rights.Filing{ID: rights.RequestID(r.ID), Subject: r.Subject,
		Kind: r.Kind, Form: form, Received: r.Received, Records: slices.Clone(r.Records)})
	if err != nil {
		return calendar.Date{}, err
	}
	return req.Due.Date, nil
}

// Respond implements [System]. A granted erasure is decided by the desk
// (what goes, what the law keeps, whom to tell) and applied by the
// service's privacy officer through package retention, which deletes what
// goes at once with a proof of each deletion, checking legal holds as it
// deletes; when the law keeps everything the request asks for, the
// request is refused on that ground (G3).
func (l *LibrarySystem) Respond(ctx context.Context, r Response) (Outcome, error) {
	id := rights.RequestID(r.Request)
	act := deskAct(r.By, r.At)
	switch r.Verdict {
	case Extended:
		req, err := l.desk.Extend(ctx, act, id, rights.Extension{Reason: r.Reason})
		if err != nil {
			return Outcome{}, err
		}
		return Outcome{Due: req.Due.Date}, nil
	case Refused:
		_, err := l.desk.Refuse(ctx, act, id, rights.Refusal{Ground: r.Ground, Reason: r.Reason})
		return Outcome{}, err
	case Granted:
	default:
		return Outcome{}, &privacy.Error{Op: "compliancetest: respond", Kind: privacy.ErrInvalid, Path: "verdict", Msg: "unknown verdict"}
	}
	req, err := l.desk.Request(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	answer := rights.Answer{Reason: r.Reason, FeeCents: r.FeeCents}
	switch req.Kind {
	case rights.KindRectification:
		plan, err := l.desk.Plan(ctx, act, id, rights.Corrections(r.Corrections))
		if err != nil {
			return Outcome{}, err
		}
		if err := l.desk.Apply(ctx, act, plan); err != nil {
			return Outcome{}, err
		}
		answer.Plan = &plan
		if _, err := l.desk.Answer(ctx, act, id, answer); err != nil {
			return Outcome{}, err
		}
		return planOutcome(plan), nil
	case rights.KindErasure:
		return l.erase(ctx, act, req, answer)
	}
	_, err = l.desk.Answer(ctx, act, id, answer)
	return Outcome{}, err
}

// erase grants an erasure request, as act.
func (l *LibrarySystem) erase(ctx context.Context, act privacy.Act, req rights.Request, answer rights.Answer) (Outcome, error) {
	plan, err := l.desk.Plan(ctx, act, req.ID, nil)
	if err != nil {
		return Outcome{}, err
	}
	out := planOutcome(plan)
	if len(out.Erased) == 0 {
		// Rule G3: the law keeps everything asked for; the refusal names
		// the ground.
		ground := rights.GroundStatutoryRetention
		if len(plan.Keeps) > 0 {
			ground = plan.Keeps[0].Ground
		}
		reason := "the law keeps the data: " + string(ground)
		if _, err := l.desk.Refuse(ctx, act, req.ID, rights.Refusal{Ground: ground, Reason: reason}); err != nil {
			return Outcome{}, err
		}
		return out, &privacy.Error{Op: "compliancetest: erase", Kind: privacy.ErrForbidden, Rule: privacy.G3, Msg: reason}
	}
	// Rules R9, O13, G3: the privacy officer carries the erasure out
	// through package retention, a proof per record, holds checked.
	if err := l.desk.Apply(ctx, privacy.Act{By: l.officer, At: act.At}, plan); err != nil {
		return Outcome{}, err
	}
	answer.Plan = &plan
	if _, err := l.desk.Answer(ctx, act, req.ID, answer); err != nil {
		return Outcome{}, err
	}
	return out, nil
}

func planOutcome(p rights.Plan) Outcome {
	out := Outcome{MedicalDue: p.MedicalDue}
	for _, c := range p.Changes {
		if c.Erase {
			out.Erased = append(out.Erased, c.Record)
		}
	}
	for _, k := range p.Keeps {
		out.Kept = append(out.Kept, Kept{Record: k.Record, Ground: k.Ground, Rule: k.Rule})
	}
	for _, n := range p.Notify {
		out.Notify = append(out.Notify, Recipient{Kind: n.RecipientKind, Party: n.Recipient})
	}
	return out
}

// Export implements [System]: the JSON export of package rights, read
// for the subject.
func (l *LibrarySystem) Export(ctx context.Context, s privacy.SubjectID, at time.Time) ([]byte, error) {
	var b bytes.Buffer
	if _, err := l.desk.Export(ctx, privacy.Act{By: subjectPrincipal(s), At: at}, &b, s, nil); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ExportReleased implements [System]: the export read for the subject,
// with the medical file released by the physician by, case by case as the
// access engine lets it read (O13, O6, G8, N6).
func (l *LibrarySystem) ExportReleased(ctx context.Context, s privacy.SubjectID, by Actor, at time.Time) ([]byte, error) {
	var b bytes.Buffer
	if _, err := l.desk.Export(ctx, privacy.Act{By: subjectPrincipal(s), At: at}, &b, s,
		&rights.ExportOptions{Release: &rights.MedicalRelease{Physician: principal(by)}}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Hold implements [System]: package retention places the hold, as h.By;
// only the privacy officer may (G3).
func (l *LibrarySystem) Hold(ctx context.Context, h Hold) error {
	_, err := l.retention.PlaceHold(ctx, h.By.Principal, retention.Hold{ID: retention.HoldID(h.ID), Subject: h.Subject,
		Case: h.Case, Records: slices.Clone(h.Records), Ground: h.Ground, Reason: h.Reason}, h.At)
	return err
}

// Lift implements [System]: package retention lifts the hold, as l.By;
// only the privacy officer may (G3).
func (l *LibrarySystem) Lift(ctx context.Context, lf Lift) error {
	return l.retention.LiftHold(ctx, lf.By.Principal, retention.HoldID(lf.Hold), lf.Reason, lf.At)
}

// Proofs implements [System]: package retention's proofs of deletion.
func (l *LibrarySystem) Proofs(ctx context.Context, s privacy.SubjectID) ([]retention.Proof, error) {
	return l.retention.Proofs(ctx, s)
}

// Sweep implements [System]: package retention sweeps, run by by; only
// the privacy officer may (O12).
func (l *LibrarySystem) Sweep(ctx context.Context, by Actor, at time.Time) error {
	_, err := l.retention.Sweep(ctx, by.Principal, at)
	return err
}

// Publish implements [System]: the statement and the register in Dutch
// Markdown, rendered from the policy.
func (l *LibrarySystem) Publish(ctx context.Context, d Document) ([]byte, error) {
	var b bytes.Buffer
	var err error
	switch d {
	case Statement:
		err = statement.Render(&b, l.policy, nil)
	case Register:
		err = statement.RenderRegister(&b, l.policy, nil)
	default:
		return nil, &privacy.Error{Op: "compliancetest: publish", Kind: privacy.ErrNotFound, Msg: "unknown document"}
	}
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
