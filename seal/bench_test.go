package seal_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/dossierwacht/dossierwacht/seal/sealtest"
)

// The cost of sealing, through the front door, sealed against unsealed in
// one run, on the in-memory store and on SQLite:
//
//	go test -run '^$' -bench 'Sealed' -benchmem ./seal/

var benchNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var (
	benchCarla = dossierwacht.NewActor(privacy.Principal{ID: "carla", Role: privacy.RoleCaseManager, Party: "arbo",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"case-1"}, nil)
	benchBert = dossierwacht.NewActor(privacy.Principal{ID: "bert", Role: privacy.RoleEmployerContact, Party: "bakery"}, nil, nil)
)

// benchStores are the stores the benchmarks run on, each unsealed and
// sealed.
var benchStores = []struct {
	name string
	new  func(b *testing.B) dossierwacht.Store
}{
	{"memstore", func(*testing.B) dossierwacht.Store { return memstore.New() }},
	{"sqlite", func(b *testing.B) dossierwacht.Store {
		s, err := sqlitestore.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}},
}

// benchService opens the Service over store, sealed or not, with Anna and
// an open case.
func benchService(b *testing.B, store dossierwacht.Store, sealed bool) *dossierwacht.Service {
	ctx := context.Background()
	opts := &dossierwacht.Options{Clock: func() time.Time { return benchNow }}
	if sealed {
		opts.Vault = &seal.Vault{Keys: seal.NewMemKeys(), KEK: sealtest.KEK(b)}
	}
	svc, err := dossierwacht.Open(ctx, store, privacy.Strict(), opts)
	if err != nil {
		b.Fatal(err)
	}
	if err := svc.RegisterSubject(ctx, benchBert, privacy.Subject{ID: "anna", Employer: "bakery"}); err != nil {
		b.Fatal(err)
	}
	if err := svc.OpenCase(ctx, benchCarla, privacy.Case{ID: "case-1", Subject: "anna", Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Contract: privacy.Contract{ID: "contract-1", Party: "bakery",
			PartyKind: privacy.PartyEmployer, Start: benchNow.AddDate(-1, 0, 0)}}); err != nil {
		b.Fatal(err)
	}
	return svc
}

// benchRecords returns 100 records of a typical mix, IDs from n on.
func benchRecords(n int) []privacy.Record {
	mix := []struct {
		cat    privacy.Category
		fields []privacy.Field
	}{
		{privacy.CategoryAbsenceFacts, []privacy.Field{privacy.FieldFirstDay, privacy.FieldIncapacityDegree}},
		{privacy.CategoryNotes, []privacy.Field{privacy.FieldText}},
		{privacy.CategoryStatements, []privacy.Field{privacy.FieldText}},
		{privacy.CategoryAppointment, []privacy.Field{privacy.FieldWhen, privacy.FieldWhere, privacy.FieldWith}},
		{privacy.CategoryContact, []privacy.Field{privacy.FieldPhone, privacy.FieldEmail}},
	}
	out := make([]privacy.Record, 100)
	for i := range out {
		m := mix[i%len(mix)]
		f := map[privacy.Field]string{}
		for _, fl := range m.fields {
			f[fl] = "some value of " + string(fl) + " for this record, a sentence long"
		}
		out[i] = privacy.Record{ID: privacy.RecordID(fmt.Sprintf("r-%d", n+i)), Case: "case-1", Subject: "anna",
			Category: m.cat, Source: privacy.Source{Kind: privacy.PartyService}, Fields: f}
	}
	return out
}

var benchView access.CaseView

// BenchmarkSealedView100: the redacted view of a case of 100 records by
// its case manager, through the front door (read, decide, audit).
func BenchmarkSealedView100(b *testing.B) {
	ctx := context.Background()
	for _, st := range benchStores {
		for _, sealed := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/sealed=%t", st.name, sealed), func(b *testing.B) {
				svc := benchService(b, st.new(b), sealed)
				if err := svc.AddRecords(ctx, benchCarla, benchRecords(0)...); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					v, err := svc.View(ctx, benchCarla, "case-1", privacy.PurposeAbsenceGuidance)
					if err != nil {
						b.Fatal(err)
					}
					benchView = v
				}
				if len(benchView.Records) != 100 {
					b.Fatalf("the view holds %d records", len(benchView.Records))
				}
			})
		}
	}
}

// BenchmarkSealedAdd100: an addition of 100 records in one call, through
// the front door (decide, seal, store, audit). The case starts afresh
// every 1000 records (the front door reads the subject's dossier on every
// write, so that a case growing without end would measure that instead).
func BenchmarkSealedAdd100(b *testing.B) {
	ctx := context.Background()
	for _, st := range benchStores {
		for _, sealed := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/sealed=%t", st.name, sealed), func(b *testing.B) {
				svc := benchService(b, st.new(b), sealed)
				n := 0
				b.ReportAllocs()
				for b.Loop() {
					if n > 0 && n%1000 == 0 {
						b.StopTimer()
						svc = benchService(b, st.new(b), sealed)
						b.StartTimer()
					}
					rs := benchRecords(n)
					n += len(rs)
					if err := svc.AddRecords(ctx, benchCarla, rs...); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
