package seal_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/google/go-cmp/cmp"
)

// The proof of issue 17: an erasure reaches the copies of the database
// taken before it (GDPR art. 17, art. 5(1)(e); rules R9, O12, O13). A
// copy is taken, a subject erased, the copy restored beside the live key
// store: the erased subject's content does not open (ErrErased), every
// other subject's reads back whole, the audit trail verifies, and the
// copy's bytes hold none of the content in the clear.

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// ev is an audit event of the test's writes.
func ev(i int, subject privacy.SubjectID, action privacy.EventAction) []privacy.Event {
	return []privacy.Event{{Time: t0.Add(time.Duration(i) * time.Minute), Principal: "cm-1", Role: privacy.RoleCaseManager,
		Subject: subject, Object: fmt.Sprintf("o-%d", i), Action: action, Outcome: privacy.OutcomeAllowed,
		Rule: privacy.O13, Policy: "sealtest", AccessPoint: "api", Client: "10.0.0.1"}}
}

var contract = privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: t0.AddDate(-1, 0, 0)}

// person is one subject of the world and its content.
type person struct {
	id             privacy.SubjectID
	c              privacy.CaseID
	name, note, mf string
	records        []privacy.Record // as stored, fields in the clear
	medical        []privacy.Record
}

var people = []*person{
	{id: "s-anna", c: "c-anna", name: "Anna de Vries-Kuipers", note: "Anna belt over haar rugklachten", mf: "Hernia L4-L5 bij Anna"},
	{id: "s-bob", c: "c-bob", name: "Bob Jansen-Visser", note: "Bob werkt halve dagen", mf: "Burn-out bij Bob, herstel verwacht"},
}

// populate writes every person's subject, case, records and medical
// record through s, and remembers what was written.
func populate(t *testing.T, s *seal.Store) {
	t.Helper()
	ctx := context.Background()
	for i, p := range people {
		sub, _ := privacy.NewSubject(p.id, "employer-1", t0)
		if err := s.CreateSubject(ctx, sub, ev(10*i, p.id, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		c, err := privacy.NewCase(p.c, p.id, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateCase(ctx, c, ev(10*i+1, p.id, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		rec := func(id string, cat privacy.Category, f map[privacy.Field]string, k int) privacy.Record {
			at := t0.Add(time.Duration(k) * time.Hour)
			return privacy.Record{ID: privacy.RecordID(string(p.c) + "-" + id), Case: p.c, Subject: p.id, Category: cat,
				Author: "cm-1", Source: privacy.Source{Kind: privacy.PartyService}, Purpose: privacy.PurposeAbsenceGuidance,
				Created: at, Updated: at, Fields: f}
		}
		p.records = []privacy.Record{
			rec("identity", privacy.CategoryIdentity, map[privacy.Field]string{privacy.FieldName: p.name, privacy.FieldCity: "Utrecht"}, 1),
			rec("note", privacy.CategoryNotes, map[privacy.Field]string{privacy.FieldText: p.note}, 2),
		}
		p.medical = []privacy.Record{rec("medical", privacy.CategoryMedical, map[privacy.Field]string{privacy.FieldText: p.mf}, 3)}
		if err := s.AddRecords(ctx, p.records, ev(10*i+2, p.id, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMedicalRecords(ctx, p.medical, ev(10*i+3, p.id, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
	}
}

// erase erases the first person, Anna, through s.
func erase(t *testing.T, s *seal.Store) {
	t.Helper()
	if err := s.DeleteSubject(context.Background(), people[0].id, ev(100, people[0].id, privacy.EventDelete)); err != nil {
		t.Fatalf("DeleteSubject: %v", err)
	}
	proof, err := s.Erasure(context.Background(), people[0].id)
	if err != nil || proof.Pending || !proof.Erased.Equal(t0.Add(100*time.Minute)) || proof.KeyID == "" || len(proof.Wrapped) != 0 {
		t.Fatalf("the proof of the key's destruction: %+v, %v", proof, err)
	}
}

func collect(seq func(func(privacy.Record, error) bool)) ([]privacy.Record, error) {
	var out []privacy.Record
	for r, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// wantErased checks that nothing of the erased person opens in s (a
// restored copy), by every read path, with an error saying why.
func wantErased(t *testing.T, s *seal.Store, p *person) {
	t.Helper()
	ctx := context.Background()
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, seal.ErrErased) || !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("%s of erased %s: %v, want ErrErased (and ErrNotFound)", what, p.id, err)
		}
	}
	for _, r := range p.records {
		got, err := s.Record(ctx, r.ID)
		check("Record("+string(r.ID)+")", err)
		if len(got.Fields) != 0 {
			t.Errorf("Record(%s) returned fields %v", r.ID, got.Fields)
		}
	}
	for _, r := range p.medical {
		_, err := s.MedicalRecord(ctx, r.ID)
		check("MedicalRecord("+string(r.ID)+")", err)
	}
	rs, err := collect(s.CaseRecords(ctx, p.c))
	check("CaseRecords", err)
	if len(rs) != 0 {
		t.Errorf("CaseRecords yielded %d records", len(rs))
	}
	_, err = collect(s.CaseMedicalRecords(ctx, p.c))
	check("CaseMedicalRecords", err)
	// The raw rows of the copy hold sealed values only.
	raw, err := s.Unwrap().Record(ctx, p.records[0].ID)
	if err != nil {
		t.Fatalf("raw Record: %v", err)
	}
	for f, v := range raw.Fields {
		if !seal.IsSealed(v) || bytes.Contains([]byte(v), []byte("Anna")) {
			t.Errorf("raw field %s of the copy is not sealed: %q", f, v)
		}
	}
}

// wantWhole checks that p reads back whole through s.
func wantWhole(t *testing.T, s *seal.Store, p *person) {
	t.Helper()
	ctx := context.Background()
	got, err := collect(s.CaseRecords(ctx, p.c))
	if err != nil {
		t.Fatalf("CaseRecords(%s): %v", p.c, err)
	}
	if d := cmp.Diff(p.records, got); d != "" {
		t.Errorf("%s's records (-want +got):\n%s", p.id, d)
	}
	gotM, err := collect(s.CaseMedicalRecords(ctx, p.c))
	if err != nil {
		t.Fatalf("CaseMedicalRecords(%s): %v", p.c, err)
	}
	if d := cmp.Diff(p.medical, gotM); d != "" {
		t.Errorf("%s's medical file (-want +got):\n%s", p.id, d)
	}
	r, err := s.MedicalRecord(ctx, p.medical[0].ID)
	if err != nil || r.Fields[privacy.FieldText] != p.mf {
		t.Errorf("MedicalRecord(%s) = %v, %v", p.medical[0].ID, r.Fields, err)
	}
}

// wantTrail checks that the audit trail of s verifies.
func wantTrail(t *testing.T, s *seal.Store) {
	t.Helper()
	cp, err := access.Verify(s.Events(context.Background(), 1), access.Checkpoint{}, access.Checkpoint{})
	if err != nil {
		t.Errorf("the audit trail does not verify: %v", err)
	}
	if cp.Seq == 0 {
		t.Error("the audit trail is empty")
	}
}

// wantNoPlaintext checks that no person's content is in the bytes of a
// copy in the clear.
func wantNoPlaintext(t *testing.T, what string, b []byte) {
	t.Helper()
	for _, p := range people {
		for _, s := range []string{p.name, p.note, p.mf} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds %q in the clear", what, s)
			}
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func openSQLite(t *testing.T, path string) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func wrapWith(t *testing.T, b seal.Backend, keys seal.Keys) *seal.Store {
	t.Helper()
	s, err := seal.Wrap(context.Background(), b, seal.Vault{Keys: keys, KEK: testKEK(t)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestErasureReachesSQLiteBackup(t *testing.T) {
	dir := t.TempDir()
	keys, err := seal.OpenFileKeys(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	live, backup := filepath.Join(dir, "live.db"), filepath.Join(dir, "backup.db")
	b := openSQLite(t, live)
	populate(t, wrapWith(t, b, keys))
	// The backup: a copy of the file (and of its write-ahead log, if
	// SQLite kept one), taken before the erasure.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"", "-wal"} {
		copyFile(t, live+ext, backup+ext)
	}
	b = openSQLite(t, live)
	s := wrapWith(t, b, keys)
	erase(t, s)
	wantWhole(t, s, people[1])
	if _, err := s.Record(context.Background(), people[0].records[0].ID); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("live Record of the erased subject: %v, want ErrNotFound", err)
	}
	wantTrail(t, s)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"", "-wal"} {
		if raw, err := os.ReadFile(backup + ext); err == nil {
			wantNoPlaintext(t, "the SQLite backup "+filepath.Base(backup+ext), raw)
		}
	}

	// The restore, beside the live key store.
	rb := openSQLite(t, backup)
	defer rb.Close()
	rs := wrapWith(t, rb, keys)
	wantErased(t, rs, people[0])
	wantWhole(t, rs, people[1])
	wantTrail(t, rs)
	if !slices.ContainsFunc(people, func(p *person) bool { return p.id == "s-anna" }) {
		t.Fatal("unreachable")
	}
}
