package pgstore

import (
	"slices"
	"strings"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
)

// queries holds every statement of a store, its schema names filled in
// once by [New]. Values reach them only as parameters ($1, $2, …).
type queries struct {
	version, insertMigration string
	// obj are the statements of retention.ObjectStore (migration 0010).
	obj sqlcore.ObjectQueries
	// objPages are the statements of retention.ObjectPageStore.
	objPages sqlcore.ObjectPageQueries

	createSubject, subject, subjectForUpdate, updateSubject, subjectExists, lockSubject string
	deleteSubject, forgetSubject                                                        []string

	createCase, caseByID, updateCase, caseExists, caseSubject, lockCase, lockCases, caseDatedAfter string
	subjectCaseExists                                                                              string
	subjectCases, lockSubjectCases                                                                 string
	deleteCase                                                                                     []string

	ordinary, medical fileQueries

	lastEvent, lastEvents, insertEvents, appendEvents, events, subjectEvents                string
	chainHead, chainAnchor                                                                  string
	auditHeads, auditAnchors, pruneCuts, upsertAnchor, pruneEvents, chainEvents, pruneChain string
	pruneLegacy                                                                             string

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
	subjectFirst, subjectAfter                string // issue 14 §2: by subject and case
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
	f := sqlcore.SQLFile(what, table).Render(r.Replace)
	return fileQueries{
		what: what,
		// One statement for a whole batch: the columns come as arrays.
		insert: r.Replace(`INSERT INTO ` + table + ` (` + recordColumns + `) SELECT * FROM unnest($1::text[], $2::text[], $3::text[],
	$4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::bytea[])`),
		get: f.Get, update: f.Update, caseOf: f.CaseOf, first: f.First, after: f.After, owner: f.Owner,
		subjectFirst: f.SubjectFirst, subjectAfter: f.SubjectAfter,
		lockSubject: r.Replace(lockSubject), delete: f.Delete,
	}
}

// lockSubject locks a subject's row, as the writes that must not cross a
// legal hold (rule G3) and PlaceHold itself do.
const lockSubject = sqlcore.SQLSubjectExists + ` FOR UPDATE`

func newQueries(r *strings.Replacer) queries {
	q := queries{
		version:         sqlcore.SQLMigrationsVersion,
		insertMigration: sqlcore.SQLRecordMigration,

		createSubject: sqlcore.SQLCreateSubject,
		subject:       sqlcore.SQLSubject,
		// The subject's row, locked as PlaceHold locks it (rule G3).
		subjectForUpdate: sqlcore.SQLSubject + ` FOR UPDATE`,
		updateSubject:    sqlcore.SQLUpdateSubject,
		subjectExists:    sqlcore.SQLSubjectExists,
		lockSubject:      lockSubject,
		// Erasure, children first. The subject's row and its cases are
		// locked first, so that no case or record is added meanwhile.
		deleteSubject: sqlcore.SQLDeleteSubject(),
		// Rules R9, O12: the rest of the subject's data but its requests.
		// Like the medical file, only the eraser's role may delete them
		// (EraserGrants).
		forgetSubject: sqlcore.SQLForgetSubject(),

		createCase:  sqlcore.SQLCreateCase,
		caseByID:    sqlcore.SQLCase,
		updateCase:  sqlcore.SQLUpdateCase,
		caseExists:  sqlcore.SQLCaseExists,
		caseSubject: sqlcore.SQLCaseSubject,
		// Issue 14 §2: is the case the subject's? Through migration
		// 0063's function, so that the physicians' role, which reads no
		// more of a case than its ID, asks it too.
		subjectCaseExists: `SELECT 1 WHERE {schema}.case_of_subject($1, $2)`,
		lockCase:          sqlcore.SQLCaseExists + ` FOR UPDATE`,
		// Rule R4: the cases of an addition, locked FOR SHARE and read
		// open or closed, by migration 0008's function for either role.
		lockCases: `SELECT case_id, open FROM {schema}.lock_cases($1::text[])`,
		// Rule R4: does a record of the case, in either file, date from
		// after a closing (migration 0008's function)?
		caseDatedAfter:   `SELECT {schema}.case_dated_after($1, $2)`,
		lockSubjectCases: `SELECT id FROM {schema}.cases WHERE subject_id = $1 FOR UPDATE`,
		subjectCases:     `SELECT ` + caseColumns + ` FROM {schema}.cases WHERE subject_id = $1 ORDER BY opened NULLS FIRST, id`,
		deleteCase:       sqlcore.SQLDeleteCase(),

		// Rule G7: a chain's head through the function of migration 0060,
		// for roles that do not read the trail; it locks the chain until
		// the transaction ends, in the same round trip.
		lastEvent: `SELECT seq, hash FROM {schema}.chain_head_locked($1)`,
		// The heads of many chains in one statement, each locked in turn
		// by chain_head_locked in the order asked (the byte order of the
		// chains' names: two appends never wait on each other
		// crosswise); an empty chain has no head (NULL). One round trip
		// for a sweep's batch of many subjects (issue 14 §2).
		lastEvents: `SELECT s.chain, h.seq, h.hash FROM (SELECT u.chain, u.ord FROM unnest($1::text[]) WITH ORDINALITY AS u(chain, ord)
	ORDER BY u.ord) s LEFT JOIN LATERAL {schema}.chain_head_locked(s.chain) h ON true ORDER BY s.ord`,
		// A chain's head and anchor for a read (access.ChainHeadStore):
		// no lock, for the role that reads the trail.
		chainHead:   sqlcore.SQLLastEvent,
		chainAnchor: sqlcore.SQLChainAnchor,
		// One statement for a whole batch: the columns come as arrays.
		insertEvents: `INSERT INTO {schema}.audit_events (` + eventColumns + `) SELECT * FROM unnest($1::bigint[],
	$2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
	$11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bytea[], $18::bytea[])`,
		// The function of migration 0060: every role appends through it.
		appendEvents: `SELECT {schema}.append_chained($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[],
	$6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
	$15::text[], $16::text[], $17::bytea[], $18::bytea[])`,
		events:       strings.ReplaceAll(sqlcore.SQLEvents, "{pos}", "pos"),
		auditHeads:   sqlcore.SQLAuditHeads,
		chainEvents:  sqlcore.SQLChainEvents,
		auditAnchors: sqlcore.SQLAuditAnchors,
		pruneCuts:    sqlcore.SQLPruneCuts,
		upsertAnchor: sqlcore.SQLUpsertAnchor,
		pruneEvents:  sqlcore.SQLPruneEvents,
		pruneChain:   `SELECT {schema}.prune_chain($1, $2, $3, $4)`,
		// Rule N9: the legacy chain's events past their period, through
		// migration 0068's function (no role deletes from the trail).
		pruneLegacy:   `SELECT {schema}.prune_legacy($1)`,
		subjectEvents: sqlcore.SQLSubjectEvents,
	}
	for _, p := range []*string{&q.version, &q.insertMigration, &q.createSubject, &q.subject, &q.subjectForUpdate, &q.updateSubject,
		&q.subjectExists, &q.lockSubject, &q.createCase, &q.caseByID, &q.updateCase, &q.caseExists, &q.caseSubject, &q.subjectCaseExists, &q.lockCase,
		&q.lockCases, &q.caseDatedAfter,
		&q.lockSubjectCases, &q.subjectCases, &q.lastEvent, &q.lastEvents, &q.chainHead, &q.chainAnchor, &q.insertEvents, &q.appendEvents, &q.events,
		&q.auditHeads, &q.auditAnchors, &q.chainEvents, &q.pruneChain, &q.pruneLegacy, &q.pruneCuts, &q.upsertAnchor, &q.pruneEvents,
		&q.subjectEvents} {
		*p = r.Replace(*p)
	}
	for i := range q.deleteSubject {
		q.deleteSubject[i] = r.Replace(q.deleteSubject[i])
	}
	for i := range q.forgetSubject {
		q.forgetSubject[i] = r.Replace(q.forgetSubject[i])
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
	q.obj = sqlcore.SQLObjects(r.Replace)
	// Rules G3, N12: a batch of objects locks its subjects as a batch of
	// records does, in ID order, all before the first item (see
	// sqlcore.Store.EraseObjects): no cycle with DeleteSubject or another
	// batch over the group rows.
	q.obj.LockSubjects = q.ret.lockSubjects
	// A batch of objects is checked and erased a few statements to the
	// batch, not seven or so to the item.
	q.obj.Set = objectSetQueries(r)
	q.obj.Set.Holds = q.ret.standingHolds // the records' batch reads them alike
	q.obj.LockGroups = r.Replace(`SELECT {schema}.lock_groups_of($1::text[])`)
	// Item by item too, each object's row is locked as it is read (see
	// ObjectSetQueries.Rows): rules O12, N7.
	for k := range q.obj.Ended {
		q.obj.Ended[k] += lockRow(objectTables[slices.Index(sqlcore.SetKinds, k)].table)
	}
	q.objPages = newObjectPageQueries(r)
	q.core = q.coreQueries()
	return q
}

// core is f as package sqlcore takes it.
func (f fileQueries) core() sqlcore.File {
	return sqlcore.File{What: f.what, Insert: f.insert, Get: f.get, Update: f.update, CaseOf: f.caseOf,
		First: f.first, After: f.after, SubjectFirst: f.subjectFirst, SubjectAfter: f.subjectAfter,
		Owner: f.owner, LockSubject: f.lockSubject, Delete: f.delete}
}

// coreQueries are q as package sqlcore takes them.
func (q *queries) coreQueries() sqlcore.Queries {
	return sqlcore.Queries{
		CreateSubject: q.createSubject, Subject: q.subject, SubjectForUpdate: q.subjectForUpdate,
		UpdateSubject: q.updateSubject, SubjectExists: q.subjectExists, LockSubject: q.lockSubject,
		LockSubjectCases: q.lockSubjectCases, DeleteSubject: q.deleteSubject, ForgetSubject: q.forgetSubject,

		CreateCase: q.createCase, Case: q.caseByID, UpdateCase: q.updateCase, CaseExists: q.caseExists,
		CaseSubject: q.caseSubject, SubjectCaseExists: q.subjectCaseExists, LockCase: q.lockCase, LockCases: q.lockCases, CaseDatedAfter: q.caseDatedAfter,
		SubjectCases: q.subjectCases, DeleteCase: q.deleteCase,

		Ordinary: q.ordinary.core(), Medical: q.medical.core(),

		LastEvent: q.lastEvent, Events: q.events, SubjectEvents: q.subjectEvents,
		AuditHeads: q.auditHeads, AuditAnchors: q.auditAnchors, ChainHead: q.chainHead, ChainAnchor: q.chainAnchor, PruneCuts: q.pruneCuts, UpsertAnchor: q.upsertAnchor,
		PruneEvents: q.pruneEvents, ChainEvents: q.chainEvents, PruneChain: q.pruneChain, PruneLegacyCall: q.pruneLegacy,

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

		InsertRequest: q.rts.insert, Request: q.rts.get, UpdateRequest: q.rts.update, RequestState: q.rts.state,
		SubjectRequests: q.rts.subject, OpenRequests: q.rts.open,

		Groups: q.acc.groups, GroupVersion: q.acc.groupVersion, InsertGroup: q.acc.insertGroup,
		GroupMembers: q.acc.groupMembers, LockGroupHistory: q.acc.lockGroupHistory,
		ForgetInGroups: q.acc.forgetInGroups,

		Objects: q.obj, ObjectPages: q.objPages,
	}
}
