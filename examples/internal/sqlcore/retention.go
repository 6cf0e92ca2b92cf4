package sqlcore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// PlaceHold implements retention.Store. It locks the subject's row before
// it inserts the hold: a deletion or erasure of the subject's data that
// runs at the same time either holds that lock first, and the hold waits
// until it commits, or waits for the hold and sees it (rule G3).
func (s Store) PlaceHold(ctx context.Context, h retention.Hold, e privacy.Event) error {
	op := s.op("place hold")
	if err := sqladapter.CheckHold(op, h); err != nil {
		return err
	}
	if err := sqladapter.CheckEvent(op, e); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		if err := tx.QueryRow(ctx, s.Q.LockSubject, string(h.Subject)).Scan(new(int)); err != nil {
			return err
		}
		// Rule G3: a hold is not placed behind a deletion in its scope (as
		// a case is not closed behind its records, R4): a sweep that took
		// its time after the hold's, and deleted first under the subject's
		// lock, would otherwise leave a proof dated under the standing hold.
		rows, err := tx.Query(ctx, s.Q.Proofs, string(h.Subject))
		proofs, err := collect(rows, err, scanProof, s.D)
		if err != nil {
			return err
		}
		for _, p := range proofs {
			if h.Covers(p.Case, p.Record) && p.Deleted.After(h.Placed) {
				return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.G3,
					Msg: "a record in the hold's scope was deleted after its time"}
			}
		}
		// Nor behind a change: a case of its scope that holds a record
		// created or changed after the hold's time (of either file) refuses
		// it, as closing the case would be refused (R4).
		rows, err = tx.Query(ctx, s.Q.DossierCases, s.D.IDs([]string{string(h.Subject)}))
		cases, err := collect(rows, err, scanCaseFile, s.D)
		if err != nil {
			return err
		}
		for _, cf := range cases {
			c := cf.Case
			if h.Case != "" && h.Case != c.ID {
				continue
			}
			var after bool
			if err := tx.QueryRow(ctx, s.Q.CaseDatedAfter, string(c.ID), s.D.Time(h.Placed)).Scan(&after); err != nil {
				return err
			}
			if after {
				return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.G3,
					Msg: "a record in the hold's scope was changed after its time"}
			}
		}
		if _, err := s.Exec(ctx, tx, op, s.Q.InsertHold, string(h.ID), string(h.Subject), optional(string(h.Case)),
			s.D.IDs(sqladapter.Strings(h.Records)), string(h.Ground), h.Reason, string(h.PlacedBy),
			s.D.Time(h.Placed)); err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, op, []privacy.Event{e})
		return err
	})
}

// LiftHold implements retention.Store.
func (s Store) LiftHold(ctx context.Context, id retention.HoldID, by privacy.PrincipalID, at time.Time, reason string, e privacy.Event) error {
	op := s.op("lift hold")
	if err := sqladapter.CheckLift(op, id, by, reason); err != nil {
		return err
	}
	if err := sqladapter.CheckTime(op, "at", at); err != nil {
		return err
	}
	if err := sqladapter.CheckEvent(op, e); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		var lifted bool
		if err := tx.QueryRow(ctx, s.Q.HoldLifted, string(id)).Scan(&lifted); err != nil {
			return err
		}
		if lifted {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.G3, Msg: "lifted already"}
		}
		if _, err := s.Exec(ctx, tx, op, s.Q.LiftHold, string(by), s.D.Time(at), reason, string(id)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, []privacy.Event{e})
		return err
	})
}

// Hold implements retention.Store.
func (s Store) Hold(ctx context.Context, id retention.HoldID) (retention.Hold, error) {
	op := s.op("hold")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return retention.Hold{}, err
	}
	h, err := scanHold(s.D, s.D.Reader(ctx, false).QueryRow(ctx, s.Q.Hold, string(id)))
	if err != nil {
		return retention.Hold{}, s.fail(op, err)
	}
	return h, nil
}

// AddErasure implements retention.Store. It locks the subject's row, as
// PlaceHold does.
func (s Store) AddErasure(ctx context.Context, r retention.Erasure, e privacy.Event) error {
	op := s.op("add erasure")
	if err := sqladapter.CheckErasure(op, r); err != nil {
		return err
	}
	if err := sqladapter.CheckEvent(op, e); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		if err := tx.QueryRow(ctx, s.Q.LockSubject, string(r.Subject)).Scan(new(int)); err != nil {
			return err
		}
		if _, err := s.Exec(ctx, tx, op, s.Q.InsertErasure, string(r.ID), string(r.Subject), optional(string(r.Case)),
			s.D.IDs(sqladapter.Strings(r.Records)), string(r.Rule), s.D.Time(r.Received), s.D.Time(r.Decided),
			string(r.DecidedBy)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, []privacy.Event{e})
		return err
	})
}

// Dossier implements retention.Store. It reads one snapshot, both files
// included.
func (s Store) Dossier(ctx context.Context, id privacy.SubjectID) (retention.Dossier, error) {
	op := s.op("dossier")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return retention.Dossier{}, err
	}
	var d []retention.Dossier
	err := s.D.Snapshot(ctx, func(tx Conn) error {
		var err error
		d, err = s.dossiers(ctx, tx, []string{string(id)})
		return err
	})
	if err != nil {
		return retention.Dossier{}, s.fail(op, err)
	}
	if len(d) == 0 {
		return retention.Dossier{}, &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
	}
	return d[0], nil
}

// Candidates implements retention.Store: one page of subjects in ID order
// (Queries.Candidates answers exactly, from indexes) and their dossiers,
// all on one snapshot.
func (s Store) Candidates(ctx context.Context, q retention.Query) ([]retention.Dossier, error) {
	op := s.op("candidates")
	if err := sqladapter.CheckQuery(op, q); err != nil {
		return nil, err
	}
	var out []retention.Dossier
	err := s.D.Snapshot(ctx, func(tx Conn) error {
		var page []string
		rows, err := tx.Query(ctx, s.Q.Candidates, string(q.After), s.D.Time(q.EmploymentEndedBefore),
			s.D.Time(q.ClosedBefore), s.D.Time(q.CreatedBefore), s.D.Time(q.ErasedBefore), q.Limit,
			s.D.Time(q.SubjectCreatedBefore))
		err = each(rows, err, func(row Row) error {
			var id string
			err := row.Scan(&id)
			page = append(page, id)
			return err
		})
		if err != nil {
			return err
		}
		out, err = s.dossiers(ctx, tx, page)
		return err
	})
	if err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}

// dossiers loads the dossiers of subjects (ordered by ID; missing ones
// left out) inside tx, with a few queries whatever their number.
func (s Store) dossiers(ctx context.Context, tx Conn, subjects []string) ([]retention.Dossier, error) {
	out := make([]retention.Dossier, 0, len(subjects))
	if len(subjects) == 0 {
		return out, nil
	}
	list := s.D.IDs(subjects)
	rows, err := tx.Query(ctx, s.Q.DossierSubjects, list)
	subs, err := collect(rows, err, scanSubject, s.D)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(subs, func(a, b privacy.Subject) int { return cmp.Compare(a.ID, b.ID) })
	at := make(map[privacy.SubjectID]int, len(subs))
	for i, sub := range subs {
		at[sub.ID] = i
		out = append(out, retention.Dossier{Subject: sub})
	}

	rows, err = tx.Query(ctx, s.Q.DossierCases, list)
	cs, err := collect(rows, err, scanCaseFile, s.D)
	if err != nil {
		return nil, err
	}
	type ref struct{ d, c int }
	where := make(map[privacy.CaseID]ref, len(cs))
	caseIDs := make([]string, 0, len(cs))
	for _, cf := range cs {
		c := cf.Case
		i, ok := at[c.Subject]
		if !ok {
			continue
		}
		where[c.ID] = ref{i, len(out[i].Cases)}
		caseIDs = append(caseIDs, string(c.ID))
		out[i].Cases = append(out[i].Cases, cf)
	}
	if len(caseIDs) > 0 {
		cases := s.D.IDs(caseIDs)
		for _, q := range s.Q.DossierEntries {
			rows, err := tx.Query(ctx, q, cases)
			err = each(rows, err, func(row Row) error {
				var c privacy.CaseID
				var en retention.Entry
				if err := row.Scan(&en.Medical, &c, &en.ID, &en.Category, s.D.ScanTime(&en.Created),
					s.D.ScanTime(&en.Updated)); err != nil {
					return err
				}
				if r, ok := where[c]; ok {
					cf := &out[r.d].Cases[r.c]
					cf.Records = append(cf.Records, en)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		for i := range out {
			for j := range out[i].Cases {
				slices.SortFunc(out[i].Cases[j].Records, func(a, b retention.Entry) int {
					return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
				})
			}
		}
	}

	rows, err = tx.Query(ctx, s.Q.DossierHolds, list)
	hs, err := collect(rows, err, scanHold, s.D)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		if i, ok := at[h.Subject]; ok {
			out[i].Holds = append(out[i].Holds, h)
		}
	}
	rows, err = tx.Query(ctx, s.Q.DossierErasures, list)
	es, err := collect(rows, err, scanErasure, s.D)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if i, ok := at[e.Subject]; ok {
			out[i].Erasures = append(out[i].Erasures, e)
		}
	}
	return out, nil
}

// EraseRecord implements retention.Store: [Store.EraseRecords] with one
// item.
func (s Store) EraseRecord(ctx context.Context, p retention.Proof, e privacy.Event) error {
	res, err := s.eraseRecords(ctx, s.op("erase record"), []retention.Proof{p}, []privacy.Event{e})
	if err != nil {
		return err
	}
	return res[0]
}

// EraseRecords implements retention.BatchStore: every item checked before
// any statement runs, then, in one write transaction, the deletions and
// proofs of the dialect's [Dialect.Erase] and the audit events of what it
// erased.
func (s Store) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	return s.eraseRecords(ctx, s.op("erase records"), proofs, events)
}

func (s Store) eraseRecords(ctx context.Context, op string, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	if err := CheckBatch(op, proofs, events); err != nil {
		return nil, err
	}
	if len(proofs) == 0 {
		return []error{}, nil
	}
	var results []error
	err := s.write(ctx, op, func(tx Conn) error {
		var err error
		if results, err = s.D.Erase(ctx, tx, op, proofs); err != nil {
			return err
		}
		n := 0
		for _, err := range results {
			if err == nil {
				n++
			}
		}
		if n == 0 {
			return nil
		}
		erased := events
		if n < len(events) {
			erased = make([]privacy.Event, 0, n)
			for i, err := range results {
				if err == nil {
					erased = append(erased, events[i])
				}
			}
		}
		// The events as stored are not needed: chained as they are sent.
		_, err = s.D.AppendEvents(ctx, tx, op, erased, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// CheckBatch checks a sweep's batch before any statement runs: one event
// per proof, no record twice, and what reaches SQL.
func CheckBatch(op string, proofs []retention.Proof, events []privacy.Event) error {
	if len(proofs) != len(events) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "one event per proof"}
	}
	seen := make(map[privacy.RecordID]bool, len(proofs))
	for i := range proofs {
		if seen[proofs[i].Record] {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "proofs", Msg: "a record named twice"}
		}
		seen[proofs[i].Record] = true
		if err := sqladapter.CheckProof(op, proofs[i]); err != nil {
			return err
		}
		if err := sqladapter.CheckEvent(op, events[i]); err != nil {
			return err
		}
	}
	return nil
}

// Stored is what a sweep's item finds of its record: whether a proof of
// its deletion exists, and the record's case, subject and version (its
// update time, else its creation time); Found is false when the record is
// not in the file the proof names.
type Stored struct {
	Proven, Found bool
	Case          privacy.CaseID
	Subject       privacy.SubjectID
	Updated       time.Time
}

// Refusal is why the record of proof p stays, in the contract's order
// (retention.BatchStore): a proof of its deletion exists
// (privacy.ErrExists), it is not in the file the proof names
// (privacy.ErrNotFound), it is another case's, another subject's or
// another version than the one scheduled (privacy.ErrConflict), a legal
// hold keeps it (privacy.ErrForbidden, rule G3). Nil means none of these.
func Refusal(op string, p *retention.Proof, got Stored, held bool) error {
	switch {
	case got.Proven:
		return &privacy.Error{Op: op, Kind: privacy.ErrExists, Msg: "the record has a proof of deletion"}
	case !got.Found:
		return &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
	case got.Case != p.Case || got.Subject != p.Subject || !got.Updated.Equal(p.Updated):
		return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the record is not the version scheduled"}
	case held:
		// Rule G3: a held record is never deleted.
		return &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: privacy.G3, Msg: "a legal hold keeps the record"}
	}
	return nil
}

// Covered reports whether one of the standing holds hs covers the record
// of proof p (rule G3).
func Covered(hs []retention.Hold, p *retention.Proof) bool {
	for i := range hs {
		if hs[i].Covers(p.Case, p.Record) {
			return true
		}
	}
	return false
}

// Proof implements retention.Store.
func (s Store) Proof(ctx context.Context, id privacy.RecordID) (retention.Proof, error) {
	op := s.op("proof")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return retention.Proof{}, err
	}
	p, err := scanProof(s.D, s.D.Reader(ctx, false).QueryRow(ctx, s.Q.Proof, string(id)))
	if err != nil {
		return retention.Proof{}, s.fail(op, err)
	}
	return p, nil
}

// Proofs implements retention.Store: a listing read.
func (s Store) Proofs(ctx context.Context, subject privacy.SubjectID) ([]retention.Proof, error) {
	op := s.op("proofs")
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	rows, err := s.D.Reader(ctx, true).Query(ctx, s.Q.Proofs, string(subject))
	out, err := collect(rows, err, scanProof, s.D)
	if err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}

// SubjectHolds returns the standing holds of subject, with their scopes,
// as read in tx.
func (s Store) SubjectHolds(ctx context.Context, tx Conn, subject privacy.SubjectID) ([]retention.Hold, error) {
	hs := []retention.Hold{}
	rows, err := tx.Query(ctx, s.Q.SubjectHolds, string(subject))
	err = each(rows, err, func(row Row) error {
		var c *string
		var records []string
		if err := row.Scan(&c, s.D.ScanList(&records)); err != nil {
			return err
		}
		hs = append(hs, retention.Hold{Subject: subject, Case: privacy.CaseID(deref(c)),
			Records: sqladapter.Named[privacy.RecordID](records)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return hs, nil
}

// The checks of the direct deletions of privacy.Store (DeleteRecord,
// DeleteMedicalRecord, DeleteCase, DeleteSubject): each runs in the
// deletion's transaction after it locked the subject's row, which
// PlaceHold locks before it inserts a hold, and fails with the refusal of
// rule G3 if a standing hold covers what would be deleted.

// checkRecordHolds checks record id of case c of subject.
func (s Store) checkRecordHolds(ctx context.Context, tx Conn, op string, subject privacy.SubjectID, c privacy.CaseID,
	id privacy.RecordID) error {
	hs, err := s.SubjectHolds(ctx, tx, subject)
	if err != nil {
		return err
	}
	for i := range hs {
		if hs[i].Covers(c, id) {
			return sqladapter.Held(op, "a legal hold keeps the record")
		}
	}
	return nil
}

// checkCaseHolds checks case c of subject, whole and each of its records
// in both files.
func (s Store) checkCaseHolds(ctx context.Context, tx Conn, op string, subject privacy.SubjectID, c privacy.CaseID) error {
	hs, err := s.SubjectHolds(ctx, tx, subject)
	if err != nil {
		return err
	}
	whole, named := sqladapter.CaseHolds(hs, c)
	if !whole && len(named) > 0 {
		if err := tx.QueryRow(ctx, s.Q.CaseHasRecord, string(c), s.D.IDs(sqladapter.Strings(named))).Scan(&whole); err != nil {
			return err
		}
	}
	if whole {
		return sqladapter.Held(op, "a legal hold keeps the case")
	}
	return nil
}

// checkSubjectHolds checks the whole of subject's data.
func (s Store) checkSubjectHolds(ctx context.Context, tx Conn, op string, subject privacy.SubjectID) error {
	var held bool
	if err := tx.QueryRow(ctx, s.Q.SubjectHeld, string(subject)).Scan(&held); err != nil {
		return err
	}
	if held {
		return sqladapter.Held(op, "a legal hold keeps the subject's data")
	}
	return nil
}
