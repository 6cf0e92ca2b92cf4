package dossierwacht_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// world is a small service: the bakery's employee anna with an absence
// case, an actor of every role, and a clock the test moves.
type world struct {
	svc    *dossierwacht.Service
	store  *memstore.Store
	now    time.Time
	actors map[privacy.Role]*dossierwacht.Actor
}

const (
	bakery privacy.PartyID   = "bakery"
	anna   privacy.SubjectID = "anna"
	case1  privacy.CaseID    = "case-1"
)

var contract = privacy.Contract{ID: "contract-1", Party: bakery, PartyKind: privacy.PartyEmployer,
	Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{store: memstore.New(), now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	var err error
	w.svc, err = dossierwacht.Open(context.Background(), w.store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return w.now }})
	if err != nil {
		t.Fatal(err)
	}
	staff := func(id privacy.PrincipalID, r privacy.Role, s privacy.SecrecyBasis) *dossierwacht.Actor {
		return dossierwacht.NewActor(privacy.Principal{ID: id, Role: r, Party: "arbo", Secrecy: s, MultiFactor: true}, []privacy.CaseID{case1}, nil)
	}
	w.actors = map[privacy.Role]*dossierwacht.Actor{
		privacy.RoleCaseManager:     staff("carla", privacy.RoleCaseManager, privacy.SecrecyAgreement),
		privacy.RolePhysician:       staff("dirk", privacy.RolePhysician, privacy.SecrecyProfessional),
		privacy.RoleSupportStaff:    staff("sam", privacy.RoleSupportStaff, privacy.SecrecyAgreement),
		privacy.RoleAdministrator:   staff("adam", privacy.RoleAdministrator, privacy.SecrecyNone),
		privacy.RolePrivacyOfficer:  staff("olga", privacy.RolePrivacyOfficer, privacy.SecrecyAgreement),
		privacy.RoleEmployerContact: dossierwacht.NewActor(privacy.Principal{ID: "bert", Role: privacy.RoleEmployerContact, Party: bakery}, nil, nil),
		privacy.RoleInsurer:         dossierwacht.NewActor(privacy.Principal{ID: "ida", Role: privacy.RoleInsurer, Party: "insurer"}, nil, []privacy.PartyID{bakery}),
		privacy.RoleSubject:         dossierwacht.NewActor(privacy.Principal{ID: "anna", Role: privacy.RoleSubject, Subject: anna}, nil, nil),
	}
	ctx := context.Background()
	carla := w.actors[privacy.RoleCaseManager]
	must(t, w.svc.RegisterSubject(ctx, carla, privacy.Subject{ID: anna, Employer: bakery}))
	must(t, w.svc.OpenCase(ctx, carla, privacy.Case{ID: case1, Subject: anna, Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Contract: contract}))
	must(t, w.svc.AddRecords(ctx, carla, record("r-facts", privacy.CategoryAbsenceFacts, privacy.FieldFirstDay, "2026-03-02"),
		record("r-note", privacy.CategoryNotes, privacy.FieldText, "call on Friday")))
	// Rule O11: the insurer covers the bakery, as the register records.
	_, err = w.svc.RecordCoverage(ctx, carla, consent.Coverage{ID: "cov-1", Insurer: "insurer", Employer: bakery, From: w.now.AddDate(-1, 0, 0)})
	must(t, err)
	return w
}

func record(id privacy.RecordID, c privacy.Category, f privacy.Field, v string) privacy.Record {
	return privacy.Record{ID: id, Case: case1, Subject: anna, Category: c, Source: privacy.Source{Kind: privacy.PartyService},
		Fields: map[privacy.Field]string{f: v}}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// events returns the audit trail.
func (w *world) events(t testing.TB) []privacy.Event {
	t.Helper()
	var out []privacy.Event
	for e, err := range w.store.Events(context.Background(), 0) {
		must(t, err)
		out = append(out, e)
	}
	return out
}

// A verb of the Service, played by an actor against a world set up for
// it.
type verbCase struct {
	name string
	// setup prepares the world (as the case manager or the officer), if
	// needed.
	setup func(t *testing.T, w *world)
	do    func(ctx context.Context, w *world, a *dossierwacht.Actor) error
	// allowed are the roles that may take the verb.
	allowed []privacy.Role
}

var verbs = []verbCase{
	{name: "RegisterSubject", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician, privacy.RoleEmployerContact),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			return w.svc.RegisterSubject(ctx, a, privacy.Subject{ID: "bob", Employer: bakery})
		}},
	{name: "OpenCase", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician, privacy.RoleEmployerContact),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			return w.svc.OpenCase(ctx, a, privacy.Case{ID: "case-2", Subject: anna, Kind: privacy.CaseAbsence,
				Purpose: privacy.PurposeAbsenceGuidance, Contract: contract})
		}},
	{name: "CloseCase", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			return w.svc.CloseCase(ctx, a, case1)
		}},
	{name: "EndEmployment", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician, privacy.RoleEmployerContact),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			return w.svc.EndEmployment(ctx, a, anna, w.now)
		}},
	{name: "AddRecords", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			return w.svc.AddRecords(ctx, a, record("r-new", privacy.CategoryNotes, privacy.FieldText, "a note"))
		}},
	{name: "UpdateRecord", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			return w.svc.UpdateRecord(ctx, a, record("r-note", privacy.CategoryNotes, privacy.FieldText, "call on Monday"))
		}},
	{name: "View", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician, privacy.RoleSupportStaff, privacy.RoleEmployerContact,
		privacy.RoleInsurer, privacy.RoleSubject),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			_, err := w.svc.View(ctx, a, case1, purposeOf(a))
			return err
		}},
	{name: "GrantConsent", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician, privacy.RoleSupportStaff, privacy.RoleSubject),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			_, err := w.svc.GrantConsent(ctx, a, consent.Grant{ID: "g-1", Subject: anna, Recipient: consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer},
				Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten, Document: "letter-1"})
			return err
		}},
	{name: "FileRequest", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician, privacy.RoleSupportStaff, privacy.RolePrivacyOfficer, privacy.RoleSubject),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			_, err := w.svc.FileRequest(ctx, a, rights.Filing{ID: "req-1", Subject: anna, Kind: rights.KindAccess, Form: rights.FormWritten})
			return err
		}},
	{name: "AnswerRequest", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician, privacy.RolePrivacyOfficer),
		setup: fileRequest,
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			_, err := w.svc.AnswerRequest(ctx, a, "req-1", "the export was sent", 0)
			return err
		}},
	{name: "Export", allowed: roles(privacy.RoleSubject),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			_, err := w.svc.Export(ctx, a, anna, &bytes.Buffer{}, nil)
			return err
		}},
	{name: "PlaceHold", allowed: roles(privacy.RolePrivacyOfficer),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			_, err := w.svc.PlaceHold(ctx, a, retention.Hold{ID: "hold-1", Subject: anna, Ground: retention.GroundLegalClaim, Reason: "case C/16/1"})
			return err
		}},
	{name: "Sweep", allowed: roles(privacy.RolePrivacyOfficer),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			_, err := w.svc.Sweep(ctx, a)
			return err
		}},
	{name: "Decide", allowed: roles(privacy.RoleCaseManager, privacy.RolePhysician, privacy.RoleSubject),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			d, err := w.svc.Decide(ctx, a, case1, privacy.ActionRead, privacy.CategoryAbsenceReason, privacy.FieldText)
			if err == nil && !d.Allowed {
				return &privacy.Error{Op: "test: decide", Kind: privacy.ErrForbidden, Rule: d.Rule}
			}
			return err
		}},
	{name: "Proofs", allowed: roles(privacy.RolePrivacyOfficer),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			_, err := w.svc.Proofs(ctx, a, anna)
			return err
		}},
	{name: "VerifyAudit", allowed: roles(privacy.RolePrivacyOfficer, privacy.RoleAdministrator),
		do: func(ctx context.Context, w *world, a *dossierwacht.Actor) error {
			_, err := w.svc.VerifyAudit(ctx, a, nil)
			return err
		}},
}

func roles(rs ...privacy.Role) []privacy.Role { return rs }

func purposeOf(a *dossierwacht.Actor) privacy.Purpose {
	if a.Role == privacy.RoleSubject {
		return ""
	}
	return privacy.PurposeAbsenceGuidance
}

func fileRequest(t *testing.T, w *world) {
	t.Helper()
	_, err := w.svc.FileRequest(context.Background(), w.actors[privacy.RoleSubject],
		rights.Filing{ID: "req-1", Subject: anna, Kind: rights.KindAccess, Form: rights.FormWritten})
	must(t, err)
}

// TestVerbsByRole walks every verb of the front door with an actor of
// every role (rules O1, R7, R8, R12, O4, O6, O10, O11, G3, G7, N9): the
// roles the verb is for take it, every other role is refused with an error
// that names a rule (or, where knowing would tell too much, not found),
// and either way the audit trail grows by events that carry the NEN 7513
// fields.
func TestVerbsByRole(t *testing.T) {
	for _, v := range verbs {
		for _, role := range privacy.Roles() {
			t.Run(v.name+"/"+string(role), func(t *testing.T) {
				w := newWorld(t)
				if v.setup != nil {
					v.setup(t, w)
				}
				before := len(w.events(t))
				w.now = w.now.Add(time.Hour)
				err := v.do(context.Background(), w, w.actors[role])
				want := slices.Contains(v.allowed, role)
				switch {
				case want && err != nil:
					t.Fatalf("%s by %s: %v, want allowed", v.name, role, err)
				case !want && err == nil:
					t.Fatalf("%s by %s allowed, want refused", v.name, role)
				case !want && !errors.Is(err, privacy.ErrForbidden) && !errors.Is(err, privacy.ErrNotFound):
					t.Fatalf("%s by %s: %v, want ErrForbidden or ErrNotFound", v.name, role, err)
				case !want && errors.Is(err, privacy.ErrForbidden) && privacy.RuleOf(err) == "":
					t.Fatalf("%s by %s: refusal %v names no rule", v.name, role, err)
				}
				events := w.events(t)[before:]
				if len(events) == 0 {
					t.Fatalf("%s by %s wrote no audit event (O1, N9)", v.name, role)
				}
				for _, e := range events {
					if e.Time.IsZero() || e.Principal == "" || e.Role == "" || e.Action == "" || e.Outcome == "" || e.Rule == "" || e.Policy == "" {
						t.Errorf("N9: event %+v lacks a NEN 7513 field", e)
					}
					if e.Principal != w.actors[role].ID && e.Principal != "" {
						// Events of the set-up are before; every event of the
						// verb is the actor's.
						t.Errorf("N9: event by %s, want %s", e.Principal, w.actors[role].ID)
					}
				}
			})
		}
	}
}
