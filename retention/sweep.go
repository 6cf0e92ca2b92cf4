package retention

import (
	"cmp"
	"context"
	"errors"
	"iter"
	"slices"
	"sync"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// Report is what a sweep did.
type Report struct {
	// Policy is the policy that decided, as "name@version" (O16).
	Policy string
	// Examined is the number of records scheduled.
	Examined int
	// Due is the number found due.
	Due int
	// Erased is the number deleted by this sweep, each with its proof and
	// audit event.
	Erased int
	// Held is the number that would be due but a legal hold keeps (G3),
	// whether the schedule saw the hold or the store found it placed
	// during the sweep.
	Held int
	// Done is the number found erased already, with a proof, by an
	// earlier (interrupted) sweep.
	Done int
	// Vanished is the number deleted meanwhile by other means, without a
	// proof from this package.
	Vanished int
	// Changed is the number changed since they were scheduled; the next
	// sweep looks at them again.
	Changed int
	// Notices lists, per recipient, the erased records it received: they
	// are to be told (G4). Empty without [Options.Recipients]. The
	// notices of an interrupted sweep are in its proofs.
	Notices []Notice
	// Objects counts, per kind of stored data besides records, what the
	// sweep did with it, in the order of [privacy.DataKinds] without
	// audit events; empty when the store is not an [ObjectStore].
	Objects []KindTally
	// AuditPruned is the number of audit events the sweep removed after
	// their retention (N9), when the store is an [AuditPruner].
	AuditPruned int
	// Unswept lists the kinds of stored data the store cannot remove, so
	// that a sweep never claims to have removed them: every kind but
	// records when it is not an [ObjectStore], audit events when it is
	// not an [AuditPruner].
	Unswept []privacy.DataKind
}

// KindTally is what a sweep did with one kind of stored data besides
// records; the counts mean what the record counts of [Report] mean.
type KindTally struct {
	Kind                                                 privacy.DataKind
	Examined, Due, Erased, Held, Done, Vanished, Changed int
}

// Kind returns the tally of kind k; zero when the report has none.
func (rep *Report) Kind(k privacy.DataKind) KindTally {
	for _, t := range rep.Objects {
		if t.Kind == k {
			return t
		}
	}
	return KindTally{Kind: k}
}

// Notice tells one recipient which of the records it received were erased
// (rule G4, GDPR art. 19).
type Notice struct {
	Recipient Recipient
	Records   []privacy.RecordID
}

type dueItem struct {
	s       Schedule
	purpose privacy.Purpose
}

// Sweep deletes every record due at now, run by the principal by: in
// batches, each record through [Store.EraseRecord], which deletes it from
// its file (the medical file for medical records), stores its proof and
// appends an audit event (action delete, outcome allowed, the deciding
// rule) as one atomic unit, after checking holds under the same lock.
// When the store is a [BatchStore], each batch goes to it whole, in one
// atomic step with the same checks per record.
//
// While it deletes, Sweep reads the next page of candidates from another
// goroutine (the store is safe for concurrent use) — with their objects,
// in one call, when the store is an [ObjectPageStore] — and with
// [Options.Workers] deletes that many batches at once — of records, then
// of the other kinds of stored data, each batch of whole subjects; no
// call to the store outlives Sweep.
//
// A sweep is idempotent and resumable: run again after it was interrupted,
// it deletes what is still due and nothing twice (a record with a proof is
// done). A record held during the sweep is not deleted. On a storage
// failure Sweep stops and returns the report so far with the error; run it
// again to finish.
//
// Only the privacy officer runs a sweep: anyone else is refused with
// [privacy.ErrForbidden] and rule O12, audited as a denial, and nothing is
// read or deleted.
func (r *Keeper) Sweep(ctx context.Context, by privacy.Principal, now time.Time) (Report, error) {
	const op = "retention: sweep"
	rep := Report{Policy: r.rules.version}
	if err := checkPrincipal(op, by); err != nil {
		return rep, err
	}
	if err := checkNow(op, now); err != nil {
		return rep, err
	}
	// Rule O12: deletion by retention is the privacy officer's job,
	// which touches no content.
	if err := r.gate(ctx, op, by, now, privacy.EventExecute, privacy.O12, "", "sweep", "runs a retention sweep"); err != nil {
		return rep, err
	}
	now = privacy.Timestamp(now)
	today := calendar.DateIn(now, r.rules.loc)
	notices := map[Recipient][]privacy.RecordID{}
	workers := newWorkers(ctx, r.workers)
	eraser := r.newBatchEraser(ctx, workers, by, now, &rep, notices)
	// Rule O12: a panic in this goroutine (the store's reader's, raised
	// again here, or an ObjectStore's) leaves Sweep only once the
	// batches under way have ended, so that no call to the store outlives
	// Sweep with workers either. On the way out without a panic, wait has
	// already waited and this returns at once.
	defer workers.settle()
	var buf []Schedule
	batch := make([]dueItem, 0, r.batch)
	os, sweepObjects := AsObjectStore(r.store)
	var (
		objSched []ObjectSchedule
		dueObj   []ObjectSchedule
		tallies  = map[privacy.DataKind]*KindTally{}
		objects  *objectReader
	)
	if sweepObjects {
		// Rules R9, O12: the read-ahead reads each page's objects too, in
		// one call when the store reads pages (ObjectPageStore).
		or := newObjectReader(os)
		objects = &or
	}
	err := r.candidatesAhead(ctx, now, objects, func(page []Dossier, loaded map[privacy.SubjectID][]Object) error {
		for i := range page {
			d := &page[i]
			buf = r.rules.Schedule(buf[:0], d, now)
			rep.Examined += len(buf)
			if sweepObjects {
				objs, err := objects.of(ctx, loaded, d.Subject.ID)
				if err != nil {
					return err
				}
				objSched = r.rules.ScheduleObjects(objSched[:0], d, objs, buf, now)
				for _, s := range objSched {
					t := tallyOf(tallies, s.Kind)
					t.Examined++
					switch {
					case s.IsDue():
						t.Due++
						dueObj = append(dueObj, s)
					case s.Reason == ReasonHold:
						// Rule G3: a standing hold keeps it.
						t.Held++
					}
				}
			}
			// A batch ends at a dossier's edge when it can: a subject
			// whose records straddle two batches makes the second wait,
			// in the store, for the whole of the first (both lock the
			// subject), and batches deleted at once (Workers) run one
			// after the other. Only a dossier with more due records than
			// a batch is split.
			if due := countDue(buf); len(batch) > 0 && len(batch)+due > r.batch {
				if err := eraser.erase(batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
			k := 0
			for ci := range d.Cases {
				cf := &d.Cases[ci]
				for range cf.Records {
					s := &buf[k]
					k++
					switch {
					case s.IsDue():
						rep.Due++
						batch = append(batch, dueItem{*s, cf.Case.Purpose})
					case s.Reason == ReasonHold && !s.Due.IsZero() && !s.Due.After(today):
						rep.Held++
					}
					if len(batch) == r.batch {
						if err := eraser.erase(batch); err != nil {
							return err
						}
						batch = batch[:0]
					}
				}
			}
		}
		return nil
	})
	if err == nil {
		err = eraser.erase(batch)
	}
	// Every batch handed over ends before the sweep goes on or returns:
	// no call to the store outlives Sweep, and objects go after the
	// records they outlive.
	if werr := eraser.wait(); err == nil {
		err = werr
	}
	rep.Notices = sortedNotices(notices)
	if err == nil && sweepObjects {
		dueObj, err = r.orphanObjects(ctx, os, now, dueObj, tallies)
	}
	if err == nil && sweepObjects {
		// After every record: a case outlives its records, the subject
		// everything else of it, and ScheduleObjects lists each dossier's
		// objects in that order, one dossier after the other; orphans
		// are subjects of their own.
		err = r.eraseObjects(ctx, os, workers, by, now, dueObj, tallies)
	}
	if err == nil {
		err = r.pruneAudit(ctx, by, now, &rep)
	}
	for _, k := range privacy.DataKinds() {
		if k == privacy.DataGroups {
			// Rule N12: a subject's place in the group histories goes
			// with the subject, in the same step; counted there.
			continue
		}
		switch t, ok := tallies[k]; {
		case ok:
			rep.Objects = append(rep.Objects, *t)
		case sweepObjects && k != privacy.DataAudit:
			rep.Objects = append(rep.Objects, KindTally{Kind: k})
		case k != privacy.DataAudit:
			rep.Unswept = append(rep.Unswept, k)
		}
	}
	return rep, err
}

// countDue counts the due schedules of s.
func countDue(s []Schedule) int {
	n := 0
	for i := range s {
		if s[i].IsDue() {
			n++
		}
	}
	return n
}

// orphanObjects appends to due the objects, due at now, of subjects that
// do not exist ([OrphanStore]), counting every one it examines in
// tallies: rules R9, O12, nothing is kept for ever because its subject
// is gone or was never registered.
func (r *Keeper) orphanObjects(ctx context.Context, os ObjectStore, now time.Time, due []ObjectSchedule,
	tallies map[privacy.DataKind]*KindTally) ([]ObjectSchedule, error) {
	orphans, ok := os.(OrphanStore)
	if !ok {
		return due, nil
	}
	var after privacy.SubjectID
	var sched []ObjectSchedule
	objects := newObjectReader(os)
	for {
		ids, err := orphans.Orphans(ctx, after, r.page)
		if err != nil {
			return due, err
		}
		// One read for the page of orphans when the store reads pages.
		loaded, err := objects.load(ctx, ids)
		if err != nil {
			return due, err
		}
		for _, id := range ids {
			objs, err := objects.of(ctx, loaded, id)
			if err != nil {
				return due, err
			}
			d := Dossier{Subject: privacy.Subject{ID: id}}
			// Rules R9, O12: the holds and erasure requests left of a
			// subject whose row is gone (OrphanStore) are scheduled as a
			// dossier's, each by its own rule; a standing one keeps the
			// rest (G3).
			for _, o := range objs {
				switch o.Kind {
				case privacy.DataHold:
					d.Holds = append(d.Holds, Hold{ID: HoldID(o.ID), Subject: id, Case: o.Case, Lifted: o.Ended})
				case privacy.DataErasure:
					d.Erasures = append(d.Erasures, Erasure{ID: ErasureID(o.ID), Subject: id, Case: o.Case, Decided: o.Ended})
				}
			}
			sched = r.rules.ScheduleObjects(sched[:0], &d, objs, nil, now)
			for _, s := range sched {
				if s.Kind == privacy.DataSubject {
					continue // there is no subject row
				}
				t := tallyOf(tallies, s.Kind)
				t.Examined++
				if s.IsDue() {
					t.Due++
					due = append(due, s)
				}
			}
		}
		if len(ids) < r.page {
			return due, nil
		}
		after = ids[len(ids)-1]
	}
}

func tallyOf(m map[privacy.DataKind]*KindTally, k privacy.DataKind) *KindTally {
	t, ok := m[k]
	if !ok {
		t = &KindTally{Kind: k}
		m[k] = t
	}
	return t
}

// eraseObjects deletes the due objects, each through
// [ObjectStore.EraseObject] — or a batch at a time through
// [ObjectBatchStore.EraseObjects] — with its proof and audit event, the
// holds and what the object outlives checked in the same atomic step
// (rules R9, O12, N7, G3, G4).
//
// A subject's objects come in order (a case outlives its records, the
// subject everything else of it) and are erased in that order, one batch
// after the other: the subject's check that nothing else of it is left
// sees the deletions before it. With [Options.Workers], up to that many
// units of work (objectUnits) run at once, each on its own subjects, so
// the outcome is the one of the same batches in order: the tallies are
// sums. Units that share what is not a subject's own, such as an
// employer's group histories a subject leaves (rule N12), queue for it in
// the store, as batches of records do for a subject. After a failure no
// unit is started; those under way finish, and what they did is counted
// (rule O12).
func (r *Keeper) eraseObjects(ctx context.Context, os ObjectStore, w *workers, by privacy.Principal, now time.Time,
	due []ObjectSchedule, tallies map[privacy.DataKind]*KindTally) error {
	if w == nil {
		for unit := range objectUnits(due, r.batch) {
			if err := r.eraseObjectUnit(ctx, os, by, now, unit, tallies); err != nil {
				return err
			}
		}
		return nil
	}
	var (
		mu      sync.Mutex
		counted = map[privacy.DataKind]*KindTally{}
	)
	for unit := range objectUnits(due, r.batch) {
		if err := w.acquire(); err != nil {
			break
		}
		w.start(func() error {
			own := map[privacy.DataKind]*KindTally{}
			err := r.eraseObjectUnit(ctx, os, by, now, unit, own)
			mu.Lock()
			defer mu.Unlock()
			for k, t := range own {
				addTally(tallyOf(counted, k), t)
			}
			return err
		})
	}
	err := w.wait()
	for k, t := range counted {
		addTally(tallyOf(tallies, k), t)
	}
	return err
}

// objectUnits cuts due, whose objects come grouped by subject, into
// units of work, each a list of batches of at most size objects to erase
// one after the other. A batch ends at a subject's edge: the objects of
// one subject are never in two units, which may run at once (rules O12,
// G3). A subject with more than size objects is a unit of its own, its
// batches in order.
func objectUnits(due []ObjectSchedule, size int) iter.Seq[[][]ObjectSchedule] {
	return func(yield func([][]ObjectSchedule) bool) {
		start := 0 // of the batch being filled
		for i := 0; i < len(due); {
			j := i + 1
			for j < len(due) && due[j].Subject == due[i].Subject {
				j++
			}
			switch {
			case j-i > size:
				if start < i && !yield([][]ObjectSchedule{due[start:i]}) {
					return
				}
				var chunks [][]ObjectSchedule
				for k := i; k < j; k += size {
					chunks = append(chunks, due[k:min(k+size, j)])
				}
				if !yield(chunks) {
					return
				}
				start = j
			case j-start > size:
				if !yield([][]ObjectSchedule{due[start:i]}) {
					return
				}
				start = i
			}
			i = j
		}
		if start < len(due) {
			yield([][]ObjectSchedule{due[start:]})
		}
	}
}

// eraseObjectUnit erases the batches of unit one after the other,
// counting in tallies.
func (r *Keeper) eraseObjectUnit(ctx context.Context, os ObjectStore, by privacy.Principal, now time.Time,
	unit [][]ObjectSchedule, tallies map[privacy.DataKind]*KindTally) error {
	for _, batch := range unit {
		if err := r.eraseObjectBatch(ctx, os, by, now, batch, tallies); err != nil {
			return err
		}
	}
	return nil
}

// eraseObjectBatch erases one batch of due objects in order: in one
// call when the store is an [ObjectBatchStore], else one object at a
// time.
func (r *Keeper) eraseObjectBatch(ctx context.Context, os ObjectStore, by privacy.Principal, now time.Time,
	batch []ObjectSchedule, tallies map[privacy.DataKind]*KindTally) error {
	proof := func(s *ObjectSchedule) (ObjectProof, privacy.Event) {
		p := ObjectProof{Kind: s.Kind, ID: s.ID, Subject: s.Subject, Case: s.Case, Ended: s.Ended, Due: s.Due, Deleted: now,
			Rule: s.Rule, Reason: s.Reason, Citation: s.Citation, Policy: r.rules.version, By: by.ID}
		return p, r.event(by, now, privacy.EventDelete, s.Rule, s.Subject, s.Case, objectID(string(s.Kind)+":", s.ID))
	}
	bs, batched := os.(ObjectBatchStore)
	if !batched {
		for i := range batch {
			if err := ctx.Err(); err != nil {
				return &privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Err: err}
			}
			p, e := proof(&batch[i])
			if err := tallyObject(tallyOf(tallies, p.Kind), os.EraseObject(ctx, p, e)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := ctx.Err(); err != nil {
		return &privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Err: err}
	}
	proofs, events := make([]ObjectProof, len(batch)), make([]privacy.Event, len(batch))
	for i := range batch {
		proofs[i], events[i] = proof(&batch[i])
	}
	results, err := bs.EraseObjects(ctx, proofs, events)
	if err != nil {
		return err
	}
	if len(results) != len(batch) {
		return &privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Msg: "the store returned a result per item"}
	}
	for i, err := range results {
		if err := tallyObject(tallyOf(tallies, proofs[i].Kind), err); err != nil {
			return err
		}
	}
	return nil
}

// addTally adds the counts of u to t.
func addTally(t, u *KindTally) {
	t.Examined += u.Examined
	t.Due += u.Due
	t.Erased += u.Erased
	t.Held += u.Held
	t.Done += u.Done
	t.Vanished += u.Vanished
	t.Changed += u.Changed
}

// tallyObject counts the outcome err of erasing an object in t; it
// returns err when it is a failure that stops the sweep.
func tallyObject(t *KindTally, err error) error {
	switch {
	case err == nil:
		t.Erased++
	case errors.Is(err, privacy.ErrExists):
		t.Done++
	case heldBy(err):
		// Rule G3: placed during the sweep; the store kept it.
		t.Held++
	case errors.Is(err, privacy.ErrNotFound):
		t.Vanished++
	case errors.Is(err, privacy.ErrConflict):
		// Changed, or what it outlives is still there (a record held
		// meanwhile): the next sweep looks again.
		t.Changed++
	default:
		return err
	}
	return nil
}

// heldBy reports whether err is a store's refusal because a legal hold or
// a restriction keeps the object (rule G3), not any other refusal, such as
// a database role without the privilege, which stops the sweep.
func heldBy(err error) bool {
	var pe *privacy.Error
	return errors.Is(err, privacy.ErrForbidden) && errors.As(err, &pe) && (pe.Rule == privacy.G3 || pe.Rule == privacy.RuleRestriction)
}

// pruneAudit removes the audit events past their retention (rule N9)
// when the store can.
func (r *Keeper) pruneAudit(ctx context.Context, by privacy.Principal, now time.Time, rep *Report) error {
	ap, ok := r.store.(AuditPruner)
	if !ok {
		rep.Unswept = append(rep.Unswept, privacy.DataAudit)
		return nil
	}
	before := r.rules.AuditBefore(now)
	// Rule N9: audit events are kept their period, and no longer.
	n, err := ap.PruneAudit(ctx, before, r.event(by, now, privacy.EventDelete, r.rules.audit.Rule, "", "", "audit-trail"))
	if errors.Is(err, errors.ErrUnsupported) {
		// A store that wraps another passes pruning on; the one beneath
		// may not prune.
		rep.Unswept = append(rep.Unswept, privacy.DataAudit)
		return nil
	}
	rep.AuditPruned = n
	return err
}

// sortedNotices returns the notices of a sweep or an erasure, by
// recipient.
func sortedNotices(notices map[Recipient][]privacy.RecordID) []Notice {
	var out []Notice
	for rc, ids := range notices {
		out = append(out, Notice{Recipient: rc, Records: ids})
	}
	slices.SortFunc(out, func(a, b Notice) int {
		return cmp.Or(cmp.Compare(a.Recipient.Kind, b.Recipient.Kind), cmp.Compare(a.Recipient.Party, b.Recipient.Party))
	})
	return out
}

// Erase carries out the granted erasure request id of subject at once, at
// now, run by the principal by (rules R9, O13, N8): every record in the
// request's scope that is due at now is deleted through the same atomic
// unit as a sweep's — [Store.EraseRecord], or [BatchStore.EraseRecords]
// for a batch — with its [Proof] and audit event, the holds checked in it
// (rule G3). Nothing outside the request's scope is deleted.
//
// Records in scope that a legal hold keeps are not deleted: the report
// counts them as Held, whether the schedule saw the hold or the store
// found it placed meanwhile. Records a statutory retention duty keeps are
// not due and stay too; [Keeper.Schedules] says why. Like a sweep,
// Erase is idempotent: run again, it deletes what is still due and
// nothing twice (Done counts what was).
//
// The request must be one granted by [Keeper.RequestErasure] for the
// subject (else ErrNotFound), at or before now. Only the privacy officer
// carries it out: anyone else is refused with [privacy.ErrForbidden] and
// rule O13 (R9 under a policy of regulation R alone), audited as a
// denial, and nothing is read or deleted.
func (r *Keeper) Erase(ctx context.Context, by privacy.Principal, subject privacy.SubjectID, id ErasureID, now time.Time) (Report, error) {
	const op = "retention: erase"
	rep := Report{Policy: r.rules.version}
	if err := checkPrincipal(op, by); err != nil {
		return rep, err
	}
	if err := checkNow(op, now); err != nil {
		return rep, err
	}
	// Engine O13, R9: the erasure is carried out by the privacy officer.
	if err := r.gate(ctx, op, by, now, privacy.EventDelete, r.eraseRule, subject, objectID("erasure:", string(id)),
		"carries out an erasure request"); err != nil {
		return rep, err
	}
	if !privacy.ValidID(string(subject)) || !privacy.ValidID(string(id)) {
		return rep, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "malformed ID"}
	}
	now = privacy.Timestamp(now)
	d, err := r.store.Dossier(ctx, subject)
	if err != nil {
		return rep, err
	}
	i := slices.IndexFunc(d.Erasures, func(e Erasure) bool { return e.ID == id })
	if i < 0 {
		return rep, &privacy.Error{Op: op, Kind: privacy.ErrNotFound, Path: "id", Msg: "no such erasure request of the subject"}
	}
	e := d.Erasures[i]
	if now.Before(e.Decided) {
		return rep, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "now", Msg: "before the request was granted"}
	}
	sched := r.rules.Schedule(nil, &d, now)
	var due []dueItem
	k := 0
	for ci := range d.Cases {
		cf := &d.Cases[ci]
		for range cf.Records {
			s := &sched[k]
			k++
			if !e.Covers(s.Case, s.Record) {
				continue
			}
			rep.Examined++
			switch {
			case s.IsDue():
				rep.Due++
				due = append(due, dueItem{*s, cf.Case.Purpose})
			case s.Reason == ReasonHold:
				// Rule G3: a legal hold keeps it.
				rep.Held++
			}
		}
	}
	notices := map[Recipient][]privacy.RecordID{}
	for len(due) > 0 && err == nil {
		n := min(len(due), r.batch)
		err = r.erase(ctx, by, now, due[:n], &rep, notices)
		due = due[n:]
	}
	rep.Notices = sortedNotices(notices)
	return rep, err
}

// erase deletes one batch of due records.
func (r *Keeper) erase(ctx context.Context, by privacy.Principal, now time.Time, batch []dueItem, rep *Report,
	notices map[Recipient][]privacy.RecordID) error {
	if len(batch) == 0 {
		return nil
	}
	sent, err := r.recipientsOf(ctx, batch)
	if err != nil {
		return err
	}
	return r.eraseSent(ctx, by, now, batch, sent, rep, notices)
}

// recipientsOf looks up who received the records of batch (rule G4).
// Sweep calls it from its own goroutine, one batch after another in
// order, with workers too: [Recipients] is not asked to be safe for
// concurrent use.
func (r *Keeper) recipientsOf(ctx context.Context, batch []dueItem) (map[privacy.RecordID][]Recipient, error) {
	if r.recipients == nil || len(batch) == 0 {
		return nil, nil
	}
	scheds := make([]Schedule, len(batch))
	for i := range batch {
		scheds[i] = batch[i].s
	}
	// Rule G4: the recipients of erased records are told.
	sent, err := r.recipients.Recipients(ctx, scheds)
	if err != nil {
		return nil, &privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Rule: privacy.G4, Msg: "recipients lookup failed", Err: err}
	}
	return sent, nil
}

// eraseSent deletes one batch of due records whose recipients are sent.
func (r *Keeper) eraseSent(ctx context.Context, by privacy.Principal, now time.Time, batch []dueItem,
	sent map[privacy.RecordID][]Recipient, rep *Report, notices map[Recipient][]privacy.RecordID) error {
	if len(batch) == 0 {
		return nil
	}
	proof := func(i int) (Proof, privacy.Event) {
		s := &batch[i].s
		p := Proof{Record: s.Record, Medical: s.Medical, Case: s.Case, CaseKind: s.CaseKind, Subject: s.Subject,
			Category: s.Category, Updated: s.Updated, Due: s.Due, Deleted: now, Rule: s.Rule, Reason: s.Reason,
			Citation: r.rules.Citation(s), Erasure: s.Erasure, Policy: r.rules.version, By: by.ID,
			Recipients: slices.Clone(sent[s.Record])}
		e := r.event(by, now, privacy.EventDelete, s.Rule, s.Subject, s.Case, string(s.Record))
		e.Category, e.Purpose = s.Category, batch[i].purpose
		return p, e
	}
	if bs, ok := r.store.(BatchStore); ok {
		// The whole batch in one atomic step of the store.
		if err := ctx.Err(); err != nil {
			return &privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Err: err}
		}
		proofs, events := make([]Proof, len(batch)), make([]privacy.Event, len(batch))
		for i := range batch {
			proofs[i], events[i] = proof(i)
		}
		results, err := bs.EraseRecords(ctx, proofs, events)
		if err == nil && len(results) != len(batch) {
			err = &privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Msg: "the store returned a result per item"}
		}
		if err != nil {
			return err
		}
		for i, err := range results {
			if err := tally(rep, notices, &proofs[i], err); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range batch {
		if err := ctx.Err(); err != nil {
			return &privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Err: err}
		}
		p, e := proof(i)
		if err := tally(rep, notices, &p, r.store.EraseRecord(ctx, p, e)); err != nil {
			return err
		}
	}
	return nil
}

// tally counts the outcome err of erasing p; it returns err when it is a
// failure that stops the sweep.
func tally(rep *Report, notices map[Recipient][]privacy.RecordID, p *Proof, err error) error {
	switch {
	case err == nil:
		rep.Erased++
		for _, rc := range p.Recipients {
			notices[rc] = append(notices[rc], p.Record)
		}
	case errors.Is(err, privacy.ErrExists):
		rep.Done++
	case errors.Is(err, privacy.ErrForbidden):
		// Rule G3: placed during the sweep; the store kept it.
		rep.Held++
	case errors.Is(err, privacy.ErrNotFound):
		rep.Vanished++
	case errors.Is(err, privacy.ErrConflict):
		rep.Changed++
	default:
		return err
	}
	return nil
}
