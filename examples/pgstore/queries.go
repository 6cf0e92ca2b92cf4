package pgstore

import (
	"strings"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
)

// queries holds every statement of a store, its schema names filled in
// once by [New]. Values reach them only as parameters ($1, $2, …).
type queries struct {
	version, insertMigration string

	createSubject, subject, subjectForUpdate, updateSubject, subjectExists, lockSubject string
	deleteSubject                                                                       []string

	createCase, caseByID, updateCase, caseExists, caseSubject, lockCase, lockCases, caseDatedAfter string
	subjectCases, lockSubjectCases                                                                 string
	deleteCase                                                                                     []string

	ordinary, medical fileQueries

	auditLock, lastEvent, insertEvents, appendEvents, events, subjectEvents string

	ret retentionQueries // retention.go
	con consentQueries   // consent.go
	rts rightsQueries    // rights.go
	acc accessQueries    // access.go

	// core are the statements above as package sqlcore takes them.
	core sqlcore.Queries
}

// fileQueries are the statements of one compartment of records: the
// ordinary file or the medical file (rule O6).
type fileQueries struct {
	what                                      string // "record" or "medical record", for error ops
	insert, get, update, caseOf, first, after string
	// owner finds a record's case and subject; lockSubject locks the
	// subject's row with the rights of the file's role; delete deletes a
	// record only if it is still of the case and subject owner found (rule
	// G3, see [Store.DeleteRecord]).
	owner, lockSubject, delete string
}

const (
	caseColumns   = sqlcore.CaseColumns
	recordColumns = sqlcore.RecordColumns
)

func newFileQueries(r *strings.Replacer, what, table, lockSubject string) fileQueries {
	t := r.Replace(table)
	return fileQueries{
		what: what,
		// One statement for a whole batch: the columns come as arrays.
		insert: `INSERT INTO ` + t + ` (` + recordColumns + `) SELECT * FROM unnest($1::text[], $2::text[], $3::text[],
	$4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::bytea[])`,
		get: `SELECT ` + recordColumns + ` FROM ` + t + ` WHERE id = $1`,
		update: `UPDATE ` + t + ` SET subject_id = $1, category = $2, author = $3, source_kind = $4, source_party = $5,
	purpose = $6, basis = $7, created = $8, updated = $9, fields = $10 WHERE id = $11 AND case_id = $12`,
		caseOf: `SELECT case_id FROM ` + t + ` WHERE id = $1`,
		first:  `SELECT ` + recordColumns + ` FROM ` + t + ` WHERE case_id = $1 ORDER BY created, id LIMIT $2`,
		after: `SELECT ` + recordColumns + ` FROM ` + t + ` WHERE case_id = $1 AND (created, id) > ($2, $3)
	ORDER BY created, id LIMIT $4`,
		owner:       `SELECT case_id, subject_id FROM ` + t + ` WHERE id = $1`,
		lockSubject: r.Replace(lockSubject),
		delete:      `DELETE FROM ` + t + ` WHERE id = $1 AND case_id = $2 AND subject_id = $3`,
	}
}

// lockSubject locks a subject's row, as the writes that must not cross a
// legal hold (rule G3) and PlaceHold itself do.
const lockSubject = `SELECT 1 FROM {schema}.subjects WHERE id = $1 FOR UPDATE`

func newQueries(r *strings.Replacer) queries {
	q := queries{
		version:         `SELECT count(*), coalesce(max(version), 0) FROM {schema}.schema_migrations`,
		insertMigration: `INSERT INTO {schema}.schema_migrations (version, name) VALUES ($1, $2)`,

		createSubject: `INSERT INTO {schema}.subjects (id, employer, employment_ended, created) VALUES ($1, $2, $3, $4)`,
		subject:       `SELECT ` + sqlcore.SubjectColumns + ` FROM {schema}.subjects WHERE id = $1`,
		// The subject's row, locked as PlaceHold locks it (rule G3).
		subjectForUpdate: `SELECT ` + sqlcore.SubjectColumns + ` FROM {schema}.subjects WHERE id = $1 FOR UPDATE`,
		updateSubject:    `UPDATE {schema}.subjects SET employer = $1, employment_ended = $2, created = $3 WHERE id = $4`,
		subjectExists:    `SELECT 1 FROM {schema}.subjects WHERE id = $1`,
		lockSubject:      lockSubject,
		// Erasure, children first. The subject's row and its cases are
		// locked first, so that no case or record is added meanwhile.
		deleteSubject: []string{
			`DELETE FROM {medical}.records WHERE case_id IN (SELECT id FROM {schema}.cases WHERE subject_id = $1)`,
			`DELETE FROM {schema}.records WHERE case_id IN (SELECT id FROM {schema}.cases WHERE subject_id = $1)`,
			`DELETE FROM {schema}.cases WHERE subject_id = $1`,
			`DELETE FROM {schema}.subjects WHERE id = $1`,
		},

		createCase: `INSERT INTO {schema}.cases (` + caseColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		caseByID:   `SELECT ` + caseColumns + ` FROM {schema}.cases WHERE id = $1`,
		updateCase: `UPDATE {schema}.cases SET kind = $1, purpose = $2, contract_id = $3, contract_party = $4,
	contract_party_kind = $5, contract_start = $6, contract_end = $7, opened = $8, closed = $9
	WHERE id = $10 AND subject_id = $11`,
		caseExists:  `SELECT 1 FROM {schema}.cases WHERE id = $1`,
		caseSubject: `SELECT subject_id FROM {schema}.cases WHERE id = $1`,
		lockCase:    `SELECT 1 FROM {schema}.cases WHERE id = $1 FOR UPDATE`,
		// Rule R4: the cases of an addition, locked FOR SHARE and read
		// open or closed, by migration 0008's function for either role.
		lockCases: `SELECT case_id, open FROM {schema}.lock_cases($1::text[])`,
		// Rule R4: does a record of the case, in either file, date from
		// after a closing (migration 0008's function)?
		caseDatedAfter:   `SELECT {schema}.case_dated_after($1, $2)`,
		lockSubjectCases: `SELECT id FROM {schema}.cases WHERE subject_id = $1 FOR UPDATE`,
		subjectCases:     `SELECT ` + caseColumns + ` FROM {schema}.cases WHERE subject_id = $1 ORDER BY opened NULLS FIRST, id`,
		deleteCase: []string{
			`DELETE FROM {medical}.records WHERE case_id = $1`,
			`DELETE FROM {schema}.records WHERE case_id = $1`,
			`DELETE FROM {schema}.cases WHERE id = $1`,
		},

		auditLock: `SELECT pg_advisory_xact_lock($1)`,
		lastEvent: `SELECT seq, hash FROM {schema}.audit_events ORDER BY seq DESC LIMIT 1`,
		// One statement for a whole batch: the columns come as arrays.
		insertEvents: `INSERT INTO {schema}.audit_events (` + eventColumns + `) SELECT * FROM unnest($1::bigint[],
	$2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
	$11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bytea[], $18::bytea[])`,
		// The function of migration 0008: every role appends through it.
		appendEvents: `SELECT out_seq, out_prev, out_hash FROM {schema}.append_events($1::timestamptz[], $2::text[],
	$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
	$12::text[], $13::text[], $14::text[], $15::text[])`,
		events:        `SELECT ` + eventColumns + ` FROM {schema}.audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2`,
		subjectEvents: `SELECT ` + eventColumns + ` FROM {schema}.audit_events WHERE subject = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
	}
	for _, p := range []*string{&q.version, &q.insertMigration, &q.createSubject, &q.subject, &q.subjectForUpdate, &q.updateSubject,
		&q.subjectExists, &q.lockSubject, &q.createCase, &q.caseByID, &q.updateCase, &q.caseExists, &q.caseSubject, &q.lockCase,
		&q.lockCases, &q.caseDatedAfter,
		&q.lockSubjectCases, &q.subjectCases, &q.auditLock, &q.lastEvent, &q.insertEvents, &q.appendEvents, &q.events,
		&q.subjectEvents} {
		*p = r.Replace(*p)
	}
	for i := range q.deleteSubject {
		q.deleteSubject[i] = r.Replace(q.deleteSubject[i])
	}
	for i := range q.deleteCase {
		q.deleteCase[i] = r.Replace(q.deleteCase[i])
	}
	q.ordinary = newFileQueries(r, "record", "{schema}.records", lockSubject)
	// The physicians' role may not lock a subject's row itself: migration
	// 0007's function does it for them.
	q.medical = newFileQueries(r, "medical record", "{medical}.records", `SELECT 1 WHERE {schema}.lock_subject($1)`)
	q.ret = newRetentionQueries(r)
	q.con = newConsentQueries(r)
	q.rts = newRightsQueries(r)
	q.acc = newAccessQueries(r)
	q.core = q.coreQueries()
	return q
}

// core is f as package sqlcore takes it.
func (f fileQueries) core() sqlcore.File {
	return sqlcore.File{What: f.what, Insert: f.insert, Get: f.get, Update: f.update, CaseOf: f.caseOf,
		First: f.first, After: f.after, Owner: f.owner, LockSubject: f.lockSubject, Delete: f.delete}
}

// coreQueries are q as package sqlcore takes them.
func (q *queries) coreQueries() sqlcore.Queries {
	return sqlcore.Queries{
		CreateSubject: q.createSubject, Subject: q.subject, SubjectForUpdate: q.subjectForUpdate,
		UpdateSubject: q.updateSubject, SubjectExists: q.subjectExists, LockSubject: q.lockSubject,
		LockSubjectCases: q.lockSubjectCases, DeleteSubject: q.deleteSubject,

		CreateCase: q.createCase, Case: q.caseByID, UpdateCase: q.updateCase, CaseExists: q.caseExists,
		CaseSubject: q.caseSubject, LockCase: q.lockCase, LockCases: q.lockCases, CaseDatedAfter: q.caseDatedAfter,
		SubjectCases: q.subjectCases, DeleteCase: q.deleteCase,

		Ordinary: q.ordinary.core(), Medical: q.medical.core(),

		LastEvent: q.lastEvent, Events: q.events, SubjectEvents: q.subjectEvents,

		InsertHold: q.ret.insertHold, Hold: q.ret.hold, HoldLifted: q.ret.holdLifted, LiftHold: q.ret.liftHold,
		SubjectHolds: q.ret.subjectHolds, SubjectHeld: q.ret.subjectHeld, CaseHasRecord: q.ret.caseHasRecord,
		InsertErasure: q.ret.insertErasure, Proof: q.ret.proof, Proofs: q.ret.proofs,
		Candidates: q.ret.candidates, DossierSubjects: q.ret.dossierSubjects, DossierCases: q.ret.dossierCases,
		DossierHolds: q.ret.dossierHolds, DossierErasures: q.ret.dossierErasures,
		DossierEntries: []string{q.ret.dossierEntries},

		InsertGrant: q.con.insertGrant, Grant: q.con.grant, LockGrant: q.con.lockGrant,
		SubjectGrants: q.con.subjectGrants, LockSubjectGrants: q.con.lockSubjectGrants,
		RevokeGrant: q.con.revokeGrant, RestsOnGrant: q.con.restsOnGrant,
		InsertDisclosure: q.con.insertDisclosure, SubjectDisclosures: q.con.subjectDisclosures,
		InsertCoverage: q.con.insertCoverage, Coverage: q.con.coverage, LockCoverage: q.con.lockCoverage,
		EmployerCoverage: q.con.employerCoverage, LockEmployerCoverage: q.con.lockEmployerCoverage,
		EndCoverage: q.con.endCoverage, RestsOnCoverage: q.con.restsOnCoverage,

		Groups: q.acc.groups, GroupVersion: q.acc.groupVersion, InsertGroup: q.acc.insertGroup,
	}
}
