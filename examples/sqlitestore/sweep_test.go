package sqlitestore_test

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	_ "modernc.org/sqlite"
)

// The sweep world, as in pgstore's tests: subjects whose employment ended
// in January 2000, each with one absence case closed in June 1999 and
// perSubject records, every tenth one medical (O6). At sweepNow
// everything is due: the notes by O12, the medical records by N7.
var (
	sweepNow = time.Date(2030, 3, 2, 9, 0, 0, 0, time.UTC)
	sweeper  = privacy.Principal{ID: "retention-job", Role: privacy.RolePrivacyOfficer}
)

// rawDB opens the store's file beside the store, for seeding and counting
// outside its API.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	db, err := sql.Open("sqlite", u.String()+"?_busy_timeout=30000&_foreign_keys=1")
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { db.Close() })
	return db
}

// seedSweep fills the file at path with subjects×perSubject due records,
// set-wise (recursive CTEs), in one transaction.
func seedSweep(tb testing.TB, path string, subjects, perSubject int) {
	tb.Helper()
	db := rawDB(tb, path)
	us := func(s string) int64 {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			tb.Fatal(err)
		}
		return t.UnixMicro()
	}
	fields := sqladapter.EncodeFields(map[privacy.Field]string{privacy.FieldText: "a note of a few words"})
	const id = `printf('%08d', n)`
	const gen = `WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ?1) `
	stmts := []struct {
		q    string
		args []any
	}{
		{gen + `INSERT INTO subjects (id, employer, employment_ended, created) SELECT 's-' || ` + id + `, 'employer-1', ?2, ?3 FROM i`,
			[]any{subjects, us("2000-01-31T12:00:00Z"), us("1998-01-01T00:00:00Z")}},
		{gen + `INSERT INTO cases (id, subject_id, kind, purpose, contract_id, contract_party, contract_party_kind,
	contract_start, contract_end, opened, closed)
	SELECT 'c-' || ` + id + `, 's-' || ` + id + `, ?2, ?3, 'contract-1', 'employer-1', ?4, ?5, NULL, ?6, ?7 FROM i`,
			[]any{subjects, string(privacy.CaseAbsence), string(privacy.PurposeAbsenceGuidance), string(privacy.PartyEmployer),
				us("1998-01-01T00:00:00Z"), us("1998-02-01T09:00:00Z"), us("1999-06-01T10:00:00Z")}},
	}
	for _, f := range []struct{ table, category, where string }{
		{"records", string(privacy.CategoryNotes), "m % 10 <> 0"}, {"medical_records", string(privacy.CategoryMedical), "m % 10 = 0"},
	} {
		stmts = append(stmts, struct {
			q    string
			args []any
		}{gen + `, j(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM j WHERE m < ?2 - 1)
	INSERT INTO ` + f.table + ` (id, case_id, subject_id, category, author, source_kind, source_party, purpose, basis,
	created, updated, fields)
	SELECT 'r-' || ` + id + ` || '-' || m, 'c-' || ` + id + `, 's-' || ` + id + `, ?3, 'cm-1', ?4, '', ?5, '',
		?6 + m * 60000000, NULL, ?7 FROM i, j WHERE ` + f.where,
			[]any{subjects, perSubject, f.category, string(privacy.PartyService), string(privacy.PurposeAbsenceGuidance),
				us("1998-03-01T09:00:00Z"), fields}})
	}
	tx, err := db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	for _, st := range stmts {
		if _, err := tx.Exec(st.q, st.args...); err != nil {
			tx.Rollback()
			tb.Fatalf("seeding: %v", err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Exec("ANALYZE"); err != nil {
		tb.Fatal(err)
	}
}

func count(tb testing.TB, db *sql.DB, q string) int {
	tb.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}

const envCrashFile = "DOSSIERWACHT_SWEEP_CRASH_FILE"

// TestSweepCrash kills the process running a sweep halfway, for real: it
// runs this test binary again as a child (TestSweepCrashChild), which
// seeds a file and sweeps it, and sends it SIGKILL once some proofs are
// committed. Then it sweeps again in this process and checks that the
// sweep finished the job exactly: nothing due remains, every deleted
// record has exactly one proof and one audit event, and the audit chain
// verifies link by link (rules O12, N7, G7).
func TestSweepCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the crash test seeds and sweeps thousands of records")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dossiers.db")
	const subjects, perSubject = 2000, 10
	total := subjects * perSubject
	child := exec.Command(os.Args[0], "-test.run=^TestSweepCrashChild$", "-test.count=1", "-test.v")
	child.Env = append(os.Environ(), envCrashFile+"="+path, "DOSSIERWACHT_SWEEP_CRASH_SIZE="+strconv.Itoa(subjects))
	out, err := os.CreateTemp(t.TempDir(), "child")
	if err != nil {
		t.Fatal(err)
	}
	child.Stdout, child.Stderr = out, out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	childLog := func() string { b, _ := os.ReadFile(out.Name()); return string(b) }

	// Wait until a quarter of the deletions are committed, then kill.
	var db *sql.DB
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if db == nil {
			if _, err := os.Stat(path); err == nil {
				db = rawDB(t, path)
			}
		}
		var n int
		if db != nil && db.QueryRow("SELECT count(*) FROM proofs").Scan(&n) == nil && n >= total/4 {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the child ended before it was killed (%v):\n%s", err, childLog())
		default:
		}
		if time.Now().After(deadline) {
			child.Process.Kill()
			t.Fatalf("too few proofs after 2 minutes:\n%s", childLog())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = <-exited
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed by SIGKILL: %v\n%s", err, childLog())
	}

	s, err := sqlitestore.Open(ctx, path, nil)
	if err != nil {
		t.Fatalf("Open after the crash: %v", err)
	}
	defer s.Close()
	left := func() int {
		return count(t, db, "SELECT count(*) FROM records") + count(t, db, "SELECT count(*) FROM medical_records")
	}
	killedAt := count(t, db, "SELECT count(*) FROM proofs")
	if remaining := left(); remaining == 0 || killedAt+remaining != total {
		t.Fatalf("after the kill: %d proofs, %d records left of %d; want a sweep stopped halfway, each deletion with its proof",
			killedAt, remaining, total)
	}
	t.Logf("killed after %d of %d deletions", killedAt, total)

	r, err := retention.New(s, privacy.Strict(), &retention.Options{BatchSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Sweep(ctx, sweeper, sweepNow)
	if err != nil {
		t.Fatalf("Sweep after the crash: %v", err)
	}
	if rep.Erased != total-killedAt {
		t.Errorf("Sweep after the crash erased %d, want %d (report %+v)", rep.Erased, total-killedAt, rep)
	}
	for sch, err := range r.Plan(ctx, sweeper, sweepNow) {
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("still due after the second sweep: %v", sch)
	}
	if n := left(); n != 0 {
		t.Errorf("%d records left, want none", n)
	}
	if n := count(t, db, "SELECT count(*) FROM proofs"); n != total {
		t.Errorf("%d proofs for %d deletions, want one each", n, total)
	}
	if n := count(t, db, "SELECT count(*) FROM (SELECT record_id FROM proofs GROUP BY record_id HAVING count(*) > 1)"); n != 0 {
		t.Errorf("%d records have more than one proof", n)
	}
	deletes := map[string]int{}
	// Rule G7: every chain (one per subject) whole.
	type head struct {
		seq  uint64
		hash privacy.Hash
	}
	heads := map[privacy.SubjectID]head{}
	for e, err := range s.Events(ctx, 1) {
		if err != nil {
			t.Fatal(err)
		}
		h := heads[e.Subject]
		if e.Seq != h.seq+1 || e.Prev != h.hash || e.ComputeHash() != e.Hash {
			t.Fatalf("audit event %d of %q: prev %x (want %x), hash verifies %t", e.Seq, e.Subject, e.Prev[:4], h.hash[:4], e.ComputeHash() == e.Hash)
		}
		heads[e.Subject] = head{e.Seq, e.Hash}
		// The sweep removes the subjects and cases it emptied too, each
		// with a delete event of its own ("case:…", "subject:…").
		if e.Action == privacy.EventDelete && !isObjectEvent(e.Object) {
			deletes[e.Object]++
		}
	}
	if len(deletes) != total {
		t.Errorf("%d records have a delete event, want %d", len(deletes), total)
	}
	for id, n := range deletes {
		if n != 1 {
			t.Errorf("record %s has %d delete events", id, n)
		}
	}
}

// TestSweepCrashChild is TestSweepCrash's child: it seeds the file it is
// given and sweeps it, in small batches, until it is killed.
func TestSweepCrashChild(t *testing.T) {
	path := os.Getenv(envCrashFile)
	if path == "" {
		t.Skip("runs only as the child of TestSweepCrash")
	}
	subjects, err := strconv.Atoi(os.Getenv("DOSSIERWACHT_SWEEP_CRASH_SIZE"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := sqlitestore.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	seedSweep(t, path, subjects, 10)
	r, err := retention.New(s, privacy.Strict(), &retention.Options{BatchSize: 50, PageSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Sweep(ctx, sweeper, sweepNow)
	t.Fatalf("the sweep ended (%+v, %v) before the parent killed it", rep, err)
}

// envSweepRecords sets the size of BenchmarkSweep1M (default 1,000,000
// records); a smaller one makes a quick run.
const envSweepRecords = "DOSSIERWACHT_SWEEP_RECORDS"

func sweepBenchSize(b *testing.B) int {
	n := 1_000_000
	if v := os.Getenv(envSweepRecords); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 10 {
			b.Fatalf("%s=%q: want a number of records, at least 10", envSweepRecords, v)
		}
	}
	return n / 10 * 10
}

// BenchmarkSweep1M is pgstore's BenchmarkSweep1M on SQLite: a sweep of a
// million due records (proof and audit event per record, in batches),
// side by side with a hand-written DELETE of the same rows. Seeding is
// outside the timer. Run it with
//
//	go test -run '^$' -bench BenchmarkSweep1M -benchtime 1x -benchmem ./sqlitestore
//
// and DOSSIERWACHT_SWEEP_RECORDS=100000 for a quick run.
func BenchmarkSweep1M(b *testing.B) {
	n := sweepBenchSize(b)
	ctx := context.Background()
	fresh := func(b *testing.B) *sqlitestore.Store {
		b.Helper()
		b.StopTimer()
		defer b.StartTimer()
		s := open(b)
		seedSweep(b, s.Path(), n/10, 10)
		return s
	}
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			s := fresh(b)
			r, err := retention.New(s, privacy.Strict(), &retention.Options{BatchSize: 4096, PageSize: 512})
			if err != nil {
				b.Fatal(err)
			}
			rep, err := r.Sweep(ctx, sweeper, sweepNow)
			if err != nil || rep.Erased != n {
				b.Fatalf("Sweep = %+v, %v; want %d erased", rep, err, n)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
	})
	// The same sweep of the records alone, as sweeps were before issue
	// 14: "library" above also removes each emptied case and subject, with
	// its proof and audit event, which the hand-written SQL below does not.
	b.Run("library-records-only", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			s := fresh(b)
			r, err := retention.New(recordsOnly{s}, privacy.Strict(), &retention.Options{BatchSize: 4096, PageSize: 512})
			if err != nil {
				b.Fatal(err)
			}
			rep, err := r.Sweep(ctx, sweeper, sweepNow)
			if err != nil || rep.Erased != n {
				b.Fatalf("Sweep = %+v, %v; want %d erased", rep, err, n)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
	})
	// The hand-written SQL: the bare DELETE the target compares with, and
	// two floors under any sweep that keeps the evidence a sweep must keep
	// (pgstore's BenchmarkSweep1M has the same three): a proof row per
	// deleted record, then an audit-event row per record too (a random
	// 32-byte stand-in for its hash, no chain), written by INSERT … SELECT
	// before the DELETE in the same transaction.
	for _, hw := range []struct {
		name           string
		proofs, events bool
	}{
		{"hand-written-DELETE", false, false},
		{"hand-written-DELETE-with-proofs", true, false},
		{"hand-written-DELETE-with-proofs-and-events", true, true},
	} {
		b.Run(hw.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				s := fresh(b)
				if deleted := handDelete(b, s.Path(), hw.proofs, hw.events); deleted != int64(n) {
					b.Fatalf("DELETE = %d rows; want %d", deleted, n)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// handDelete deletes every record of BenchmarkSweep1M's data in one
// transaction, storing a proof and an audit event per record first when
// asked; it returns the number of records deleted.
func handDelete(b *testing.B, path string, proofs, events bool) int64 {
	db := rawDB(b, path)
	cut := sweepNow.AddDate(-2, 0, 0).UnixMicro()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	deleted := int64(0)
	for _, f := range []struct {
		table, due string
		medical    int
	}{
		{"records", `case_id IN (SELECT id FROM cases WHERE closed < ?)`, 0},
		{"medical_records", `case_id IN (SELECT c.id FROM cases c JOIN subjects s ON s.id = c.subject_id
	WHERE s.employment_ended < ?)`, 1},
	} {
		var qs []string
		if proofs {
			qs = append(qs, `INSERT INTO proofs (record_id, medical, case_id, case_kind, subject_id, category, updated, due,
	deleted, rule, reason, citation, erasure, policy, by_principal)
SELECT id, `+strconv.Itoa(f.medical)+`, case_id, 'absence', subject_id, category, coalesce(updated, created), '2001-06-01',
	unixepoch() * 1000000, 'R9', 'period', 'Wet verbetering poortwachter', '', 'strict@1', 'retention-job'
FROM `+f.table+` WHERE `+f.due)
		}
		if events {
			qs = append(qs, `INSERT INTO audit_events (seq, time, principal, role, on_behalf_of, purpose, subject, case_id,
	category, object, action, outcome, rule, policy, access_point, client, prev, hash)
SELECT (SELECT coalesce(max(seq), 0) FROM audit_events) + row_number() OVER (ORDER BY id), unixepoch() * 1000000,
	'retention-job', 'administrator', '', 'absence-guidance', subject_id, case_id, category, id, 'delete', 'allowed',
	'R9', 'strict@1', '', '', x'00', randomblob(32)
FROM `+f.table+` WHERE `+f.due)
		}
		for _, q := range append(qs, `DELETE FROM `+f.table+` WHERE `+f.due) {
			res, err := tx.Exec(q, cut)
			if err != nil {
				b.Fatal(err)
			}
			if strings.HasPrefix(q, "DELETE") {
				k, _ := res.RowsAffected()
				deleted += k
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return deleted
}

// isObjectEvent reports whether an audit event's object names a stored
// object besides a record, as a sweep's deletion of it does
// ("subject:s-1").
func isObjectEvent(object string) bool {
	for _, k := range privacy.DataKinds() {
		if strings.HasPrefix(object, string(k)+":") {
			return true
		}
	}
	return false
}

// recordsOnly hides a store's retention.ObjectStore: a sweep through it
// removes records only.
type recordsOnly struct{ sweepStore }

// sweepStore is a store that deletes records in batches.
type sweepStore interface {
	retention.Store
	retention.BatchStore
}
