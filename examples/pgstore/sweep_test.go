package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The sweep world: subjects whose employment ended in January 2000, each
// with one absence case closed in June 1999 and perSubject records, every
// tenth one medical (in the medical file, O6). At sweepNow everything is
// due: the notes two years after the case closed (O12), the medical
// records twenty years after the employment ended (N7).
var (
	sweepNow = time.Date(2030, 3, 2, 9, 0, 0, 0, time.UTC)
	sweeper  = privacy.Principal{ID: "retention-job", Role: privacy.RolePrivacyOfficer}
)

// seedSweep fills the store's schemas with subjects×perSubject due
// records, set-wise on the server (generate_series), and analyzes the
// tables. It returns the number of records.
func seedSweep(tb testing.TB, pool *pgxpool.Pool, s *pgstore.Store, subjects, perSubject int) int {
	tb.Helper()
	ctx := context.Background()
	schema, medical := s.Schemas()
	sc, md := pgx.Identifier{schema}.Sanitize(), pgx.Identifier{medical}.Sanitize()
	fields := sqladapter.EncodeFields(map[privacy.Field]string{privacy.FieldText: "a note of a few words"})
	const id = `lpad(i::text, 8, '0')`
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO ` + sc + `.subjects (id, employer, employment_ended, created)
	SELECT 's-' || ` + id + `, 'employer-1', '2000-01-31T12:00:00Z', '1998-01-01T00:00:00Z' FROM generate_series(1, $1) i`,
			[]any{subjects}},
		{`INSERT INTO ` + sc + `.cases (id, subject_id, kind, purpose, contract_id, contract_party, contract_party_kind,
	contract_start, contract_end, opened, closed)
	SELECT 'c-' || ` + id + `, 's-' || ` + id + `, $2, $3, 'contract-1', 'employer-1', $4,
		'1998-01-01T00:00:00Z', NULL, '1998-02-01T09:00:00Z', '1999-06-01T10:00:00Z' FROM generate_series(1, $1) i`,
			[]any{subjects, string(privacy.CaseAbsence), string(privacy.PurposeAbsenceGuidance), string(privacy.PartyEmployer)}},
	}
	for _, f := range []struct {
		table, category, where string
	}{{sc + ".records", string(privacy.CategoryNotes), "j % 10 <> 0"}, {md + ".records", string(privacy.CategoryMedical), "j % 10 = 0"}} {
		stmts = append(stmts, struct {
			q    string
			args []any
		}{`INSERT INTO ` + f.table + ` (id, case_id, subject_id, category, author, source_kind, source_party, purpose, basis,
	created, updated, fields)
	SELECT 'r-' || ` + id + ` || '-' || j, 'c-' || ` + id + `, 's-' || ` + id + `, $3, 'cm-1', $4, '', $5, '',
		'1998-03-01T09:00:00Z'::timestamptz + j * interval '1 minute', NULL, $6
	FROM generate_series(1, $1) i, generate_series(0, $2 - 1) j WHERE ` + f.where,
			[]any{subjects, perSubject, f.category, string(privacy.PartyService), string(privacy.PurposeAbsenceGuidance), fields}})
	}
	for _, st := range stmts {
		if _, err := pool.Exec(ctx, st.q, st.args...); err != nil {
			tb.Fatalf("seeding: %v", err)
		}
	}
	for _, t := range []string{sc + ".subjects", sc + ".cases", sc + ".records", md + ".records"} {
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE "+t); err != nil {
			tb.Fatalf("VACUUM ANALYZE: %v", err)
		}
	}
	return subjects * perSubject
}

// count returns the result of a count(*) query.
func count(tb testing.TB, pool *pgxpool.Pool, q string) int {
	tb.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), q).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}

// The crash test's child reads its schema from this variable; it runs
// only when the parent sets it.
const envCrashSchema = "DOSSIERWACHT_SWEEP_CRASH_SCHEMA"

// TestSweepCrash kills the process running a sweep halfway, for real: it
// runs this test binary again as a child (TestSweepCrashChild), which
// seeds a schema and sweeps it, and sends it SIGKILL once some proofs are
// committed. Then it sweeps again in this process and checks that the
// sweep finished the job exactly: nothing due remains, every deleted
// record has exactly one proof and every proof one deleted record, each
// with one audit event, and the audit chain verifies link by link (rules
// O12, N7, G7).
func TestSweepCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the crash test seeds and sweeps thousands of records")
	}
	ctx := context.Background()
	pool := pgstore.PoolForTest(t, pgx.QueryExecModeExec)
	schema := pgstore.SchemaForTest(t)
	pgstore.DropSchemas(t, pool, schema)

	const subjects, perSubject = 2000, 10
	child := exec.Command(os.Args[0], "-test.run=^TestSweepCrashChild$", "-test.count=1", "-test.v")
	child.Env = append(os.Environ(), envCrashSchema+"="+schema, "DOSSIERWACHT_SWEEP_CRASH_SIZE="+strconv.Itoa(subjects))
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
	proofs := fmt.Sprintf("SELECT count(*) FROM %s.proofs", pgx.Identifier{schema}.Sanitize())
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var n int
		err := pool.QueryRow(ctx, proofs).Scan(&n)
		if err == nil && n >= subjects*perSubject/4 {
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

	s := pgstore.NewForTest(t, pool, &pgstore.Options{Schema: schema})
	total := subjects * perSubject
	sc, md := pgx.Identifier{schema}.Sanitize(), pgx.Identifier{schema + "_medical"}.Sanitize()
	left := func() int {
		return count(t, pool, "SELECT count(*) FROM "+sc+".records") + count(t, pool, "SELECT count(*) FROM "+md+".records")
	}
	killedAt := count(t, pool, proofs)
	if remaining := left(); remaining == 0 || killedAt == 0 || killedAt+remaining != total {
		t.Fatalf("after the kill: %d proofs, %d records left of %d; want a sweep stopped halfway, each deletion with its proof",
			killedAt, remaining, total)
	}
	t.Logf("killed after %d of %d deletions", killedAt, total)

	// Large batches: their audit events go by COPY.
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
	if n := count(t, pool, proofs); n != total {
		t.Errorf("%d proofs for %d deletions, want one each", n, total)
	}
	if n := count(t, pool, "SELECT count(*) FROM (SELECT record_id FROM "+sc+".proofs GROUP BY record_id HAVING count(*) > 1) x"); n != 0 {
		t.Errorf("%d records have more than one proof", n)
	}
	// One delete event per proof, for the same records; the chain holds.
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
	if n := count(t, pool, "SELECT count(*) FROM "+sc+".proofs p WHERE NOT EXISTS (SELECT 1 FROM "+sc+
		".audit_events e WHERE e.object = p.record_id AND e.action = 'delete')"); n != 0 {
		t.Errorf("%d proofs without their audit event", n)
	}
}

// TestSweepCrashChild is TestSweepCrash's child: it seeds the schema it is
// given and sweeps it, in small batches, until it is killed.
func TestSweepCrashChild(t *testing.T) {
	schema := os.Getenv(envCrashSchema)
	if schema == "" {
		t.Skip("runs only as the child of TestSweepCrash")
	}
	subjects, err := strconv.Atoi(os.Getenv("DOSSIERWACHT_SWEEP_CRASH_SIZE"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pool := pgstore.PoolForTest(t, pgx.QueryExecModeExec)
	s, err := pgstore.New(ctx, pool, &pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	seedSweep(t, pool, s, subjects, 10)
	r, err := retention.New(s, privacy.Strict(), &retention.Options{BatchSize: 50, PageSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Sweep(ctx, sweeper, sweepNow)
	t.Fatalf("the sweep ended (%+v, %v) before the parent killed it", rep, err)
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
