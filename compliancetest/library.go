package compliancetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// LibraryStores is what [NewLibrarySystem] keeps its data in: the store of
// the front door, [dossierwacht.Store] — every store of the library on one
// adapter (package memstore, the SQLite and the PostgreSQL adapters).
type LibraryStores = dossierwacht.Store

// LibrarySystem is the reference [System]: the library itself, through its
// front door, [dossierwacht.Service], as a service would use it. Every
// method is one verb of the Service, taken by the actor the scenario names
// or, where the System interface names none, by the one a service would
// have take it: the case registry's case manager opens and closes cases,
// the subject gives and withdraws consent and reads the export, the privacy
// officer places holds, decides erasures and sweeps. The kit's times are
// the Service's clock: each method sets it to the time of its act.
//
// It passes every scenario of the kit on the in-memory adapter, and shows
// how little glue a System over the front door needs. A LibrarySystem is
// safe for concurrent use: its methods take turns, as each sets the clock.
type LibrarySystem struct {
	svc   *dossierwacht.Service
	store LibraryStores
	mu    sync.Mutex
	now   time.Time
}

var _ System = (*LibrarySystem)(nil)

// NewLibrarySystem returns the library's front door over stores under
// policy (privacy.Strict() applies both regulations and is the one the
// kit's scenarios are written for).
func NewLibrarySystem(stores LibraryStores, policy *privacy.Policy) (*LibrarySystem, error) {
	if stores == nil {
		return nil, &privacy.Error{Op: "compliancetest: new library system", Kind: privacy.ErrInvalid, Msg: "nil stores"}
	}
	l := &LibrarySystem{store: stores}
	svc, err := dossierwacht.Open(context.Background(), stores, policy, &dossierwacht.Options{Clock: func() time.Time { return l.now }})
	if err != nil {
		return nil, err
	}
	l.svc = svc
	return l, nil
}

// at takes the system's turn and sets the clock to t; the caller defers
// the returned unlock.
func (l *LibrarySystem) at(t time.Time) func() {
	l.mu.Lock()
	l.now = t
	return l.mu.Unlock
}

// staff is the service's case manager id, bound to secrecy by agreement,
// assigned to cases.
func staff(id privacy.PrincipalID, cases ...privacy.CaseID) *dossierwacht.Actor {
	return dossierwacht.NewActor(privacy.Principal{ID: id, Role: privacy.RoleCaseManager, Party: service,
		Secrecy: privacy.SecrecyAgreement}, cases, nil)
}

// officer is the service's privacy officer id.
func officer(id privacy.PrincipalID) *dossierwacht.Actor {
	return dossierwacht.NewActor(privacy.Principal{ID: id, Role: privacy.RolePrivacyOfficer, Party: service,
		Secrecy: privacy.SecrecyAgreement}, nil, nil)
}

// subject is the data subject s acting on their own data.
func subject(s privacy.SubjectID) *dossierwacht.Actor {
	return dossierwacht.NewActor(privacy.Principal{ID: privacy.PrincipalID(s), Role: privacy.RoleSubject, Subject: s}, nil, nil)
}

// actor is by as the front door sees it.
func actor(by Actor) *dossierwacht.Actor {
	return dossierwacht.NewActor(by.Principal, by.Cases, by.Employers)
}

// registrar is the case registry's case manager who registers subjects and
// opens cases: System's Open names no actor.
const registrar privacy.PrincipalID = "case-registry"

// Open implements [System]: the registrar registers the subject (as of
// s.Created) if the service does not know them yet, and opens the case as
// of c.Opened (O8, O2, R5).
func (l *LibrarySystem) Open(ctx context.Context, s privacy.Subject, c privacy.Case) error {
	_, err := l.store.Subject(ctx, s.ID)
	switch {
	case errors.Is(err, privacy.ErrNotFound):
		registered := s.Created
		if registered.IsZero() || registered.After(c.Opened) {
			registered = c.Opened
		}
		unlock := l.at(registered)
		err = l.svc.RegisterSubject(ctx, staff(registrar), s)
		unlock()
		if err != nil {
			return err
		}
	case err != nil:
		return err
	}
	defer l.at(c.Opened)()
	return l.svc.OpenCase(ctx, staff(registrar), c)
}

// Close implements [System]: the registrar, assigned to the case, closes
// it at at.
func (l *LibrarySystem) Close(ctx context.Context, c privacy.CaseID, at time.Time) error {
	defer l.at(at)()
	return l.svc.CloseCase(ctx, staff(registrar, c), c)
}

// Write implements [System]: the front door decides every field of the
// record for by (N1, O8, R7, R8, R12, O4, O6, O7, N4 …), then the case file
// checks and stores it (O5, R4, R5, O2, N5), audited, as of r.Created.
func (l *LibrarySystem) Write(ctx context.Context, by Actor, r privacy.Record) error {
	if r.Author != by.ID {
		return &privacy.Error{Op: "compliancetest: write", Kind: privacy.ErrInvalid, Path: "author", Msg: "the author is not the principal who writes"}
	}
	defer l.at(r.Created)()
	return l.svc.AddRecords(ctx, actor(by), r)
}

// Consent implements [System]: the subject records the grant they gave,
// as of g.Given.
func (l *LibrarySystem) Consent(ctx context.Context, g Consent) error {
	form := consent.FormExplicit
	if g.Written {
		form = consent.FormWritten
	}
	defer l.at(g.Given)()
	_, err := l.svc.GrantConsent(ctx, subject(g.Subject), consent.Grant{ID: consent.GrantID(g.ID), Subject: g.Subject,
		Recipient:  consent.Recipient{Party: g.Recipient.Party, Kind: g.Recipient.Kind},
		Categories: slices.Clone(g.Categories), Purpose: g.Purpose, Case: g.Case,
		Form: form, Document: g.Document, Given: g.Given})
	return err
}

// Revoke implements [System]: the subject withdraws the grant as of at.
func (l *LibrarySystem) Revoke(ctx context.Context, s privacy.SubjectID, id string, at time.Time) error {
	defer l.at(at)()
	_, err := l.svc.RevokeConsent(ctx, subject(s), consent.GrantID(id))
	return err
}

// Disclose implements [System]: the front door's disclosure, decided by
// the consent register with the case, the discloser's own access and the
// records it names, logged and audited (R6, O14, O6, R7, O10, N2, O11, …).
func (l *LibrarySystem) Disclose(ctx context.Context, d Disclosure) (Disclosed, error) {
	req := consent.Request{ID: consent.DisclosureID(d.ID),
		Recipient: consent.Recipient{Party: d.Recipient.Party, Kind: d.Recipient.Kind},
		Subject:   d.Subject, Case: d.Case, Purpose: d.Purpose, Basis: d.Basis, WrittenRequest: d.Request}
	for _, it := range d.Items {
		req.Items = append(req.Items, consent.Item{Category: it.Category, Record: it.Record, Fields: slices.Clone(it.Fields)})
	}
	defer l.at(d.At)()
	dec, err := l.svc.Disclose(ctx, actor(d.By), req)
	if err != nil {
		return Disclosed{}, err
	}
	return Disclosed{Rule: dec.Rule, Basis: dec.Basis, NotifySubject: dec.NotifySubject}, nil
}

// Cover implements [System]: the service's staff record the coverage in
// the register, as of c.From (O11).
func (l *LibrarySystem) Cover(ctx context.Context, c Coverage) error {
	defer l.at(c.From)()
	_, err := l.svc.RecordCoverage(ctx, staff(c.By), consent.Coverage{ID: consent.CoverageID(c.ID), Insurer: c.Insurer,
		Employer: c.Employer, From: c.From, Until: c.Until})
	return err
}

// desk is who takes a step on a request: the subject for their own, the
// service's case manager, assigned to every case of the subject (a
// rectification is a write of the case file), otherwise.
func (l *LibrarySystem) desk(ctx context.Context, by privacy.PrincipalID, s privacy.SubjectID) (*dossierwacht.Actor, error) {
	if by == privacy.PrincipalID(s) {
		return subject(s), nil
	}
	cases, err := l.store.SubjectCases(ctx, s)
	if err != nil && !errors.Is(err, privacy.ErrNotFound) {
		return nil, err
	}
	ids := make([]privacy.CaseID, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	return staff(by, ids...), nil
}

// File implements [System]: the request as received, filed as of its
// receipt.
func (l *LibrarySystem) File(ctx context.Context, r Request) (calendar.Date, error) {
	form := rights.FormOral
	if r.Written {
		form = rights.FormWritten
	}
	a, err := l.desk(ctx, r.By, r.Subject)
	if err != nil {
		return calendar.Date{}, err
	}
	defer l.at(r.Received)()
	req, err := l.svc.FileRequest(ctx, a, rights.Filing{ID: rights.RequestID(r.ID), Subject: r.Subject, Kind: r.Kind,
		Form: form, Received: r.Received, Records: slices.Clone(r.Records)})
	if err != nil {
		return calendar.Date{}, err
	}
	return req.Due.Date, nil
}

// Respond implements [System]: the front door's steps on a request. A
// granted rectification is planned, decided as a write, applied and
// answered; a granted erasure is decided by the privacy officer — what
// goes, what the law keeps, whom to tell — and deleted at once through
// retention, each deletion with a proof; when the law keeps everything the
// request asks for, it is refused on that ground (G3).
func (l *LibrarySystem) Respond(ctx context.Context, r Response) (Outcome, error) {
	id := rights.RequestID(r.Request)
	req, err := l.requestOf(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	a, err := l.desk(ctx, r.By, req.Subject)
	if err != nil {
		return Outcome{}, err
	}
	defer l.at(r.At)()
	switch r.Verdict {
	case Extended:
		req, err := l.svc.ExtendRequest(ctx, a, id, r.Reason)
		if err != nil {
			return Outcome{}, err
		}
		return Outcome{Due: req.Due.Date}, nil
	case Refused:
		_, err := l.svc.RefuseRequest(ctx, a, id, r.Ground, r.Reason)
		return Outcome{}, err
	case Granted:
	default:
		return Outcome{}, &privacy.Error{Op: "compliancetest: respond", Kind: privacy.ErrInvalid, Path: "verdict", Msg: "unknown verdict"}
	}
	switch req.Kind {
	case rights.KindRectification:
		plan, err := l.svc.Rectify(ctx, a, id, rights.Corrections(r.Corrections), r.Reason)
		if err != nil {
			return Outcome{}, err
		}
		return planOutcome(plan), nil
	case rights.KindErasure:
		plan, err := l.svc.Erase(ctx, officer(r.By), id, r.Reason)
		return planOutcome(plan), err
	}
	_, err = l.svc.AnswerRequest(ctx, a, id, r.Reason, r.FeeCents)
	return Outcome{}, err
}

// requestOf reads a request for the kit's own bookkeeping (which subject,
// which kind): as a service reads its case-management tables.
func (l *LibrarySystem) requestOf(ctx context.Context, id rights.RequestID) (rights.Request, error) {
	return l.store.Request(ctx, id)
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

// Export implements [System]: the JSON export, read by the subject.
func (l *LibrarySystem) Export(ctx context.Context, s privacy.SubjectID, at time.Time) ([]byte, error) {
	var b bytes.Buffer
	defer l.at(at)()
	if _, err := l.svc.Export(ctx, subject(s), s, &b, nil); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ExportReleased implements [System]: the subject's export with the
// medical file released by the physician by, as far as by may read it
// now (O13, O6, G8, N6).
func (l *LibrarySystem) ExportReleased(ctx context.Context, s privacy.SubjectID, by Actor, at time.Time) ([]byte, error) {
	var b bytes.Buffer
	defer l.at(at)()
	physician := actor(by)
	if _, err := l.svc.Export(ctx, physician, s, &b, &dossierwacht.ExportOptions{ReleasedBy: physician}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Hold implements [System]: h.By places the hold at h.At; the front door
// lets only the privacy officer (G3).
func (l *LibrarySystem) Hold(ctx context.Context, h Hold) error {
	defer l.at(h.At)()
	_, err := l.svc.PlaceHold(ctx, actor(h.By), retention.Hold{ID: retention.HoldID(h.ID), Subject: h.Subject, Case: h.Case,
		Records: slices.Clone(h.Records), Ground: h.Ground, Reason: h.Reason})
	return err
}

// Lift implements [System]: lf.By lifts the hold at lf.At; only the
// privacy officer may (G3).
func (l *LibrarySystem) Lift(ctx context.Context, lf Lift) error {
	defer l.at(lf.At)()
	return l.svc.LiftHold(ctx, actor(lf.By), retention.HoldID(lf.Hold), lf.Reason)
}

// Proofs implements [System]: the kit reads the proofs of deletion from
// the store, as an auditor would.
func (l *LibrarySystem) Proofs(ctx context.Context, s privacy.SubjectID) ([]retention.Proof, error) {
	return l.store.Proofs(ctx, s)
}

// Sweep implements [System]: by runs the sweep at at; only the privacy
// officer may (O12).
func (l *LibrarySystem) Sweep(ctx context.Context, by Actor, at time.Time) error {
	defer l.at(at)()
	_, err := l.svc.Sweep(ctx, actor(by))
	return err
}

// View implements [System]: the front door's redacted, audited view.
func (l *LibrarySystem) View(ctx context.Context, by Actor, c privacy.CaseID, purpose privacy.Purpose, at time.Time) ([]privacy.Record, error) {
	defer l.at(at)()
	v, err := l.svc.View(ctx, actor(by), c, purpose)
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

// Cases implements [System]: the front door's audited listing, with the
// consent register answering rule O10's question for each case.
func (l *LibrarySystem) Cases(ctx context.Context, by Actor, s privacy.SubjectID, at time.Time) ([]privacy.CaseID, error) {
	defer l.at(at)()
	shown, err := l.svc.Cases(ctx, actor(by), s)
	if err != nil {
		return nil, err
	}
	out := make([]privacy.CaseID, len(shown))
	for i, c := range shown {
		out[i] = c.ID
	}
	return out, nil
}

// AuditTrail implements [System]: the kit reads the subject's events from
// the store, as an auditor reads the trail.
func (l *LibrarySystem) AuditTrail(ctx context.Context, s privacy.SubjectID) ([]privacy.Event, error) {
	var out []privacy.Event
	for e, err := range l.store.SubjectEvents(ctx, s, 0) {
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// GroupFigure implements [System]: the front door's absence rate, or its
// refusal (N12).
func (l *LibrarySystem) GroupFigure(ctx context.Context, by Actor, employer privacy.PartyID, members []privacy.SubjectID, from, to, at time.Time) (float64, error) {
	defer l.at(at)()
	f, err := l.svc.GroupFigure(ctx, actor(by), access.GroupRequest{Employer: employer, Figure: access.FigureAbsenceRate,
		Members: slices.Clone(members), From: from, To: to})
	if err != nil {
		return 0, err
	}
	return f.Value, nil
}

// Publish implements [System]: the statement and the register in Dutch
// Markdown, rendered from the policy.
func (l *LibrarySystem) Publish(ctx context.Context, d Document) ([]byte, error) {
	var b bytes.Buffer
	var err error
	switch d {
	case Statement:
		err = l.svc.Statement(&b, nil)
	case Register:
		err = l.svc.Register(&b, nil)
	default:
		return nil, &privacy.Error{Op: "compliancetest: publish", Kind: privacy.ErrNotFound, Msg: "unknown document"}
	}
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
