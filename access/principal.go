package access

import (
	"log/slog"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Set is a set of IDs: a map lookup answers membership, whatever its size,
// so that a decision costs the same for a principal with 10 assignments as
// for one with 100,000.
type Set[K comparable] map[K]struct{}

// NewSet returns a set holding ks.
func NewSet[K comparable](ks ...K) Set[K] {
	s := make(Set[K], len(ks))
	for _, k := range ks {
		s[k] = struct{}{}
	}
	return s
}

// Has reports whether k is in s. A nil set holds nothing.
func (s Set[K]) Has(k K) bool {
	_, ok := s[k]
	return ok
}

// Add puts k in s, which must not be nil.
func (s Set[K]) Add(k K) { s[k] = struct{}{} }

// Principal is an authenticated actor with what the decisions need to know
// about it beyond [privacy.Principal]: the cases it is assigned to and the
// employers it acts for or covers, and where its request comes from.
//
// The library never authenticates (rule R12): the caller vouches for the
// principal and loads its assignments from its own tables, typically once
// per session. A decision then costs a few map lookups in these sets; the
// engine keeps no index of its own, so that it stays a pure function of
// its inputs and needs no lock.
//
// A Principal is read, never changed, by the engine; callers that change
// its sets while decisions run must synchronise themselves.
type Principal struct {
	privacy.Principal

	// Cases are the cases the principal is assigned to (rules R7, O4):
	// content access needs an assignment, not just a role.
	Cases Set[privacy.CaseID]
	// Employers are, for an employer contact, the employers it acts for
	// besides its own Party, and for an insurer, the employers whose
	// absence risk it covers (rule O11).
	Employers Set[privacy.PartyID]

	// AccessPoint and Client say where the request comes from (a network
	// address, a workstation, an API gateway) and which application made
	// it; they go into the audit trail (rule N9, NEN 7513). They contain
	// no personal data.
	AccessPoint string
	Client      string
}

// NewPrincipal returns p assigned to cases and acting for, or covering,
// employers.
func NewPrincipal(p privacy.Principal, cases []privacy.CaseID, employers []privacy.PartyID) *Principal {
	return &Principal{Principal: p, Cases: NewSet(cases...), Employers: NewSet(employers...)}
}

// Assigned reports whether the principal is assigned to case c (R7, O4).
func (p *Principal) Assigned(c privacy.CaseID) bool { return p.Cases.Has(c) }

// ActsFor reports whether the principal acts for party: its own Party, or,
// for an employer contact, one of its Employers (O2).
func (p *Principal) ActsFor(party privacy.PartyID) bool {
	if party == "" {
		return false
	}
	return p.Party == party || (p.Role == privacy.RoleEmployerContact && p.Employers.Has(party))
}

// Covers reports whether the principal is an insurer that covers employer
// (O11).
func (p *Principal) Covers(employer privacy.PartyID) bool {
	return p.Role == privacy.RoleInsurer && employer != "" && p.Employers.Has(employer)
}

const maxOriginLen = 256

// Validate reports whether p is well formed: the checks of
// [privacy.Principal.Validate], well-formed IDs in its sets, and an access
// point and client of at most 256 printable ASCII bytes; a malformed
// principal fails with [privacy.ErrInvalid]. A well-formed contractor
// without the agreement that binds it fails with [privacy.ErrForbidden] and
// rule O7.
func (p *Principal) Validate() error {
	const op = "access: validate principal"
	if p == nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil principal"}
	}
	// Everything else is checked first, so that a forbidden principal
	// (O7) is known to be well formed: it is then decided, denied and
	// audited rather than refused as malformed.
	base, forbidden := p.Principal, error(nil)
	if base.Contractor && base.Agreement == "" {
		forbidden = &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: privacy.O7, Path: "agreement", Msg: "a contractor needs the agreement that binds it"}
		base.Agreement = "checked-apart"
	}
	if err := base.Validate(); err != nil {
		return err
	}
	if p.Party != "" && !privacy.ValidID(string(p.Party)) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "party", Msg: "malformed party ID"}
	}
	for c := range p.Cases {
		if !privacy.ValidID(string(c)) {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "cases", Msg: "malformed case ID"}
		}
	}
	for e := range p.Employers {
		if !privacy.ValidID(string(e)) {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "employers", Msg: "malformed party ID"}
		}
	}
	for _, f := range []struct{ path, v string }{{"access-point", p.AccessPoint}, {"client", p.Client}} {
		if !printable(f.v, maxOriginLen) {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.N9, Path: f.path, Msg: "want at most 256 printable ASCII bytes"}
		}
	}
	return forbidden
}

func printable(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// LogValue identifies the principal by ID and role only.
func (p *Principal) LogValue() slog.Value { return p.Principal.LogValue() }
