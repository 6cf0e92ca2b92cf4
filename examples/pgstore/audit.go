package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

const eventColumns = sqlcore.EventColumns

// AppendEvents appends events to the audit trail, all or none, and returns
// them as stored: numbered and chained (rules G7, N9). Every write of the
// store appends its events in its own transaction the same way.
//
// Calls made at the same time share their statements (group commit):
// one statement carries the events of every call that waited for the one
// before it, each call still all or none.
//
// It takes one round trip to the server where the store remembers the
// heads of the chains it appends to (its own last appends): one statement,
// append_chained, which checks the events against the chains' real heads
// under their locks. A head it does not know, or that moved on, costs one
// more round trip to read it. What the guard appends for every decision
// is on the path of every read (issue 14 §2).
func (s *Store) AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	const op = "pgstore: append events"
	if err := sqlcore.CheckEvents(op, events); err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return []privacy.Event{}, nil
	}
	c := &appendCall{ctx: ctx, events: events}
	s.appends.do(c, func(batch []*appendCall) { s.flush(op, batch) })
	if c.err != nil {
		return nil, fail(op, c.err, nil)
	}
	return c.out, nil
}

// flush appends the events of the calls of batch with one statement, in
// the first call's context; if that fails and there is more than one
// call, it appends each call's events on their own, in its own context.
func (s *Store) flush(op string, batch []*appendCall) {
	if len(batch) == 1 {
		c := batch[0]
		c.out, c.err = s.appendRemembered(c.ctx, op, c.events)
		return
	}
	var all []privacy.Event
	for _, c := range batch {
		all = append(all, c.events...)
	}
	out, err := s.appendRemembered(batch[0].ctx, op, all)
	if err != nil {
		// Rules G7, N9: a batch whose fate is unknown (its answer lost,
		// and the store could not learn whether it was appended) is not
		// appended again call by call: that could store the other calls'
		// events twice. Each call is told it failed.
		if errors.Is(err, errUnsettled) {
			for _, c := range batch {
				c.err = err
			}
			return
		}
		// Each call on its own, a panic in its try its own (rule G7:
		// the calls tried before it keep their outcome, those after it
		// are still tried).
		for _, c := range batch {
			c.alone(func() { c.out, c.err = s.appendRemembered(c.ctx, op, c.events) })
		}
		return
	}
	for _, c := range batch {
		c.out, out = out[:len(c.events):len(c.events)], out[len(c.events):]
	}
}

// appendRemembered is AppendEvents for one statement's events. Where the
// store remembers the heads of all their chains, it chains them after
// those and appends them with one statement outside any transaction (one
// round trip; a statement is atomic on its own, so a refused one appended
// nothing). Where it remembers none, or a chain moved on meanwhile
// (another process, or a write's transaction, appended to it), it appends
// them in a transaction that locks the chains and reads their heads
// first ([Store.appendLocked], two round trips), which no append can
// overtake. Either way it remembers the heads it leaves.
func (s *Store) appendRemembered(ctx context.Context, op string, events []privacy.Event) ([]privacy.Event, error) {
	chains := chainsOf(events)
	es := s.heads.acquire(chains)
	defer s.heads.release(chains, es)
	heads := make(map[privacy.SubjectID]access.Checkpoint, len(chains))
	gens := make([]uint64, len(chains))
	known := true
	for i, e := range es {
		gens[i] = e.gen.Load()
		h, ok := e.remembered()
		heads[privacy.SubjectID(chains[i])] = h
		known = known && ok
	}
	remember := func(out []privacy.Event) {
		for _, e := range out {
			heads[e.Subject] = access.Checkpoint{Seq: e.Seq, Hash: e.Hash}
		}
		for i, c := range chains {
			es[i].remember(heads[privacy.SubjectID(c)], gens[i])
		}
	}
	if known {
		out := chainAfter(s.key, events, heads)
		if err := s.faults.Wrote(op, int64(len(out))); err != nil {
			return nil, err
		}
		pid, err := s.execAppend(ctx, out)
		if err != nil && pid != 0 {
			// Rules G7, N9: the answer was lost (the context ended
			// while it was on its way); whether the server appended
			// the events is learned before anything is said or tried
			// again.
			err = s.settle(ctx, pid, out, err)
		}
		if err == nil {
			remember(out)
			return out, nil
		}
		for _, e := range es {
			e.known = false
		}
		if !chainMoved(err) {
			return nil, err
		}
		// A chain moved on: the heads are read again, under their locks.
		for i, e := range es {
			gens[i] = e.gen.Load()
		}
	}
	out, pid, err := s.appendLocked(ctx, op, events)
	if err != nil && pid != 0 {
		err = s.settle(ctx, pid, out, err)
	}
	if err != nil {
		return nil, err
	}
	remember(out)
	return out, nil
}

// errUnsettled marks an append whose answer was lost and whose fate the
// store could not learn: its events may or may not be stored.
var errUnsettled = errors.New("the append's outcome is unknown: its answer was lost")

// execAppend sends append_chained for out on a connection of its own. On
// an error after the statement may have reached the server, other than
// the server's own refusal, it returns the connection's backend PID,
// which [Store.settle] needs; else 0.
func (s *Store) execAppend(ctx context.Context, out []privacy.Event) (uint32, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Release()
	pid := conn.Conn().PgConn().PID()
	if _, err := conn.Exec(ctx, s.q.appendEvents, appendArgs(out)...); err != nil {
		return unsettledPID(pid, err), err
	}
	return 0, nil
}

// unsettledPID is pid when err may have left a statement's outcome
// unknown: not the server's refusal, and not an error pgx reports before
// sending anything.
func unsettledPID(pid uint32, err error) uint32 {
	var pg *pgconn.PgError
	if errors.As(err, &pg) || pgconn.SafeToRetry(err) {
		return 0
	}
	return pid
}

// settleTimeout bounds how long an append whose answer was lost waits,
// past its context, to learn its outcome: long enough for a closed
// connection's backend to end, short enough that a caller whose context
// ended is not held for long when the server cannot be reached.
const settleTimeout = 3 * time.Second

// settle learns whether out, sent on the connection of backend pid whose
// answer was lost (err), was appended (rules G7, N9: an error only for
// events not stored, success only for events stored, and never stored
// twice). It waits, outside ctx (which may have ended), until that
// backend is gone — its connection was closed with the error, so its
// statement or transaction has either committed or never will — then
// reads the head of the chain of out's last event under the chain's lock.
// It returns nil when out is stored, err when it is not, and err marked
// errUnsettled when it cannot tell. Behind a pooler in transaction mode
// the PID is not the backend's; the read under the chain's lock still
// waits for a statement that holds it, not for one still queued for it.
func (s *Store) settle(ctx context.Context, pid uint32, out []privacy.Event, err error) error {
	unknown := func(cause error) error {
		return fmt.Errorf("%w (%w; learning the outcome: %v)", errUnsettled, err, cause)
	}
	if len(out) == 0 {
		return err
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	for {
		var alive bool
		if qerr := s.pool.QueryRow(sctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)`, int32(pid)).Scan(&alive); qerr != nil {
			return unknown(qerr)
		}
		if !alive {
			break
		}
		select {
		case <-sctx.Done():
			return unknown(sctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
	last := out[len(out)-1]
	first := last
	for _, e := range out {
		if e.Subject == last.Subject {
			first = e
			break
		}
	}
	var seq int64
	var hash []byte
	qerr := pgx.BeginFunc(sctx, s.pool, func(tx pgx.Tx) error {
		return tx.QueryRow(sctx, s.q.lastEvent, string(last.Subject)).Scan(&seq, &hash)
	})
	switch {
	case errors.Is(qerr, pgx.ErrNoRows):
		return err // an empty chain: nothing of out stored
	case qerr != nil:
		return unknown(qerr)
	case uint64(seq) == last.Seq && bytes.Equal(hash, last.Hash[:]):
		return nil
	case uint64(seq) < first.Seq:
		return err // the chain ends before out's first event of it
	}
	// The chain moved on past the events (another process appended):
	// the role that reads the trail looks for the event itself.
	var stored []byte
	switch qerr := s.pool.QueryRow(sctx, `SELECT hash FROM `+pgx.Identifier{s.schema}.Sanitize()+
		`.audit_events WHERE subject = $1 AND seq = $2`, string(last.Subject), int64(last.Seq)).Scan(&stored); {
	case qerr == nil:
		if bytes.Equal(stored, last.Hash[:]) {
			return nil
		}
		return err // another event holds its number: out was not appended
	case !errors.Is(qerr, pgx.ErrNoRows):
		return unknown(qerr)
	}
	// The error names no chain: every call of a shared statement
	// receives it, and the chain may be another caller's subject (rule
	// O10).
	return unknown(fmt.Errorf("the chain moved on to %d past the events, which are not to be found", seq))
}

// chainMoved tells whether err is append_chained's refusal of a batch
// whose first event of a chain does not follow the chain's head, or the
// primary key's refusal of a number taken meanwhile (under an isolation
// level above READ COMMITTED, where the function's read of the head may
// not see an append committed while it waited for the chain's lock).
func chainMoved(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == codeChainMoved ||
		pg.Code == codeUniqueViolation && pg.TableName == "audit_events")
}

// chainAfter is events numbered, linked and hashed under key (rule G7),
// each after the head of its chain in heads (none: the chain is empty) and
// the events before it in its chain.
func chainAfter(key []byte, events []privacy.Event, heads map[privacy.SubjectID]access.Checkpoint) []privacy.Event {
	out := make([]privacy.Event, len(events))
	for i, e := range events {
		h := heads[e.Subject]
		out[i] = e.ChainKeyed(key, h.Seq+1, h.Hash)
		heads[e.Subject] = access.Checkpoint{Seq: out[i].Seq, Hash: out[i].Hash}
	}
	return out
}

// scanHeads reads the rows of lastEvents (err the query's error): the
// head of each chain asked for that has one. A stored hash of the wrong
// length is an error matching access.ErrDamaged.
func scanHeads(op string, rows sqlcore.Rows, err error, n int) (map[privacy.SubjectID]access.Checkpoint, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	heads := make(map[privacy.SubjectID]access.Checkpoint, n)
	for rows.Next() {
		var chain string
		var seq *int64
		var hash []byte
		if err := rows.Scan(&chain, &seq, &hash); err != nil {
			return nil, err
		}
		if seq == nil {
			continue // an empty chain
		}
		var h access.Checkpoint
		if len(hash) != len(h.Hash) {
			return nil, access.Damaged(op, privacy.SubjectID(chain), uint64(*seq))
		}
		h.Seq = uint64(*seq)
		copy(h.Hash[:], hash)
		heads[privacy.SubjectID(chain)] = h
	}
	return heads, rows.Err()
}

// chainsOf is the chains events go to: their subjects' IDs, sorted, each
// once.
func chainsOf(events []privacy.Event) []string {
	chains := make([]string, 0, 1)
	for _, e := range events {
		chains = append(chains, string(e.Subject))
	}
	slices.Sort(chains)
	return slices.Compact(chains)
}

// appendLocked appends events in a transaction of two batches on one
// connection: its start and the reads of its chains' heads through
// chain_head_locked, which locks each chain until the transaction ends;
// then the append and the commit. On an error the connection goes back to
// the pool inside its transaction, and the pool closes it: nothing was
// committed.
//
// When the commit's answer is lost, it returns the events as chained,
// the error and the connection's backend PID, for [Store.settle]; the
// PID is 0 whenever nothing can have been committed.
func (s *Store) appendLocked(ctx context.Context, op string, events []privacy.Event) ([]privacy.Event, uint32, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer conn.Release()
	chains := chainsOf(events)
	var start pgx.Batch
	start.Queue("BEGIN ISOLATION LEVEL READ COMMITTED")
	start.Queue(s.q.lastEvents, chains)
	br := conn.SendBatch(ctx, &start)
	_, err = br.Exec()
	var heads map[privacy.SubjectID]access.Checkpoint
	if err == nil {
		rows, qerr := br.Query()
		heads, err = scanHeads(op, rows, qerr, len(chains))
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, 0, err
	}
	out := chainAfter(s.key, events, heads)
	if err := s.faults.Wrote(op, int64(len(out))); err != nil {
		return nil, 0, err
	}
	pid := conn.Conn().PgConn().PID()
	var finish pgx.Batch
	finish.Queue(s.q.appendEvents, appendArgs(out)...)
	finish.Queue("COMMIT")
	br = conn.SendBatch(ctx, &finish)
	_, err = br.Exec()
	if err == nil {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return out, unsettledPID(pid, err), err
	}
	return out, 0, nil
}

// appendArgs are the arguments of append_chained for the chained events
// out: each column as an array.
func appendArgs(out []privacy.Event) []any {
	n := len(out)
	seqs, times := make([]int64, n), make([]pgtype.Timestamptz, n)
	text := make([][]string, 14)
	for i := range text {
		text[i] = make([]string, n)
	}
	prevs, hashes := make([][]byte, n), make([][]byte, n)
	for i := range out {
		e := &out[i]
		seqs[i], times[i], prevs[i], hashes[i] = int64(e.Seq), ts(e.Time), e.Prev[:], e.Hash[:]
		for j, v := range sqlcore.EventText(e) {
			text[j][i] = v
		}
	}
	args := make([]any, 0, 18)
	args = append(args, seqs, times)
	for _, col := range text {
		args = append(args, col)
	}
	return append(args, prevs, hashes)
}

// appendEvents appends events inside tx, each to the chain of its subject
// (rule G7), numbered, linked and hashed after the chain's last event: the
// core calls it from the stores' own transactions, so that an operation
// and its audit events commit together (rules O1, G7, N9).
//
// It reads the heads of the chains it appends to through chain_head_locked
// (migration 0060), which locks each chain until the transaction ends (in
// the order of the chains' names, so that two appends never wait on each
// other crosswise), chains the events under the store's key
// ([sqlcore.Store.Chained]) and appends them through append_chained, the
// one way every role may append: it checks that each event is the next of
// its chain and linked to its head. Appends to different chains never
// wait on each other. The locks need no session state, so they hold
// behind PgBouncer in transaction mode.
func (s *Store) appendEvents(ctx context.Context, tx pgx.Tx, op string, events []privacy.Event) ([]privacy.Event, error) {
	if len(events) == 0 {
		return []privacy.Event{}, nil
	}
	if err := s.chainEvents(ctx, txConn{tx}, op, events, func(out []privacy.Event) { events = out }); err != nil {
		return nil, err
	}
	return events, nil
}

// chainEvents appends events inside tx as appendEvents does; done, if not
// nil, receives them as stored.
func (s *Store) chainEvents(ctx context.Context, tx sqlcore.Conn, op string, events []privacy.Event, done func([]privacy.Event)) error {
	// The head this transaction leaves is known once it commits: what
	// the store remembers of these chains is no longer to be trusted.
	chains := chainsOf(events)
	s.heads.forget(chains)
	rows, err := tx.Query(ctx, s.q.lastEvents, chains)
	heads, err := scanHeads(op, rows, err, len(chains))
	if err != nil {
		return err
	}
	out := chainAfter(s.key, events, heads)
	if _, err := tx.Exec(ctx, s.q.appendEvents, appendArgs(out)...); err != nil {
		return err
	}
	if err := s.faults.Wrote(op, int64(len(out))); err != nil {
		return err
	}
	if done != nil {
		done(out)
	}
	return nil
}

// Events yields the audit trail from sequence number from on (1 is the
// first event), in order. It reads a page at a time, so events appended
// while it runs are yielded too. With a context marked by [WithReplica] it
// may read the replica.
func (s *Store) Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error] {
	return s.core().Events(ctx, from)
}

// SubjectEvents yields the audit events about one subject from sequence
// number from on, in order: who did what with the subject's data (rule
// N9: a client may ask who accessed their data). With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) SubjectEvents(ctx context.Context, id privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error] {
	return s.core().SubjectEvents(ctx, id, from)
}

// scanEvent reads a row of eventColumns.
func scanEvent(row pgx.Row) (privacy.Event, error) { return sqlcore.ScanEvent(dialect{}, row) }

// ChainEvents yields every chain of the trail, one after the other, each
// in the order of its numbers: what a verifier reads (access.ChainStore).
func (s *Store) ChainEvents(ctx context.Context) iter.Seq2[privacy.Event, error] {
	return s.core().ChainEvents(ctx)
}

// AuditKey returns the key the store chains its audit events under
// (Options.AuditKey; nil: unkeyed), for the verifier of the same process.
func (s *Store) AuditKey() []byte { return s.key }

// AuditHeads returns the last event of every chain of the trail: what a
// service saves as checkpoints outside the database (rule G7).
func (s *Store) AuditHeads(ctx context.Context) (access.Heads, error) {
	return s.core().AuditHeads(ctx)
}

// AuditAnchors returns the signed starting points of the pruned chains.
func (s *Store) AuditAnchors(ctx context.Context) (map[privacy.SubjectID]privacy.Anchor, error) {
	return s.core().AuditAnchors(ctx)
}

// PruneAudit deletes the events of every chain up to the last one dated
// before before (rule N9), keeping each pruned chain's signed anchor
// (G7), and appends e in the same transaction.
func (s *Store) PruneAudit(ctx context.Context, before time.Time, e privacy.Event) (int, error) {
	return s.core().PruneAudit(ctx, before, e)
}
