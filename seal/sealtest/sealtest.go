// Package sealtest is the kit of sealed stores: it runs every package's
// conformance kit over a store wrapped by [seal.Wrap], the cases of the
// sealing itself (tampering, erasure, crashes between the key's
// destruction and the rows', key rotation) and, for an adapter whose
// database can be copied, the proof that an erasure reaches a backup
// (issue 17: GDPR art. 17 and art. 5(1)(e); rules R9, O12, O13, G3).
//
// An adapter runs it from its tests:
//
//	func TestSealed(t *testing.T) { sealtest.Run(t, func(t *testing.T) seal.Backend { return open(t) }) }
//	func TestSealedBackup(t *testing.T) { sealtest.RunBackup(t, harness) }
package sealtest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/accesstest"
	"github.com/dossierwacht/dossierwacht/consent/consenttest"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/retention/retentiontest"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/dossierwacht/dossierwacht/rights/rightstest"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/google/go-cmp/cmp"
)

// KEK returns the kit's fixed key-encryption key.
func KEK(t testing.TB) *seal.LocalKEK {
	t.Helper()
	k, err := seal.ParseLocalKEK("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Wrap seals b with keys under the kit's KEK.
func Wrap(t testing.TB, b seal.Backend, keys seal.Keys) *seal.Store {
	t.Helper()
	s, err := seal.Wrap(context.Background(), b, seal.Vault{Keys: keys, KEK: KEK(t)})
	if err != nil {
		t.Fatalf("seal.Wrap: %v", err)
	}
	return s
}

// faulty is a sealed store that passes the privacy kit's fault injection
// to its Backend, so that the kit sees a deletion fail halfway after the
// key was destroyed, and the store come back as it was.
type faulty struct {
	*seal.Store
	fi privacytest.FaultInjector
}

func (f faulty) FailAfter(n int) { f.fi.FailAfter(n) }

// sealed wraps a new backend; with the Backend's fault injector when it
// has one.
func sealed(t *testing.T, newBackend func(t *testing.T) seal.Backend) seal.Backend {
	b := newBackend(t)
	s := Wrap(t, b, seal.NewMemKeys())
	if fi, ok := b.(privacytest.FaultInjector); ok {
		return faulty{s, fi}
	}
	return s
}

// Run runs the conformance kits of every package over sealed stores of
// newBackend, then the cases of the sealing.
func Run(t *testing.T, newBackend func(t *testing.T) seal.Backend) {
	t.Run("privacy", func(t *testing.T) {
		privacytest.Run(t, func(t *testing.T) privacy.Store { return sealed(t, newBackend) })
	})
	t.Run("access", func(t *testing.T) {
		accesstest.Run(t, func(t *testing.T) access.Store { return sealed(t, newBackend) })
	})
	t.Run("consent", func(t *testing.T) {
		consenttest.Run(t, func(t *testing.T) consenttest.Store { return sealed(t, newBackend) })
	})
	t.Run("retention", func(t *testing.T) {
		retentiontest.Run(t, func(t *testing.T) retention.Store { return sealed(t, newBackend) })
	})
	t.Run("rights", func(t *testing.T) {
		rightstest.Run(t, func(t *testing.T) rights.Store { return sealed(t, newBackend) })
	})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newBackend(t)
			keys := seal.NewMemKeys()
			w := newWorld(t, b, keys)
			c.run(t, w)
		})
	}
}

var cases = []struct {
	name string
	run  func(t *testing.T, w *world)
}{
	{"SealedAtRest", testSealedAtRest},
	{"TamperedValues", testTampered},
	{"G3_ErasureRefusedUnderHold", testHeld},
	{"R9_EraseDestroysKeyFirst", testErase},
	{"R9_FailedDeletionPutsKeyBack", testFailedDeletion},
	{"R9_CrashBeforeRows", testCrashBeforeRows},
	{"R9_CrashAfterRows", testCrashAfterRows},
	{"R9_OrphanKeyReaped", testOrphan},
	{"R9_SweepErasesSubject", testSweepErasesSubject},
	{"SealedFreeText", testFreeText},
	{"R9_ReadRacingErasure", testReadRacingErasure},
	{"CreateRefused", testCreateRefused},
	{"R9_ObjectSweepRemovesSubject", testObjectSweepRemovesSubject},
	{"RotateKEK", testRotate},
	{"IDUsedAgain", testIDUsedAgain},
	{"O12_UnreadableInListings", testUnreadableInListings},
}

// T0 is the kit's time of the first write.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Events is the audit event of the kit's i-th write.
func Events(i int, subject privacy.SubjectID, action privacy.EventAction) []privacy.Event {
	return []privacy.Event{{Time: T0.Add(time.Duration(i) * time.Minute), Principal: "cm-1", Role: privacy.RoleCaseManager,
		Subject: subject, Object: fmt.Sprintf("o-%d", i), Action: action, Outcome: privacy.OutcomeAllowed,
		Rule: privacy.O13, Policy: "sealtest", AccessPoint: "api", Client: "10.0.0.1"}}
}

var contract = privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: T0.AddDate(-1, 0, 0)}

// Person is one subject of the kit's world and its content.
type Person struct {
	ID             privacy.SubjectID
	Case           privacy.CaseID
	Name, Note, MF string
	Records        []privacy.Record // as stored, fields in the clear
	Medical        []privacy.Record
}

// people returns the world's subjects: Anna, who is erased, and Bob.
func people() []*Person {
	return []*Person{
		{ID: "s-anna", Case: "c-anna", Name: "Anna de Vries-Kuipers", Note: "Anna belt over haar rugklachten", MF: "Hernia L4-L5 bij Anna"},
		{ID: "s-bob", Case: "c-bob", Name: "Bob Jansen-Visser", Note: "Bob werkt halve dagen", MF: "Burn-out bij Bob, herstel verwacht"},
	}
}

// world is a sealed store with Anna and Bob in it.
type world struct {
	b      seal.Backend
	keys   seal.Keys
	s      *seal.Store
	anna   *Person
	bob    *Person
	people []*Person
	ctx    context.Context
	n      int // the next write's number
}

func newWorld(t *testing.T, b seal.Backend, keys seal.Keys) *world {
	t.Helper()
	ps := people()
	w := &world{b: b, keys: keys, s: Wrap(t, b, keys), anna: ps[0], bob: ps[1], people: ps, ctx: context.Background(), n: 10}
	populate(t, w.s, ps)
	return w
}

func (w *world) events(s privacy.SubjectID, a privacy.EventAction) []privacy.Event {
	w.n++
	return Events(w.n, s, a)
}

// populate writes every person's subject, case, records and medical
// record through s, and remembers what was written.
func populate(t *testing.T, s *seal.Store, ps []*Person) {
	t.Helper()
	ctx := context.Background()
	for i, p := range ps {
		sub, _ := privacy.NewSubject(p.ID, "employer-1", T0)
		if err := s.CreateSubject(ctx, sub, Events(10*i, p.ID, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		c, err := privacy.NewCase(p.Case, p.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, T0)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateCase(ctx, c, Events(10*i+1, p.ID, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		rec := func(id string, cat privacy.Category, f map[privacy.Field]string, k int) privacy.Record {
			at := T0.Add(time.Duration(k) * time.Hour)
			return privacy.Record{ID: privacy.RecordID(string(p.Case) + "-" + id), Case: p.Case, Subject: p.ID, Category: cat,
				Author: "cm-1", Source: privacy.Source{Kind: privacy.PartyService}, Purpose: privacy.PurposeAbsenceGuidance,
				Created: at, Updated: at, Fields: f}
		}
		p.Records = []privacy.Record{
			rec("identity", privacy.CategoryIdentity, map[privacy.Field]string{privacy.FieldName: p.Name, privacy.FieldCity: "Utrecht"}, 1),
			rec("note", privacy.CategoryNotes, map[privacy.Field]string{privacy.FieldText: p.Note}, 2),
		}
		p.Medical = []privacy.Record{rec("medical", privacy.CategoryMedical, map[privacy.Field]string{privacy.FieldText: p.MF}, 3)}
		if err := s.AddRecords(ctx, p.Records, Events(10*i+2, p.ID, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMedicalRecords(ctx, p.Medical, Events(10*i+3, p.ID, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
	}
}

func collect(seq iter.Seq2[privacy.Record, error]) ([]privacy.Record, error) {
	var out []privacy.Record
	for r, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// wantErased checks that nothing of p opens in s, by every read path,
// with an error saying it was erased.
func wantErased(t *testing.T, s *seal.Store, p *Person) {
	t.Helper()
	ctx := context.Background()
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, seal.ErrErased) || !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("%s of erased %s: %v, want ErrErased (and ErrNotFound)", what, p.ID, err)
		}
	}
	for _, r := range p.Records {
		got, err := s.Record(ctx, r.ID)
		check("Record("+string(r.ID)+")", err)
		if len(got.Fields) != 0 {
			t.Errorf("Record(%s) returned fields %v", r.ID, got.Fields)
		}
	}
	for _, r := range p.Medical {
		_, err := s.MedicalRecord(ctx, r.ID)
		check("MedicalRecord("+string(r.ID)+")", err)
	}
	rs, err := collect(s.CaseRecords(ctx, p.Case))
	check("CaseRecords", err)
	if len(rs) != 0 {
		t.Errorf("CaseRecords yielded %d records", len(rs))
	}
	_, err = collect(s.CaseMedicalRecords(ctx, p.Case))
	check("CaseMedicalRecords", err)
}

// wantGone checks that nothing of p is in s, sealed or not.
func wantGone(t *testing.T, s seal.Backend, p *Person) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Subject(ctx, p.ID); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Subject(%s) after its erasure: %v, want ErrNotFound", p.ID, err)
	}
	for _, r := range p.Records {
		if _, err := s.Record(ctx, r.ID); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("Record(%s) after its subject's erasure: %v, want ErrNotFound", r.ID, err)
		}
	}
	for _, r := range p.Medical {
		if _, err := s.MedicalRecord(ctx, r.ID); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("MedicalRecord(%s) after its subject's erasure: %v, want ErrNotFound", r.ID, err)
		}
	}
}

// wantWhole checks that p reads back whole through s.
func wantWhole(t *testing.T, s *seal.Store, p *Person) {
	t.Helper()
	ctx := context.Background()
	got, err := collect(s.CaseRecords(ctx, p.Case))
	if err != nil {
		t.Fatalf("CaseRecords(%s): %v", p.Case, err)
	}
	if d := cmp.Diff(p.Records, got); d != "" {
		t.Errorf("%s's records (-want +got):\n%s", p.ID, d)
	}
	gotM, err := collect(s.CaseMedicalRecords(ctx, p.Case))
	if err != nil {
		t.Fatalf("CaseMedicalRecords(%s): %v", p.Case, err)
	}
	if d := cmp.Diff(p.Medical, gotM); d != "" {
		t.Errorf("%s's medical file (-want +got):\n%s", p.ID, d)
	}
	for _, r := range p.Records {
		got, err := s.Record(ctx, r.ID)
		if err != nil {
			t.Errorf("Record(%s): %v", r.ID, err)
		} else if d := cmp.Diff(r, got); d != "" {
			t.Errorf("Record(%s) (-want +got):\n%s", r.ID, d)
		}
	}
	r, err := s.MedicalRecord(ctx, p.Medical[0].ID)
	if err != nil || r.Fields[privacy.FieldText] != p.MF {
		t.Errorf("MedicalRecord(%s) = %v, %v", p.Medical[0].ID, r.Fields, err)
	}
}

// wantTrail checks that the audit trail of s verifies.
func wantTrail(t *testing.T, s access.Store) {
	t.Helper()
	// Verified as the front door does (rule G7): every chain, under the
	// store's key, from its anchor if pruned.
	g, err := access.New(s, nil, &access.Options{Policy: privacy.Strict()})
	if err != nil {
		t.Fatal(err)
	}
	heads, err := g.Verify(context.Background(), nil)
	if err != nil {
		t.Errorf("the audit trail does not verify: %v", err)
	}
	if len(heads) == 0 {
		t.Error("the audit trail is empty")
	}
}

// wantRawSealed checks that every field of p the Backend holds is sealed.
func wantRawSealed(t *testing.T, b seal.Backend, p *Person) {
	t.Helper()
	ctx := context.Background()
	for _, r := range p.Records {
		raw, err := b.Record(ctx, r.ID)
		if err != nil {
			t.Fatalf("raw Record(%s): %v", r.ID, err)
		}
		wantSealedFields(t, raw, r)
	}
	for _, r := range p.Medical {
		raw, err := b.MedicalRecord(ctx, r.ID)
		if err != nil {
			t.Fatalf("raw MedicalRecord(%s): %v", r.ID, err)
		}
		wantSealedFields(t, raw, r)
	}
}

func wantSealedFields(t *testing.T, raw, clear privacy.Record) {
	t.Helper()
	if len(raw.Fields) != len(clear.Fields) {
		t.Errorf("raw %s has %d fields, want %d", raw.ID, len(raw.Fields), len(clear.Fields))
	}
	for f, v := range raw.Fields {
		if !seal.IsSealed(v) || v == clear.Fields[f] {
			t.Errorf("raw field %s of %s is not sealed: %q", f, raw.ID, v)
		}
	}
	// What stays clear stays clear (the store's queries need it).
	raw.Fields, clear.Fields = nil, nil
	if d := cmp.Diff(clear, raw); d != "" {
		t.Errorf("raw %s differs but for its fields (-want +got):\n%s", clear.ID, d)
	}
}
