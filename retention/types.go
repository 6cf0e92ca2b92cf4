package retention

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// Identifiers of this package's objects. Like the privacy IDs they carry no
// personal data and may appear in errors, logs and audit events.
type (
	HoldID    string // a legal hold
	ErasureID string // a granted erasure request
)

// Ground is the ground on which a legal hold keeps data from erasure (rule
// G3, GDPR art. 17(3)). Values are stored; they are never renamed.
type Ground string

// The grounds of a legal hold.
const (
	// GroundLegalObligation: a legal obligation requires keeping the data
	// (GDPR art. 17(3)(b)), such as a supervisory authority's order.
	GroundLegalObligation Ground = "legal-obligation"
	// GroundLegalClaim: the data is needed for the establishment, exercise
	// or defence of legal claims (GDPR art. 17(3)(e)), such as a pending
	// court case or an objection procedure.
	GroundLegalClaim Ground = "legal-claim"
	// GroundRestriction: the subject's granted restriction of processing
	// (GDPR art. 18, [privacy.RuleRestriction]). Besides keeping the data
	// from erasure and change, as every hold does (art. 18(2): only
	// storage), a standing restriction keeps it from every view but the
	// subject's own and from disclosure; the front door checks it on
	// every verb. It is lifted only after the subject is told (art.
	// 18(3)).
	GroundRestriction Ground = "restriction"
)

// Known reports whether g is one of the grounds.
func (g Ground) Known() bool {
	return g == GroundLegalObligation || g == GroundLegalClaim || g == GroundRestriction
}

// Rule is the rule a hold on ground g keeps data under: G3 for a legal
// obligation or claim, [privacy.RuleRestriction] for a restriction.
func (g Ground) Rule() privacy.RuleID {
	if g == GroundRestriction {
		return privacy.RuleRestriction
	}
	return privacy.G3
}

// maxScopeRecords bounds the records a hold or erasure request names.
const maxScopeRecords = 10000

// maxNoteLen bounds the free-text reasons of holds.
const maxNoteLen = 200

// Hold is a legal hold: data of a subject, of one of their cases, or some of
// their records that must not be deleted while the hold stands, whatever
// its retention period or an erasure request says (rule G3). A held record
// is never deleted: the store checks the hold in the same atomic step that
// would delete it.
//
// A hold is placed and lifted, each time with who did it, when and why; a
// lifted hold is kept as history.
type Hold struct {
	ID HoldID `json:"id"`
	// Subject is whose data is held. Always set.
	Subject privacy.SubjectID `json:"subject"`
	// Case, if set, narrows the hold to one case of the subject.
	Case privacy.CaseID `json:"case,omitempty"`
	// Records, if set, narrows the hold to these records (of Case, when
	// Case is set).
	Records []privacy.RecordID `json:"records,omitempty"`
	Ground  Ground             `json:"ground"`
	// Reason says why, briefly and without personal data: a docket
	// number, an authority's reference ("court case C/16/123"). At most
	// 200 bytes of printable text.
	Reason   string              `json:"reason"`
	PlacedBy privacy.PrincipalID `json:"placed_by"`
	Placed   time.Time           `json:"placed"`
	// LiftedBy, Lifted and LiftReason record the lifting; zero while the
	// hold stands.
	LiftedBy   privacy.PrincipalID `json:"lifted_by,omitempty"`
	Lifted     time.Time           `json:"lifted,omitzero"`
	LiftReason string              `json:"lift_reason,omitempty"`
}

// ActiveAt reports whether the hold stands at t: not lifted at or before
// t. A hold dated after t stands too (rule G3): it was placed on a time a
// clock gave that t is behind of (a clock that jumped ahead, then was set
// right), and the stores keep every hold not lifted standing, so that a
// sweep's plan and the sweep agree, and nothing a hold keeps is deleted.
func (h *Hold) ActiveAt(t time.Time) bool {
	return h.Lifted.IsZero() || h.Lifted.After(t)
}

// Covers reports whether the hold's scope includes the record id of case c
// (of the hold's subject).
func (h *Hold) Covers(c privacy.CaseID, id privacy.RecordID) bool {
	if h.Case != "" && h.Case != c {
		return false
	}
	return len(h.Records) == 0 || slices.Contains(h.Records, id)
}

// KeepsCase says what h keeps of case c when the whole case is to be
// deleted (rule G3): whole reports that h covers the case as such (it
// holds its subject's whole data, or names c); otherwise records are the
// records a hold of the whole subject names, which keep the case if one
// of them is c's — the caller, which knows c's records, decides. A hold
// of another case keeps nothing of c.
func (h *Hold) KeepsCase(c privacy.CaseID) (whole bool, records []privacy.RecordID) {
	switch {
	case h.Case == c, h.Case == "" && len(h.Records) == 0:
		return true, nil
	case h.Case == "":
		return false, h.Records
	}
	return false, nil
}

// HoldsSubject reports whether h keeps the whole of its subject's data: it
// names no case and no records. While it stands the subject does not
// change (rule G3; see [AltersSubject]).
func (h *Hold) HoldsSubject() bool { return h.Case == "" && len(h.Records) == 0 }

// HoldsCase reports whether h keeps the whole of case c of its subject:
// it holds the subject's whole data, or names c and no records. While it
// stands the case does not change (rule G3; see [AltersCase]). A hold
// that names records keeps those, not the case's own facts.
func (h *Hold) HoldsCase(c privacy.CaseID) bool {
	return len(h.Records) == 0 && (h.Case == "" || h.Case == c)
}

// AltersCase reports whether replacing case old by next changes what a
// hold of the whole case keeps (rule G3): any change but closing an open
// case, which adds a fact and alters none. Stores refuse such a change of
// a held case, under the lock that placing a hold takes.
func AltersCase(old, next privacy.Case) bool {
	if old.IsOpen() {
		old.Closed = next.Closed
	}
	return old.ID != next.ID || old.Subject != next.Subject || old.Kind != next.Kind || old.Purpose != next.Purpose ||
		old.Contract.ID != next.Contract.ID || old.Contract.Party != next.Contract.Party ||
		old.Contract.PartyKind != next.Contract.PartyKind || !old.Contract.Start.Equal(next.Contract.Start) ||
		!old.Contract.End.Equal(next.Contract.End) || !old.Opened.Equal(next.Opened) || !old.Closed.Equal(next.Closed)
}

// AltersSubject reports whether replacing subject old by next changes
// what a hold of the subject's whole data keeps (rule G3): any change but
// recording the end of an employment that had none, which adds a fact
// and alters none.
func AltersSubject(old, next privacy.Subject) bool {
	if old.EmploymentEnded.IsZero() {
		old.EmploymentEnded = next.EmploymentEnded
	}
	return old.ID != next.ID || old.Employer != next.Employer || !old.Created.Equal(next.Created) ||
		!old.EmploymentEnded.Equal(next.EmploymentEnded)
}

// Clone returns a deep copy of h.
func (h Hold) Clone() Hold {
	h.Records = slices.Clone(h.Records)
	return h
}

// LogValue identifies the hold by ID and subject only.
func (h Hold) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(h.ID)), slog.String("subject", string(h.Subject)))
}

// Validate reports whether h is a well-formed new hold.
func (h *Hold) Validate() error {
	const op = "retention: validate hold"
	if err := validScope(op, string(h.ID), h.Subject, h.Case, h.Records); err != nil {
		return err
	}
	if !h.Ground.Known() {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.G3, Path: "ground", Msg: "want legal-obligation, legal-claim or restriction"}
	}
	if err := validNote(op, "reason", h.Reason, true); err != nil {
		return err
	}
	if !privacy.ValidID(string(h.PlacedBy)) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "placed_by", Msg: "malformed principal ID"}
	}
	if h.Placed.IsZero() {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "placed", Msg: "missing"}
	}
	if !h.Lifted.IsZero() || h.LiftedBy != "" || h.LiftReason != "" {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "lifted", Msg: "a new hold is not lifted"}
	}
	return nil
}

// Erasure is a granted request of the subject to erase their data before
// its retention period ends (rules R9, O13; for the medical file N8). It
// brings the due date of every record in its scope forward to the day it
// was granted, except where a statutory retention duty or a legal hold
// forbids it (rule G3): those records stay, and their schedules say why.
//
// A refused request is not stored here: the caller records the refusal
// and its reasons with the request itself (O13, G2).
type Erasure struct {
	ID ErasureID `json:"id"`
	// Subject is whose data is to be erased. Always set.
	Subject privacy.SubjectID `json:"subject"`
	// Case, if set, narrows the request to one case.
	Case privacy.CaseID `json:"case,omitempty"`
	// Records, if set, narrows the request to these records.
	Records []privacy.RecordID `json:"records,omitempty"`
	// Rule is the right the subject invoked: R9 (regulation R: earlier
	// deletion on the client's request) or O13 (regulation O: deletion on
	// a written, reasoned request). Medical records are erased under N8.
	Rule privacy.RuleID `json:"rule"`
	// Received is when the request arrived; N8's three months for the
	// medical file run from it.
	Received time.Time `json:"received"`
	// Decided is when the request was granted: the records in scope are
	// due from that day.
	Decided time.Time `json:"decided"`
	// DecidedBy is who granted it.
	DecidedBy privacy.PrincipalID `json:"decided_by"`
}

// Clone returns a deep copy of e.
func (e Erasure) Clone() Erasure {
	e.Records = slices.Clone(e.Records)
	return e
}

// Covers reports whether the request's scope includes the record id of
// case c (of the request's subject).
func (e *Erasure) Covers(c privacy.CaseID, id privacy.RecordID) bool {
	if e.Case != "" && e.Case != c {
		return false
	}
	return len(e.Records) == 0 || slices.Contains(e.Records, id)
}

// LogValue identifies the request by ID and subject only.
func (e Erasure) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(e.ID)), slog.String("subject", string(e.Subject)))
}

// Validate reports whether e is a well-formed granted request.
func (e *Erasure) Validate() error {
	const op = "retention: validate erasure"
	if err := validScope(op, string(e.ID), e.Subject, e.Case, e.Records); err != nil {
		return err
	}
	if e.Rule != privacy.R9 && e.Rule != privacy.O13 {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "rule", Msg: "want R9 or O13, the right the subject invoked"}
	}
	if e.Received.IsZero() || e.Decided.IsZero() {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "decided", Msg: "received and decided are required"}
	}
	if e.Decided.Before(e.Received) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "decided", Msg: "decided before received"}
	}
	if !privacy.ValidID(string(e.DecidedBy)) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "decided_by", Msg: "malformed principal ID"}
	}
	return nil
}

func validScope(op, id string, subject privacy.SubjectID, c privacy.CaseID, records []privacy.RecordID) error {
	if !privacy.ValidID(id) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "id", Msg: "want 1 to 128 of A-Z a-z 0-9 . _ : -"}
	}
	if !privacy.ValidID(string(subject)) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "subject", Msg: "malformed subject ID"}
	}
	if c != "" && !privacy.ValidID(string(c)) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "case", Msg: "malformed case ID"}
	}
	if len(records) > maxScopeRecords {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "records", Msg: "more than 10000 records"}
	}
	for i, r := range records {
		if !privacy.ValidID(string(r)) {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: fmt.Sprintf("records[%d]", i), Msg: "malformed record ID"}
		}
	}
	return nil
}

func validNote(op, path, s string, required bool) error {
	if s == "" {
		if required {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: path, Msg: "missing"}
		}
		return nil
	}
	if len(s) > maxNoteLen {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: path, Msg: "longer than 200 bytes"}
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: path, Msg: "not printable text"}
		}
	}
	return nil
}

// Entry is what scheduling needs of a record: its identity, category and
// times, never its content. Stores list entries so that a sweep never
// reads the data it is about to delete.
type Entry struct {
	ID       privacy.RecordID
	Category privacy.Category
	// Medical reports whether the record is in the separate medical file
	// (O6).
	Medical bool
	Created time.Time
	// Updated is the last change; the version a schedule was made for.
	Updated time.Time
}

// EntryOf returns the entry of r.
func EntryOf(r privacy.Record) Entry {
	u := r.Updated
	if u.IsZero() {
		u = r.Created
	}
	return Entry{ID: r.ID, Category: r.Category, Medical: r.Category.Medical(), Created: r.Created, Updated: u}
}

// CaseFile is a case with the entries of its records, medical ones
// included.
type CaseFile struct {
	Case    privacy.Case
	Records []Entry
	// Active is the last time a record of the case was written or
	// rectified, as the store keeps it: it outlives the records, so that
	// a record deleted early does not date the case's last activity back.
	// Zero if the store keeps none; [CaseFile.LastActivity] also reads the
	// case's opening and its records.
	Active time.Time
}

// LastActivity is the last time anything was recorded in the case: the
// latest of its opening, its kept activity (Active) and its records' last
// changes. An open case ends for retention at its last activity
// ([CaseEnded]).
func (cf *CaseFile) LastActivity() time.Time {
	t := cf.Case.Opened
	if cf.Active.After(t) {
		t = cf.Active
	}
	for i := range cf.Records {
		if u := cf.Records[i].Updated; u.After(t) {
			t = u
		}
		if c := cf.Records[i].Created; c.After(t) {
			t = c
		}
	}
	return t
}

// Ended is [CaseEnded] of the case file: when it ends for retention, its
// subject's employment having ended at employmentEnded (zero if not).
func (cf *CaseFile) Ended(employmentEnded time.Time) time.Time {
	return CaseEnded(cf.Case, employmentEnded, cf.LastActivity())
}

// Dossier is everything a subject's schedules are computed from: the
// subject, their cases with the entries of their records, and the holds
// and granted erasure requests that concern them. Schedules are a pure
// function of a Dossier, the [Engine] and the time.
type Dossier struct {
	Subject  privacy.Subject
	Cases    []CaseFile
	Holds    []Hold
	Erasures []Erasure
}

// Records returns the number of record entries in d.
func (d *Dossier) Records() int {
	n := 0
	for i := range d.Cases {
		n += len(d.Cases[i].Records)
	}
	return n
}

// Recipient is a party that received a record, and so must be told of its
// erasure (rule G4, GDPR art. 19). It names an organisation, never a
// person.
type Recipient struct {
	Kind  privacy.PartyKind `json:"kind"`
	Party privacy.PartyID   `json:"party,omitempty"`
}

// Proof is the proof of one deletion: what kind of record of which case was
// deleted, when, by which rule, for what reason and by whom, and whom to
// tell (G4). It holds identifiers, categories, dates and rule IDs only,
// never the record's content, so it may be kept after the data is gone.
// Stores keep at most one proof per record: a proof present means the
// deletion is done.
type Proof struct {
	Record   privacy.RecordID  `json:"record"`
	Medical  bool              `json:"medical,omitempty"`
	Case     privacy.CaseID    `json:"case"`
	CaseKind privacy.CaseKind  `json:"case_kind"`
	Subject  privacy.SubjectID `json:"subject"`
	Category privacy.Category  `json:"category"`
	// Updated is the version of the record that was deleted: a store
	// refuses the deletion with ErrConflict when the record changed since.
	Updated time.Time `json:"updated"`
	// Due is the day the record became due.
	Due calendar.Date `json:"due"`
	// Deleted is when it was deleted.
	Deleted time.Time `json:"deleted"`
	// Rule is the rule that made it due (R9, O12, N7 …, or R9, O13, N8
	// for an erasure request), Reason how, Citation its source.
	Rule     privacy.RuleID `json:"rule"`
	Reason   Reason         `json:"reason"`
	Citation string         `json:"citation,omitempty"`
	// Erasure is the request that brought it forward, if one did.
	Erasure ErasureID `json:"erasure,omitempty"`
	// Policy is the version of the policy that decided (O16).
	Policy string `json:"policy"`
	// By is who ran the deletion.
	By privacy.PrincipalID `json:"by"`
	// Recipients are the parties that received the record and are to be
	// told of its erasure (G4).
	Recipients []Recipient `json:"recipients,omitempty"`
}

// Clone returns a deep copy of p.
func (p Proof) Clone() Proof {
	p.Recipients = slices.Clone(p.Recipients)
	return p
}

// String describes the deletion in one line; it names IDs, the category,
// dates and rules only.
func (p Proof) String() string {
	s := fmt.Sprintf("deleted %s (%s) of case %s on %s, rule %s (%s)", p.Record, p.Category, p.Case,
		calendar.DateIn(p.Deleted, calendar.Amsterdam()), p.Rule, p.Reason)
	if p.Erasure != "" {
		s += ", request " + string(p.Erasure)
	}
	return s
}
