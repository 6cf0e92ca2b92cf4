package export

import (
	"bufio"
	"encoding/json"
	"io"
	"reflect"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Schema is the name and version of the export's JSON form. A reader
// checks it first; a change that is not backward compatible gets a new
// version.
const Schema = "dossierwacht.export/v1"

// Document is everything held about one subject, with the facts of GDPR
// art. 15(1) (rule G1): the model behind both forms of the export, JSON
// (rule G5) and HTML. A [Writer] streams it from the stores without
// holding it; [Decode] reads the JSON form back into it;
// [Document.Encode] and [Document.WriteHTML] write it again. The package
// documentation describes every field of the JSON form.
type Document struct {
	Schema    string    `json:"schema"`
	Generated time.Time `json:"generated"`
	// Request is the ID of the subject's request the export answers, if
	// one.
	Request string `json:"request,omitempty"`
	// Controller and Processor are the policy's, in English; ControllerNL
	// and ProcessorNL in Dutch, when the policy has them (a page shows
	// the form of its language).
	Controller   string        `json:"controller"`
	ControllerNL string        `json:"controller_nl,omitempty"`
	Processor    string        `json:"processor,omitempty"`
	ProcessorNL  string        `json:"processor_nl,omitempty"`
	Policy       PolicyRef     `json:"policy"`
	Subject      SubjectData   `json:"subject"`
	Medical      MedicalAccess `json:"medical"`
	// RecordRetention says whether each record's retention is given
	// (Retention of the records) or only the policy's rules (Facts).
	RecordRetention Part           `json:"record_retention"`
	Cases           []CaseData     `json:"cases"`
	Consents        ConsentPart    `json:"consents"`
	Disclosures     DisclosurePart `json:"disclosures"`
	AccessLog       AccessPart     `json:"access_log"`
	Requests        []RequestData  `json:"requests"`
	Facts           Facts          `json:"facts"`
	Totals          Totals         `json:"totals"`
}

// PolicyRef names the policy version the export was made under (O16).
type PolicyRef struct {
	Name      string    `json:"name"`
	Version   string    `json:"version"`
	Effective time.Time `json:"effective"`
	Title     string    `json:"title,omitempty"`
	TitleNL   string    `json:"title_nl,omitempty"`
}

// SubjectData is the subject as registered.
type SubjectData struct {
	ID              privacy.SubjectID `json:"id"`
	Employer        privacy.PartyID   `json:"employer,omitempty"`
	Created         time.Time         `json:"created"`
	EmploymentEnded time.Time         `json:"employment_ended,omitzero"`
}

// MedicalAccess says how medical records are in the export (rules O13,
// O6): directly, when the policy gives them to the subject; through a
// physician's release, naming the physician; otherwise listed without
// their content, pending release.
type MedicalAccess struct {
	Direct     bool                `json:"direct,omitempty"`
	ReleasedBy privacy.PrincipalID `json:"released_by,omitempty"`
	Rule       privacy.RuleID      `json:"rule"`
}

// Part says whether a part of the export could be read. A part that is not
// available is empty because the service did not connect its source, not
// because nothing is held.
type Part struct {
	Available bool   `json:"available"`
	Note      string `json:"note,omitempty"`
}

// ConsentPart is the subject's consent grants and revocations.
type ConsentPart struct {
	Available bool      `json:"available"`
	Note      string    `json:"note,omitempty"`
	Entries   []Consent `json:"entries"`
}

// DisclosurePart is the disclosure log: who received the subject's data.
type DisclosurePart struct {
	Available bool         `json:"available"`
	Note      string       `json:"note,omitempty"`
	Entries   []Disclosure `json:"entries"`
}

// AccessPart is the audit trail of access to the subject's data (N9):
// the subject's own audit chain (rule G7), its events in order and, when
// the source tells it, where the chain stood when the export was made.
type AccessPart struct {
	Available bool   `json:"available"`
	Note      string `json:"note,omitempty"`
	// Chain is the head of the subject's chain at the export, read before
	// its events: the entries are the chain from its start (its anchor,
	// or its first event) to this head, so that the subject can prove,
	// with [Document.VerifyAccessLog], that nothing was cut from it, and
	// keep the head to check a later export against. Absent when the
	// source cannot tell its heads.
	Chain   *ChainHead    `json:"chain,omitempty"`
	Entries []AccessEntry `json:"entries"`
}

// ChainHead is where the subject's audit chain stood when the export was
// made (rules G7, N9): its last event's number and hash, whether its
// links are keyed (computed under a key the database does not hold, which
// the subject does not get: without it, the links and numbering are
// checked, not each event's content), and the signed starting point of a
// chain pruned after the audit retention.
type ChainHead struct {
	Seq    uint64       `json:"seq"`
	Hash   privacy.Hash `json:"hash"`
	Keyed  bool         `json:"keyed,omitempty"`
	Anchor *ChainAnchor `json:"anchor,omitempty"`
}

// ChainAnchor is the signed starting point of a pruned chain
// ([privacy.Anchor]): the events up to Seq went after the audit retention
// (N9); the chain goes on from the event whose hash was Hash. MAC is its
// signature under the chain's key.
type ChainAnchor struct {
	Seq  uint64       `json:"seq"`
	Hash privacy.Hash `json:"hash"`
	MAC  privacy.Hash `json:"mac"`
}

// CaseData is one case with its records.
type CaseData struct {
	ID       privacy.CaseID   `json:"id"`
	Kind     privacy.CaseKind `json:"kind"`
	Purpose  privacy.Purpose  `json:"purpose"`
	Contract ContractData     `json:"contract"`
	Opened   time.Time        `json:"opened"`
	Closed   time.Time        `json:"closed,omitzero"`
	Records  []RecordData     `json:"records"`
}

// ContractData is the contract a case falls under (O2).
type ContractData struct {
	ID        privacy.ContractID `json:"id"`
	Party     privacy.PartyID    `json:"party"`
	PartyKind privacy.PartyKind  `json:"party_kind"`
	Start     time.Time          `json:"start"`
	End       time.Time          `json:"end,omitzero"`
}

// Withholding says why a record's content is not in the export.
type Withholding string

// WithheldPendingRelease marks a medical record whose content the subject
// gets through the physician (rules O13, O6): listed, not shown, until a
// physician releases it.
const WithheldPendingRelease Withholding = "pending-physician-release"

// RecordData is one record.
type RecordData struct {
	ID       privacy.RecordID    `json:"id"`
	Category privacy.Category    `json:"category"`
	Medical  bool                `json:"medical,omitempty"`
	Author   privacy.PrincipalID `json:"author"`
	// Source is who supplied the data (R2).
	Source  SourceData           `json:"source"`
	Purpose privacy.Purpose      `json:"purpose"`
	Created time.Time            `json:"created"`
	Updated time.Time            `json:"updated"`
	Basis   privacy.LegalBasisID `json:"basis,omitempty"`
	// Fields is the content; absent when withheld.
	Fields     map[privacy.Field]string `json:"fields,omitempty"`
	Withheld   Withholding              `json:"withheld,omitempty"`
	ReleasedBy privacy.PrincipalID      `json:"released_by,omitempty"`
	// Redacted reports that personal data of others was taken out.
	Redacted bool `json:"redacted,omitempty"`
	// Retention is the record's retention, when the service connected
	// its retention facts.
	Retention *Retention `json:"retention,omitempty"`
}

// SourceData is the party that supplied a record's data (R2, O8).
type SourceData struct {
	Kind  privacy.PartyKind `json:"kind"`
	Party privacy.PartyID   `json:"party,omitempty"`
}

// AccessEntry is one audit event about the subject's data: who, in which
// role, for whom, why, did what, when, from where, with which outcome
// (rules G7, N9).
type AccessEntry struct {
	Seq         uint64              `json:"seq"`
	Time        time.Time           `json:"time"`
	Principal   privacy.PrincipalID `json:"principal"`
	Role        privacy.Role        `json:"role"`
	OnBehalfOf  privacy.PartyID     `json:"on_behalf_of,omitempty"`
	Purpose     privacy.Purpose     `json:"purpose,omitempty"`
	Case        privacy.CaseID      `json:"case,omitempty"`
	Category    privacy.Category    `json:"category,omitempty"`
	Object      string              `json:"object,omitempty"`
	Action      privacy.EventAction `json:"action"`
	Outcome     privacy.Outcome     `json:"outcome"`
	Rule        privacy.RuleID      `json:"rule"`
	Policy      string              `json:"policy,omitempty"`
	AccessPoint string              `json:"access_point,omitempty"`
	Client      string              `json:"client,omitempty"`
	// Prev and Hash link the event into the subject's chain (rule G7):
	// Prev is the hash of the event before it (zero for the chain's
	// first), Hash its own. Exports written before they were included
	// leave them out.
	Prev privacy.Hash `json:"prev,omitzero"`
	Hash privacy.Hash `json:"hash,omitzero"`
}

// Totals counts what the export holds; [Decode] checks them, so that
// a cut or altered export does not pass for a complete one.
type Totals struct {
	Cases        int `json:"cases"`
	Records      int `json:"records"`
	Medical      int `json:"medical"`
	Withheld     int `json:"withheld"`
	Redacted     int `json:"redacted"`
	Consents     int `json:"consents"`
	Disclosures  int `json:"disclosures"`
	AccessEvents int `json:"access_events"`
	Requests     int `json:"requests"`
}

// Facts are the facts of GDPR art. 15(1)(a)–(h) (rule G1), derived from
// the policy and the records: purposes, categories, recipients, retention,
// sources, rights, where to complain.
type Facts struct {
	Purposes   []PurposeFact   `json:"purposes"`
	Categories []CategoryFact  `json:"categories"`
	Recipients []RecipientFact `json:"recipients"`
	Retention  []RetentionFact `json:"retention"`
	Sources    []SourceFact    `json:"sources"`
	Rights     []RightFact     `json:"rights"`
	Complaint  Complaint       `json:"complaint"`
	// AutomatedDecisions reports automated decision-making with legal
	// effect (art. 15(1)(h)); the library makes none.
	AutomatedDecisions bool `json:"automated_decisions"`
}

// PurposeFact is a purpose of the policy (R5, O2) and how many of the
// subject's cases serve it.
type PurposeFact struct {
	Purpose   privacy.Purpose    `json:"purpose"`
	Rule      privacy.RuleID     `json:"rule"`
	CaseKinds []privacy.CaseKind `json:"case_kinds"`
	Reason    string             `json:"reason,omitempty"`
	ReasonNL  string             `json:"reason_nl,omitempty"`
	Cases     int                `json:"cases"`
}

// CategoryFact is a category of data held about the subject.
type CategoryFact struct {
	Category privacy.Category `json:"category"`
	Health   bool             `json:"health,omitempty"`
	Records  int              `json:"records"`
	Withheld int              `json:"withheld,omitempty"`
}

// RecipientFrom says where a recipient fact comes from.
type RecipientFrom string

// Where recipients come from.
const (
	FromPolicy  RecipientFrom = "policy"  // a disclosure rule of the policy: who may receive what, on which basis
	FromStatute RecipientFrom = "statute" // a legal basis of the policy (N10)
	FromLog     RecipientFrom = "log"     // the disclosure log: who did receive the subject's data
)

// RecipientFact is a recipient, or kind of recipient, of the subject's
// data.
type RecipientFact struct {
	From       RecipientFrom        `json:"from"`
	Kind       privacy.PartyKind    `json:"kind"`
	Party      privacy.PartyID      `json:"party,omitempty"`
	Basis      privacy.BasisKind    `json:"basis,omitempty"`
	LegalBasis privacy.LegalBasisID `json:"legal_basis,omitempty"`
	// Rule is the rule that allows the disclosure; empty for the log's
	// recipients, whose entries name their own rules.
	Rule       privacy.RuleID     `json:"rule,omitempty"`
	Citation   string             `json:"citation,omitempty"`
	Categories []privacy.Category `json:"categories"`
	Reason     string             `json:"reason,omitempty"`
	ReasonNL   string             `json:"reason_nl,omitempty"`
	// Disclosed counts the log's disclosures to this party.
	Disclosed int `json:"disclosed,omitempty"`
}

// RetentionFact is a retention rule of the policy (R9, O12, N7): the period
// or the rule that sets it.
type RetentionFact struct {
	Rule       privacy.RuleID     `json:"rule"`
	Categories []privacy.Category `json:"categories,omitempty"`
	CaseKinds  []privacy.CaseKind `json:"case_kinds,omitempty"`
	Trigger    privacy.Trigger    `json:"trigger"`
	Period     privacy.Period     `json:"period"`
	// FromYearEnd says the period runs from the end of the trigger's
	// year (the fiscal seven years, rules R9, N7).
	FromYearEnd bool   `json:"from_year_end,omitempty"`
	Statutory   bool   `json:"statutory,omitempty"`
	Citation    string `json:"citation,omitempty"`
	Reason      string `json:"reason,omitempty"`
	ReasonNL    string `json:"reason_nl,omitempty"`
}

// SourceFact is a source of the subject's records (R2, art. 15(1)(g)).
type SourceFact struct {
	Kind    privacy.PartyKind `json:"kind"`
	Party   privacy.PartyID   `json:"party,omitempty"`
	Records int               `json:"records"`
}

// Right is a right of the data subject. Values are exported.
type Right string

// The rights the export names (G1, art. 15(1)(e) and (f)).
const (
	RightAccess          Right = "access"           // GDPR art. 15; R11, O13
	RightRectification   Right = "rectification"    // art. 16; O13
	RightErasure         Right = "erasure"          // art. 17; O13, R9, N8
	RightRestriction     Right = "restriction"      // art. 18
	RightPortability     Right = "portability"      // art. 20; G5
	RightObjection       Right = "objection"        // art. 21
	RightWithdrawConsent Right = "withdraw-consent" // art. 7(3); R6, O14
	RightComplain        Right = "complain"         // art. 77; R10, O15
)

// Rights returns every right the export names, in a fixed order.
func Rights() []Right {
	return []Right{RightAccess, RightRectification, RightErasure, RightRestriction, RightPortability,
		RightObjection, RightWithdrawConsent, RightComplain}
}

// Known reports whether r is one of the rights.
func (r Right) Known() bool { return slices.Contains(Rights(), r) }

// RightFact is a right, the article that gives it and the rules behind it.
type RightFact struct {
	Right   Right            `json:"right"`
	Article string           `json:"article"`
	Rules   []privacy.RuleID `json:"rules"`
}

// Complaint is where the subject may complain (rules O15, R10, G2).
type Complaint struct {
	Authority string `json:"authority"`
	Website   string `json:"website"`
	// Procedure is the service's own complaints procedure.
	Procedure string           `json:"procedure,omitempty"`
	Rules     []privacy.RuleID `json:"rules"`
}

// maxExportSize bounds what Decode reads.
const maxExportSize = 1 << 30

// Decode reads an export in its JSON form and gives back exactly what
// was exported. Decoding is strict: an unknown field, another schema, an
// unknown category, kind or rule, a malformed ID or time, totals that do
// not match the content, trailing data, or more than 1 GiB all fail with an
// error that matches [privacy.ErrInvalid]. Empty lists and maps decode as
// nil and times as UTC, as a [Writer] writes them.
func Decode(r io.Reader) (*Document, error) {
	const o = "decode export"
	lr := &limitedReader{r: r, n: maxExportSize + 1}
	dec := json.NewDecoder(bufio.NewReader(lr))
	dec.DisallowUnknownFields()
	var e Document
	if err := dec.Decode(&e); err != nil {
		if lr.n <= 0 {
			return nil, invalid(o, "", "larger than 1 GiB")
		}
		return nil, privacy.JSONError(op+o, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalid(o, "", "trailing data after the export")
	}
	if lr.n <= 0 {
		return nil, invalid(o, "", "larger than 1 GiB")
	}
	normalize(reflect.ValueOf(&e))
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return &e, nil
}

type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

var timeType = reflect.TypeFor[time.Time]()

// normalize puts v in the form the export writes: empty slices and maps
// nil, times in UTC without a monotonic reading. Decoding and encoding a
// normalized value gives it back unchanged.
func normalize(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			normalize(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == timeType {
			if t := v.Interface().(time.Time); !t.IsZero() && v.CanSet() {
				v.Set(reflect.ValueOf(t.Round(0).UTC()))
			}
			return
		}
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				normalize(f)
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			if !v.IsNil() && v.CanSet() {
				v.SetZero()
			}
			return
		}
		for i := range v.Len() {
			normalize(v.Index(i))
		}
	case reflect.Map:
		if v.Len() == 0 && !v.IsNil() && v.CanSet() {
			v.SetZero()
		}
	}
}
