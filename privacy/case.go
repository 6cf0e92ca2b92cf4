package privacy

import (
	"fmt"
	"log/slog"
	"maps"
	"time"
)

// Identifiers. They carry no personal data (never a BSN or a name): an ID
// may appear in errors, logs and audit events.
type (
	SubjectID   string // a data subject
	CaseID      string // a case (dossier)
	RecordID    string // a record in a case
	PrincipalID string // an authenticated actor
	PartyID     string // an organisation: employer, insurer, municipality, …
	ContractID  string // the contract under which a party commissions cases (O2)
)

const maxIDLen = 128

// ValidID reports whether s is a well-formed identifier: 1 to 128 bytes of
// ASCII letters, digits and . _ : - (so that IDs are safe in file names,
// URLs, logs and SQL parameters alike).
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > maxIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

func checkID(op, path, id string) error {
	if !ValidID(id) {
		return &Error{Op: op, Kind: ErrInvalid, Path: path, Msg: "want 1 to 128 of A-Z a-z 0-9 . _ : -"}
	}
	return nil
}

// Subject is the person the data is about: an employee of a client
// employer, or a client sent by a municipality or UWV ("betrokkene",
// "werknemer", "cliënt"). It holds no personal data itself: names,
// addresses and the BSN are records of their categories, so that a Subject
// can be logged and compared freely.
type Subject struct {
	ID SubjectID
	// Employer is the employer the subject works for, if any.
	Employer PartyID
	// EmploymentEnded is when the employment ended (O8); zero while it
	// lasts. Several retention periods run from it (N7).
	EmploymentEnded time.Time
	// Created is when the service first registered the subject.
	Created time.Time
}

// NewSubject returns a validated Subject registered at created.
func NewSubject(id SubjectID, employer PartyID, created time.Time) (Subject, error) {
	s := Subject{ID: id, Employer: employer, Created: created}
	return s.normalize(), s.Validate()
}

// Validate reports whether s is well formed.
func (s Subject) Validate() error {
	if err := checkID("validate subject", "id", string(s.ID)); err != nil {
		return err
	}
	if s.Employer != "" {
		if err := checkID("validate subject", "employer", string(s.Employer)); err != nil {
			return err
		}
	}
	if s.Created.IsZero() {
		return &Error{Op: "validate subject", Kind: ErrInvalid, Path: "created", Msg: "missing"}
	}
	return nil
}

func (s Subject) normalize() Subject {
	s.Created = Timestamp(s.Created)
	s.EmploymentEnded = Timestamp(s.EmploymentEnded)
	return s
}

// LogValue identifies the subject by ID only.
func (s Subject) LogValue() slog.Value { return slog.StringValue(string(s.ID)) }

// Timestamp normalises t as every store keeps times: UTC, to the
// microsecond. The zero time stays zero.
func Timestamp(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// Contract is the agreement under which a party commissions the service
// (rule O2: processing only to carry out the tasks a contract assigns).
type Contract struct {
	ID ContractID
	// Party is the commissioning party ("opdrachtgever").
	Party PartyID
	// PartyKind is the kind of the commissioning party: employer,
	// municipality or UWV (R2).
	PartyKind PartyKind
	// Start and End bound the contract's term; a zero End means open-ended.
	Start, End time.Time
}

// Covers reports whether the contract is in force at t (rule O2).
func (c Contract) Covers(t time.Time) bool {
	return !t.Before(c.Start) && (c.End.IsZero() || t.Before(c.End))
}

// WithoutEmployment reports whether the contract's care is about no
// employment of the commissioning party's: a municipality's or the UWV's
// client (R2), for whom no employer sent the case.
func (c Contract) WithoutEmployment() bool {
	return c.PartyKind == PartyMunicipality || c.PartyKind == PartyUWV
}

// EmploymentEnd is when a retention period that runs from the end of the
// employment ([TriggerEmploymentEnded], rules O8, N7) starts for a record
// of case c of subject s last changed at changed: the end of s's
// employment; for a case whose contract is [Contract.WithoutEmployment],
// the closing of the case, or the record's last change if that came after
// (a closed case's record may still be rectified, and the medical file's
// statutory period runs from its last change, BW 7:454(3)), so that its
// records do not wait for ever for an employment end no one will record
// (issue 14 §1: nothing kept with no date). Zero while it has not
// happened.
func EmploymentEnd(s Subject, c Case, changed time.Time) time.Time {
	if !c.Contract.WithoutEmployment() {
		return s.EmploymentEnded
	}
	if c.Closed.IsZero() || !changed.After(c.Closed) {
		return c.Closed
	}
	return changed
}

// Case is a dossier: one subject, one commissioning party under a contract,
// one kind, one purpose. It opens, may change, and closes; closing starts
// most retention clocks.
type Case struct {
	ID       CaseID
	Subject  SubjectID
	Kind     CaseKind
	Purpose  Purpose  // R5
	Contract Contract // O2
	Opened   time.Time
	Closed   time.Time // zero while open
}

// NewCase returns a validated, open Case.
func NewCase(id CaseID, subject SubjectID, kind CaseKind, purpose Purpose, contract Contract, opened time.Time) (Case, error) {
	c := Case{ID: id, Subject: subject, Kind: kind, Purpose: purpose, Contract: contract, Opened: opened}
	c = c.normalize()
	return c, c.Validate()
}

// IsOpen reports whether the case has not been closed.
func (c Case) IsOpen() bool { return c.Closed.IsZero() }

// Validate reports whether c is well formed: IDs, a known kind, a purpose,
// a contract (O2) that covers the opening date.
func (c Case) Validate() error {
	const op = "validate case"
	for _, f := range []struct{ path, id string }{
		{"id", string(c.ID)}, {"subject", string(c.Subject)},
		{"contract.id", string(c.Contract.ID)}, {"contract.party", string(c.Contract.Party)},
	} {
		if err := checkID(op, f.path, f.id); err != nil {
			if f.path[0] == 'c' && f.path != "id" {
				err.(*Error).Rule = O2
			}
			return err
		}
	}
	if !c.Kind.Known() {
		return &Error{Op: op, Kind: ErrInvalid, Path: "kind", Msg: fmt.Sprintf("unknown case kind %q", truncate(string(c.Kind), 32))}
	}
	if c.Purpose == "" || !ValidID(string(c.Purpose)) {
		return &Error{Op: op, Kind: ErrInvalid, Rule: R5, Path: "purpose", Msg: "a case needs a purpose"}
	}
	switch c.Contract.PartyKind {
	case PartyEmployer, PartyMunicipality, PartyUWV:
	default:
		return &Error{Op: op, Kind: ErrInvalid, Rule: O2, Path: "contract.party-kind", Msg: "the commissioning party must be an employer, a municipality or UWV"}
	}
	if c.Contract.Start.IsZero() || (!c.Contract.End.IsZero() && !c.Contract.End.After(c.Contract.Start)) {
		return &Error{Op: op, Kind: ErrInvalid, Rule: O2, Path: "contract", Msg: "the contract's term is empty"}
	}
	if c.Opened.IsZero() {
		return &Error{Op: op, Kind: ErrInvalid, Path: "opened", Msg: "missing"}
	}
	if !c.Contract.Covers(c.Opened) {
		return &Error{Op: op, Kind: ErrForbidden, Rule: O2, Path: "opened", Msg: "the case opens outside its contract's term"}
	}
	if !c.Closed.IsZero() && c.Closed.Before(c.Opened) {
		return &Error{Op: op, Kind: ErrInvalid, Path: "closed", Msg: "closes before it opens"}
	}
	return nil
}

func (c Case) normalize() Case {
	c.Opened = Timestamp(c.Opened)
	c.Closed = Timestamp(c.Closed)
	c.Contract.Start = Timestamp(c.Contract.Start)
	c.Contract.End = Timestamp(c.Contract.End)
	return c
}

// LogValue identifies the case by ID and kind only.
func (c Case) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(c.ID)), slog.String("kind", string(c.Kind)))
}

// Source says who supplied a record's data (R2, O8): the commissioning
// party, the subject, an expert, the service's own staff.
type Source struct {
	Kind  PartyKind
	Party PartyID // empty for the subject or the service itself
}

// Record is one entry in a case: one category, an author, a source, a time,
// a purpose, and its content as fields (R4). Records of
// [CategoryMedical] are kept in the separate medical file (O6).
type Record struct {
	ID       RecordID
	Case     CaseID
	Subject  SubjectID
	Category Category
	Author   PrincipalID
	Source   Source
	Purpose  Purpose // R5: the case's purpose
	Created  time.Time
	Updated  time.Time // the last change; equal to Created until then
	// Basis names the statute that permits the record, where one is
	// needed: a record of [CategoryNationalID] must name a legal basis of
	// the policy that covers the BSN (N5).
	Basis  LegalBasisID
	Fields map[Field]string
}

// Clone returns a deep copy of r: stores copy records in and out so that
// callers never share their state.
func (r Record) Clone() Record {
	r.Fields = maps.Clone(r.Fields)
	return r
}

// LogValue identifies the record by ID and category; its content is never
// logged.
func (r Record) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(r.ID)), slog.String("category", string(r.Category)))
}

const maxFieldLen = 1 << 20

// Validate reports whether r is well formed in itself: IDs, a known
// category that is not a special one (O5), fields its category has. It
// does not know the case; [Dossiers.AddRecord] checks the rest.
func (r Record) Validate() error {
	const op = "validate record"
	for _, f := range []struct{ path, id string }{
		{"id", string(r.ID)}, {"case", string(r.Case)}, {"subject", string(r.Subject)}, {"author", string(r.Author)},
	} {
		if err := checkID(op, f.path, f.id); err != nil {
			return err
		}
	}
	if r.Category.Special() {
		// Rule O5: religion, belief, race, political opinions, sexual
		// orientation and the other special categories are never processed.
		return &Error{Op: op, Kind: ErrProhibitedCategory, Rule: O5, Path: "category",
			Msg: fmt.Sprintf("category %q is never processed", r.Category)}
	}
	if !r.Category.Known() {
		return &Error{Op: op, Kind: ErrInvalid, Path: "category", Msg: fmt.Sprintf("unknown category %q", truncate(string(r.Category), 32))}
	}
	if !r.Source.Kind.Known() {
		return &Error{Op: op, Kind: ErrInvalid, Rule: R2, Path: "source.kind", Msg: "a record needs a known source"}
	}
	if r.Source.Party != "" {
		if err := checkID(op, "source.party", string(r.Source.Party)); err != nil {
			return err
		}
	}
	if r.Created.IsZero() {
		return &Error{Op: op, Kind: ErrInvalid, Rule: R4, Path: "created", Msg: "missing"}
	}
	if !r.Updated.IsZero() && r.Updated.Before(r.Created) {
		return &Error{Op: op, Kind: ErrInvalid, Path: "updated", Msg: "before created"}
	}
	if len(r.Fields) == 0 {
		return &Error{Op: op, Kind: ErrInvalid, Path: "fields", Msg: "a record needs content"}
	}
	for f, v := range r.Fields {
		if !r.Category.HasField(f) {
			return &Error{Op: op, Kind: ErrInvalid, Path: "fields", Msg: fmt.Sprintf("category %q has no field %q", r.Category, truncate(string(f), 32))}
		}
		if len(v) > maxFieldLen {
			return &Error{Op: op, Kind: ErrInvalid, Path: "fields." + string(f), Msg: "longer than 1 MiB"}
		}
	}
	if r.Basis != "" && !ValidID(string(r.Basis)) {
		return &Error{Op: op, Kind: ErrInvalid, Path: "basis", Msg: "malformed legal basis ID"}
	}
	return nil
}

func (r Record) normalize() Record {
	r.Created = Timestamp(r.Created)
	r.Updated = Timestamp(r.Updated)
	if r.Updated.IsZero() {
		r.Updated = r.Created
	}
	return r
}

// Principal is an authenticated actor. The library never authenticates
// (R12): it starts from a principal that the caller vouches for, and
// decides from its facts.
type Principal struct {
	ID   PrincipalID
	Role Role
	// Party is the organisation the principal acts for: the employer of
	// an employer contact, the insurer, the service itself for staff.
	Party PartyID
	// Secrecy is what binds the principal to confidentiality; without one
	// it never sees health data (N4).
	Secrecy SecrecyBasis
	// MultiFactor reports whether the principal signed in with more than
	// one factor; medical data needs it (N6).
	MultiFactor bool
	// Contractor marks someone working for the service without being
	// employed by it; such a principal needs an Agreement (O7).
	Contractor bool
	// Agreement references the agreement that binds a contractor (O7).
	Agreement string
	// Subject is, for RoleSubject, the subject the principal is.
	Subject SubjectID
}

// Validate reports whether p is well formed: an ID, a known role and
// secrecy basis, an agreement for a contractor (O7), a subject for the
// subject role.
func (p Principal) Validate() error {
	const op = "validate principal"
	if err := checkID(op, "id", string(p.ID)); err != nil {
		return err
	}
	if !p.Role.Known() {
		return &Error{Op: op, Kind: ErrInvalid, Path: "role", Msg: fmt.Sprintf("unknown role %q", truncate(string(p.Role), 32))}
	}
	if !p.Secrecy.Known() {
		return &Error{Op: op, Kind: ErrInvalid, Rule: N4, Path: "secrecy", Msg: "unknown secrecy basis"}
	}
	if p.Contractor && p.Agreement == "" {
		return &Error{Op: op, Kind: ErrForbidden, Rule: O7, Path: "agreement", Msg: "a contractor needs the agreement that binds it"}
	}
	if p.Role == RoleSubject {
		if err := checkID(op, "subject", string(p.Subject)); err != nil {
			return err
		}
	}
	return nil
}

// LogValue identifies the principal by ID and role.
func (p Principal) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(p.ID)), slog.String("role", string(p.Role)))
}
