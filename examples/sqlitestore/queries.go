package sqlitestore

import (
	"strings"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
)

// The statements of the store, values only as parameters (? or ?1). The
// file has one writer at a time, so where PostgreSQL locks a row before it
// reads (a subject's row before its holds are read, a case's before
// records are added), SQLite reads the row: nothing can change it until
// the write commits. Lists of IDs are JSON arrays, read with json_each.
// The statements both dialects run alike are package sqlcore's, rendered
// for the file (inFile).

const eventColumns = sqlcore.EventColumns

const (
	qSubjectCases = `SELECT ` + sqlcore.CaseColumns + ` FROM cases WHERE subject_id = ? ORDER BY opened, id`

	qInsertEvent = `INSERT INTO audit_events (` + eventColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	// qCaseHasRecord asks whether one of the records of a JSON array is
	// of a case, in either file, finding each by its key.
	qCaseHasRecord = `SELECT EXISTS (SELECT 1 FROM json_each(?2)
	WHERE EXISTS (SELECT 1 FROM records r WHERE r.id = json_each.value AND r.case_id = ?1)
		OR EXISTS (SELECT 1 FROM medical_records r WHERE r.id = json_each.value AND r.case_id = ?1))`
	qInsertProof = `INSERT INTO proofs (` + sqlcore.ProofColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qProofExists = `SELECT 1 FROM proofs WHERE record_id = ?`

	// qCandidates walks the subjects in ID order from an index that
	// carries the employment end, and asks each from an index whether a
	// case ended (closed, or left open with its last activity: rules R9,
	// O12), a record was created or a request was decided before a
	// cut-off. A NULL cut-off (a criterion not set) matches nothing.
	qCandidates = `SELECT s.id FROM subjects s WHERE s.id > ?1 AND (
	s.employment_ended < ?2
	OR EXISTS (SELECT 1 FROM cases c WHERE c.subject_id = s.id AND c.closed < ?3)
	OR EXISTS (SELECT 1 FROM cases c WHERE c.subject_id = s.id AND c.closed IS NULL AND ` + sqlcore.SQLCaseActive + ` < ?3)
	OR EXISTS (SELECT 1 FROM cases c JOIN records r ON r.case_id = c.id WHERE c.subject_id = s.id AND r.created < ?4)
	OR EXISTS (SELECT 1 FROM cases c JOIN medical_records r ON r.case_id = c.id WHERE c.subject_id = s.id AND r.created < ?4)
	OR EXISTS (SELECT 1 FROM erasures e WHERE e.subject_id = s.id AND e.decided < ?5)
	OR s.created < ?7)
ORDER BY s.id LIMIT ?6`

	// The dossiers of a page of subjects, whose IDs come as one JSON
	// array.
	qDossierSubjects = `SELECT ` + sqlcore.SubjectColumns + ` FROM subjects WHERE id IN (SELECT value FROM json_each(?))`
	qDossierCases    = `SELECT ` + sqlcore.CaseColumns + `, active FROM cases WHERE subject_id IN (SELECT value FROM json_each(?))
	ORDER BY subject_id, opened, id`
	qDossierHolds = `SELECT ` + sqlcore.HoldColumns + ` FROM holds WHERE subject_id IN (SELECT value FROM json_each(?))
	ORDER BY subject_id, seq`
	qDossierErasures = `SELECT ` + sqlcore.ErasureColumns + ` FROM erasures WHERE subject_id IN (SELECT value FROM json_each(?))
	ORDER BY subject_id, seq`

	qSubjectGrants = `SELECT ` + sqlcore.GrantColumns + ` FROM consent_grants WHERE subject_id = ? ORDER BY given, id`
	// The first disclosure of the subject at or after a time that rests
	// on a grant: the index finds the subject's disclosures from that
	// time on, and only those are searched for the grant.
	qRestsOnGrant = `SELECT d.id FROM disclosures AS d WHERE d.subject_id = ? AND d.at >= ?
	AND EXISTS (SELECT 1 FROM json_each(d.grants) AS g WHERE g.value = ?) ORDER BY d.at, d.id LIMIT 1`
	qSubjectDisclosures = `SELECT ` + sqlcore.DisclosureColumns + ` FROM disclosures WHERE subject_id = ? ORDER BY at, id`
	qEmployerCoverage   = `SELECT ` + sqlcore.CoverageColumns + ` FROM consent_coverage WHERE employer = ? ORDER BY valid_from, id`
	// The first disclosure at or after a time that rests on a coverage.
	qRestsOnCoverage = `SELECT id FROM disclosures WHERE coverage_id = ? AND coverage_id <> '' AND at >= ? ORDER BY at, id LIMIT 1`
)

// The statements of package sqlcore, rendered for the file.
var (
	qSubject       = inFile(sqlcore.SQLSubject)
	qSubjectExists = inFile(sqlcore.SQLSubjectExists)
	qCase          = inFile(sqlcore.SQLCase)
	qCaseExists    = inFile(sqlcore.SQLCaseExists)
	qLastEvent     = inFile(sqlcore.SQLLastEvent)
	qEvents        = inFile(strings.ReplaceAll(sqlcore.SQLEvents, "{pos}", "rowid"))
	qAuditHeads    = inFile(sqlcore.SQLAuditHeads)
	qChainEvents   = inFile(sqlcore.SQLChainEvents)
	qAuditAnchors  = inFile(sqlcore.SQLAuditAnchors)
	qPruneCuts     = inFile(sqlcore.SQLPruneCuts)
	qUpsertAnchor  = inFile(sqlcore.SQLUpsertAnchor)
	qPruneEvents   = inFile(sqlcore.SQLPruneEvents)
	qPruneLegacy   = inFile(sqlcore.SQLPruneLegacy)
	qSubjectEvents = inFile(sqlcore.SQLSubjectEvents)
	qHold          = inFile(sqlcore.SQLHold)
	qStandingHolds = inFile(sqlcore.SQLSubjectHolds)
	qSubjectHeld   = inFile(sqlcore.SQLSubjectHeld)
	qProof         = inFile(sqlcore.SQLProof)
	qProofs        = inFile(sqlcore.SQLProofs)
	qGrant         = inFile(sqlcore.SQLGrant)
	qCoverage      = inFile(sqlcore.SQLCoverage)
	qGroups        = inFile(sqlcore.SQLGroups)
	qGroupVersion  = inFile(sqlcore.SQLGroupVersion)
	// deleteSubject and deleteCase are the statements that erase a
	// subject or a case, children first; each takes the ID.
	deleteSubject = render(sqlcore.SQLDeleteSubject())
	forgetSubject = render(sqlcore.SQLForgetSubject())
	deleteCase    = render(sqlcore.SQLDeleteCase())
)

// inFile renders a statement of package sqlcore for the file: no schemas,
// the medical file's table medical_records, parameters ?1, ?2, …
func inFile(q string) string {
	q = strings.NewReplacer("{medical}.records", "medical_records", "{schema}.", "").Replace(q)
	b := []byte(q)
	for i := range len(b) - 1 {
		if b[i] == '$' && '0' <= b[i+1] && b[i+1] <= '9' {
			b[i] = '?'
		}
	}
	return string(b)
}

// render renders each of qs with inFile.
func render(qs []string) []string {
	for i := range qs {
		qs[i] = inFile(qs[i])
	}
	return qs
}

// file is one compartment of records: the ordinary file or the medical
// file (rule O6), each a table of its own. Its statements are built once
// from the table's name.
type file struct {
	what, insert, get, update, caseOf, owner, first, after, delete string
	subjectFirst, subjectAfter                                     string // issue 14 §2: by subject and case
}

func newFile(what, table string) file {
	f := sqlcore.SQLFile(what, table).Render(inFile)
	return file{
		what:   what,
		insert: `INSERT INTO ` + inFile(table) + ` (` + sqlcore.RecordColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		get:    f.Get, update: f.Update, caseOf: f.CaseOf, owner: f.Owner, first: f.First, after: f.After, delete: f.Delete,
		subjectFirst: f.SubjectFirst, subjectAfter: f.SubjectAfter,
	}
}

// core is f as the core takes it.
func (f file) core() sqlcore.File {
	return sqlcore.File{What: f.what, Insert: f.insert, Get: f.get, Update: f.update, CaseOf: f.caseOf,
		First: f.first, After: f.after, SubjectFirst: f.subjectFirst, SubjectAfter: f.subjectAfter,
		Owner: f.owner, LockSubject: qSubjectExists, Delete: f.delete}
}

// entryQueries are the statements that list and check the records of one
// file for a sweep: its entries (medical, case, ID, category, created,
// version) by case, and one record's case, subject and version.
type entryQueries struct {
	entries, check string
}

func newEntryQueries(table, medical string) entryQueries {
	return entryQueries{
		entries: `SELECT ` + medical + `, case_id, id, category, created, coalesce(updated, created) FROM ` + table +
			` WHERE case_id IN (SELECT value FROM json_each(?))`,
		check: `SELECT case_id, subject_id, coalesce(updated, created) FROM ` + table + ` WHERE id = ?`,
	}
}

var (
	ordinaryFile    = newFile("record", "{schema}.records")
	medicalFile     = newFile("medical record", "{medical}.records")
	ordinaryEntries = newEntryQueries("records", "0")
	medicalEntries  = newEntryQueries("medical_records", "1")

	queries = sqlcore.Queries{
		CreateSubject:    inFile(sqlcore.SQLCreateSubject),
		Subject:          qSubject,
		SubjectForUpdate: qSubject,
		UpdateSubject:    inFile(sqlcore.SQLUpdateSubject),
		SubjectExists:    qSubjectExists,
		LockSubject:      qSubjectExists,
		DeleteSubject:    deleteSubject,
		ForgetSubject:    forgetSubject,

		CreateCase:  inFile(sqlcore.SQLCreateCase),
		Case:        qCase,
		UpdateCase:  inFile(sqlcore.SQLUpdateCase),
		CaseExists:  qCaseExists,
		CaseSubject: inFile(sqlcore.SQLCaseSubject), SubjectCaseExists: inFile(sqlcore.SQLSubjectCaseExists),
		LockCase:  qCaseExists,
		LockCases: `SELECT id, closed IS NULL FROM cases WHERE id IN (SELECT value FROM json_each(?))`,
		// Does a record of the case, in either file, date from after a
		// closing: was it created or changed later?
		CaseDatedAfter: `SELECT coalesce(max(t) > ?2, 0) FROM (
	SELECT max(created, coalesce(updated, created)) AS t FROM records WHERE case_id = ?1
	UNION ALL
	SELECT max(created, coalesce(updated, created)) FROM medical_records WHERE case_id = ?1)`,
		SubjectCases: qSubjectCases,
		DeleteCase:   deleteCase,

		Ordinary: ordinaryFile.core(),
		Medical:  medicalFile.core(),

		LastEvent:     qLastEvent,
		ChainHead:     qLastEvent,
		ChainAnchor:   inFile(sqlcore.SQLChainAnchor),
		Events:        qEvents,
		SubjectEvents: qSubjectEvents,
		AuditHeads:    qAuditHeads,
		ChainEvents:   qChainEvents,
		AuditAnchors:  qAuditAnchors,
		PruneCuts:     qPruneCuts,
		UpsertAnchor:  qUpsertAnchor,
		PruneEvents:   qPruneEvents,
		PruneLegacy:   qPruneLegacy,

		InsertHold:    inFile(sqlcore.SQLInsertHold),
		Hold:          qHold,
		HoldLifted:    inFile(sqlcore.SQLHoldLifted),
		LiftHold:      inFile(sqlcore.SQLLiftHold),
		SubjectHolds:  qStandingHolds,
		SubjectHeld:   qSubjectHeld,
		CaseHasRecord: qCaseHasRecord,
		InsertErasure: inFile(sqlcore.SQLInsertErasure),
		Proof:         qProof,
		Proofs:        qProofs,

		Candidates:      qCandidates,
		DossierSubjects: qDossierSubjects,
		DossierCases:    qDossierCases,
		DossierHolds:    qDossierHolds,
		DossierErasures: qDossierErasures,
		DossierEntries:  []string{ordinaryEntries.entries, medicalEntries.entries},

		InsertGrant:        `INSERT INTO consent_grants (` + sqlcore.GrantColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		Grant:              qGrant,
		LockGrant:          qGrant,
		SubjectGrants:      qSubjectGrants,
		LockSubjectGrants:  qSubjectGrants,
		RevokeGrant:        inFile(sqlcore.SQLRevokeGrant),
		RestsOnGrant:       qRestsOnGrant,
		InsertDisclosure:   `INSERT INTO disclosures (` + sqlcore.DisclosureColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		SubjectDisclosures: qSubjectDisclosures,

		InsertCoverage:       inFile(sqlcore.SQLInsertCoverage),
		Coverage:             qCoverage,
		LockCoverage:         qCoverage,
		EmployerCoverage:     qEmployerCoverage,
		LockEmployerCoverage: qEmployerCoverage,
		EndCoverage:          inFile(sqlcore.SQLEndCoverage),
		RestsOnCoverage:      qRestsOnCoverage,

		InsertRequest:   qInsertRequest,
		Request:         qRequest,
		UpdateRequest:   qUpdateRequest,
		RequestState:    qRequestState,
		SubjectRequests: qSubjectRequests,
		OpenRequests:    qOpenRequests,

		Groups:       qGroups,
		GroupVersion: qGroupVersion,
		InsertGroup:  `INSERT INTO access_groups (employer, version, members) VALUES (?, ?, ?)`,
		GroupMembers: `SELECT id FROM subjects WHERE id IN (SELECT value FROM json_each(?))`,
		// Rules N12, R9, O12: the core takes an erased subject out.
		GroupsWith:      inFile(sqlcore.SQLGroupsWith),
		GroupLow:        inFile(sqlcore.SQLGroupLow),
		ShiftGroups:     inFile(sqlcore.SQLShiftGroups),
		SetGroupMembers: inFile(sqlcore.SQLSetGroupMembers),

		Objects: sqlcore.SQLObjects(inFile),
	}
)
