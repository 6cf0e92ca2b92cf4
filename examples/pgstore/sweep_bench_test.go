package pgstore_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/jackc/pgx/v5"
)

// envSweepRecords sets the size of BenchmarkSweep1M (default 1,000,000
// records); a smaller one makes a quick run.
const envSweepRecords = "DOSSIERWACHT_SWEEP_RECORDS"

// sweepBenchSize returns the benchmark's number of records, a multiple of
// ten.
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

// BenchmarkSweep1M sweeps a million due records (100,000 subjects with a
// closed case of 10 records, one in ten in the medical file), side by
// side with a hand-written DELETE of the same rows. The library writes a
// proof and a hash-chained audit event per record besides the deletion,
// in batches (retention.BatchStore). Seeding (generate_series, VACUUM
// ANALYZE) is outside the timer. Target: the library within 2× of the
// DELETE. Run it with
//
//	DOSSIERWACHT_POSTGRES_DSN=… go test -run '^$' -bench BenchmarkSweep1M -benchtime 1x -benchmem ./pgstore
//
// and DOSSIERWACHT_SWEEP_RECORDS=100000 for a quick run.
func BenchmarkSweep1M(b *testing.B) {
	n := sweepBenchSize(b)
	ctx := context.Background()
	pool := pgstore.PoolForTest(b, pgx.QueryExecModeExec)
	fresh := func(b *testing.B) *pgstore.Store {
		b.Helper()
		b.StopTimer()
		defer b.StartTimer()
		s := pgstore.NewForTest(b, pool, nil)
		seedSweep(b, pool, s, n/10, 10)
		return s
	}
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			s := fresh(b)
			r, err := retention.New(s, privacy.Strict(), &retention.Options{BatchSize: sweepBatch, PageSize: sweepPage})
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
	// The same sweep through EraseRecord alone, one transaction per
	// record: what batching saves. Only for small sizes.
	b.Run("library-one-by-one", func(b *testing.B) {
		if n > 100_000 {
			b.Skipf("one transaction per record: run with %s=100000 or less", envSweepRecords)
		}
		b.ReportAllocs()
		for range b.N {
			s := fresh(b)
			r, err := retention.New(oneByOne{s}, privacy.Strict(), &retention.Options{BatchSize: sweepBatch, PageSize: sweepPage})
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
	b.Run("hand-written-DELETE", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			s := fresh(b)
			schema, medical := s.Schemas()
			sc, md := pgx.Identifier{schema}.Sanitize(), pgx.Identifier{medical}.Sanitize()
			deleted := 0
			err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				for _, q := range []string{
					`DELETE FROM ` + sc + `.records WHERE case_id IN (SELECT id FROM ` + sc + `.cases WHERE closed < $1)`,
					`DELETE FROM ` + md + `.records WHERE case_id IN (SELECT c.id FROM ` + sc + `.cases c JOIN ` + sc +
						`.subjects s ON s.id = c.subject_id WHERE s.employment_ended < $1)`,
				} {
					tag, err := tx.Exec(ctx, q, sweepNow.AddDate(-2, 0, 0))
					if err != nil {
						return err
					}
					deleted += int(tag.RowsAffected())
				}
				return nil
			})
			if err != nil || deleted != n {
				b.Fatalf("DELETE = %d rows, %v; want %d", deleted, err, n)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
	})
}

// The sweep's batch and page sizes in the benchmark.
var sweepBatch, sweepPage = 4096, 512

// oneByOne hides the store's EraseRecords: the sweep calls EraseRecord
// per record.
type oneByOne struct{ retention.Store }
