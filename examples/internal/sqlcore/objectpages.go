package sqlcore

import (
	"context"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// ObjectPageQueries are the statements of retention.ObjectPageStore: the
// objects of a page of subjects, each kind in one statement, so that a
// sweep pays a handful of round trips per page of subjects rather than a
// handful per subject (rules R9, O12). Each takes the page's subject IDs
// as one parameter (the dialect's IDs) and returns the columns, in the
// order, of the statement of one subject it stands for, which is the same
// shape with another match on subject_id:
//   - Disclosures as Queries.SubjectDisclosures (the DisclosureColumns);
//   - Grants as Queries.SubjectGrants (the GrantColumns);
//   - Requests as ObjectQueries.Requests ([SQLSubjectRequests]);
//   - OrphanRest as ObjectQueries.OrphanRest ([SQLOrphanRest]).
//
// All empty where the dialect has no parameter that holds a list (SQLite,
// whose reads are local): [Store.ObjectsOf] then calls Objects per
// subject.
type ObjectPageQueries struct {
	Disclosures, Grants, Requests, OrphanRest string
}

// SQLSubjectRequests is the statement that lists the requests of the
// subjects whose subject_id matches match ("= $1" for one subject, a
// list's match for a page): subject_id, id, status, history, ordered by
// receipt, then ID. Unrendered.
func SQLSubjectRequests(match string) string {
	return `SELECT subject_id, id, status, history FROM {schema}.requests WHERE subject_id ` + match + ` ORDER BY received, id`
}

// SQLOrphanRest is the statement that lists the holds (ended: lifted),
// then the erasure requests (ended: decided), each by ID, of the subjects
// without a row whose subject_id matches match, as SQLSubjectRequests:
// subject_id, kind, id, case_id (empty for none), ended (rules R9, O12; see
// retention.OrphanStore). The order is explicit, 'hold' after 'erasure'
// descending, so that a page lists each subject's as Objects does.
// Unrendered.
func SQLOrphanRest(match string) string {
	return `SELECT h.subject_id, 'hold' AS kind, h.id, coalesce(h.case_id, ''), h.lifted FROM {schema}.holds h
	WHERE h.subject_id ` + match + ` AND NOT EXISTS (SELECT 1 FROM {schema}.subjects s WHERE s.id = h.subject_id)
	UNION ALL SELECT e.subject_id, 'erasure', e.id, coalesce(e.case_id, ''), e.decided FROM {schema}.erasures e
	WHERE e.subject_id ` + match + ` AND NOT EXISTS (SELECT 1 FROM {schema}.subjects s WHERE s.id = e.subject_id)
	ORDER BY kind DESC, id`
}

// disclosureObject is a disclosure-log entry as a sweep sees it.
func disclosureObject(d consent.Disclosure) retention.Object {
	o := retention.Object{Kind: privacy.DataDisclosure, ID: string(d.ID), Subject: d.Subject, Case: d.Case, Ended: d.At}
	for _, it := range d.Items {
		if it.Record != "" {
			o.Records = append(o.Records, it.Record)
		} else {
			// Rule G4: a whole category handed over.
			o.Categories = append(o.Categories, it.Category)
		}
	}
	for _, g := range d.Grants {
		o.RestsOn = append(o.RestsOn, string(g))
	}
	return o
}

// grantObject is a consent grant as a sweep sees it.
func grantObject(g consent.Grant) retention.Object {
	return retention.Object{Kind: privacy.DataGrant, ID: string(g.ID), Subject: g.Subject, Case: g.Case,
		Ended: grantEnded(g.Until, g.Revoked)}
}

// scanRequestObject reads a row of ObjectQueries.Requests.
func scanRequestObject(row Row) (retention.Object, error) {
	var sub, id, status, history string
	if err := row.Scan(&sub, &id, &status, &history); err != nil {
		return retention.Object{}, err
	}
	ended, err := requestEnded(status, history)
	return retention.Object{Kind: privacy.DataRequest, ID: id, Subject: privacy.SubjectID(sub), Ended: ended}, err
}

// scanOrphanObject reads a row of ObjectQueries.OrphanRest.
func scanOrphanObject(v Codec, row Row) (retention.Object, error) {
	var o retention.Object
	err := row.Scan(&o.Subject, &o.Kind, &o.ID, &o.Case, v.ScanTime(&o.Ended))
	return o, err
}

// ObjectsOf implements retention.ObjectPageStore: what Objects returns
// for each of subjects, read with the statements of ObjectPageQueries, one
// per kind for the whole page, from where Objects reads each kind; or,
// without them, with Objects per subject. Every ID is checked before
// anything is read.
func (s Store) ObjectsOf(ctx context.Context, subjects []privacy.SubjectID) (map[privacy.SubjectID][]retention.Object, error) {
	op := s.op("objects of")
	ids := make([]string, 0, len(subjects))
	seen := make(map[privacy.SubjectID]bool, len(subjects))
	for _, id := range subjects {
		if err := sqladapter.CheckID(op, "subject", string(id)); err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, string(id))
		}
	}
	out := make(map[privacy.SubjectID][]retention.Object, len(ids))
	q := &s.Q.ObjectPages
	if len(ids) == 0 {
		return out, nil
	}
	if q.Disclosures == "" {
		for _, id := range ids {
			objs, err := s.Objects(ctx, privacy.SubjectID(id))
			if err != nil {
				return nil, err
			}
			if len(objs) > 0 {
				out[privacy.SubjectID(id)] = objs
			}
		}
		return out, nil
	}
	// Each kind's objects by subject, in each statement's order, which is
	// Objects' order within the kind; Objects lists the kinds in this
	// order.
	kinds := make([]map[privacy.SubjectID][]retention.Object, 4)
	for i := range kinds {
		kinds[i] = map[privacy.SubjectID][]retention.Object{}
	}
	add := func(k int, o retention.Object) { kinds[k][o.Subject] = append(kinds[k][o.Subject], o) }
	arg := s.D.IDs(ids)
	// Disclosures and grants from the primary, as SubjectDisclosures and
	// SubjectGrants read them; requests and the orphans' rest as Objects
	// reads them, from where listings go.
	rows, err := s.D.Reader(ctx, false).Query(ctx, q.Disclosures, arg)
	err = each(rows, err, func(row Row) error {
		d, err := scanDisclosure(s.D, row)
		add(0, disclosureObject(d))
		return err
	})
	if err == nil {
		rows, err = s.D.Reader(ctx, false).Query(ctx, q.Grants, arg)
		err = each(rows, err, func(row Row) error {
			g, err := scanGrant(s.D, row)
			add(1, grantObject(g))
			return err
		})
	}
	if err == nil {
		rows, err = s.D.Reader(ctx, true).Query(ctx, q.Requests, arg)
		err = each(rows, err, func(row Row) error {
			o, err := scanRequestObject(row)
			add(2, o)
			return err
		})
	}
	if err == nil {
		// Rules R9, O12: the holds and erasure requests of the subjects
		// whose row is gone (retention.OrphanStore).
		rows, err = s.D.Reader(ctx, true).Query(ctx, q.OrphanRest, arg)
		err = each(rows, err, func(row Row) error {
			o, err := scanOrphanObject(s.D, row)
			add(3, o)
			return err
		})
	}
	if err != nil {
		return nil, s.fail(op, err)
	}
	for _, id := range ids {
		sub := privacy.SubjectID(id)
		var objs []retention.Object
		for _, k := range kinds {
			objs = append(objs, k[sub]...)
		}
		if len(objs) > 0 {
			out[sub] = objs
		}
	}
	return out, nil
}
