package access

import (
	"math/bits"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// refDecideCategory is decideCategory as it was before the floors moved
// into cells: a branch per floor, in order.
func (e *Engine) refDecideCategory(r *Request, ri, ai, ci, fp int, f facts, d *Decision) uint16 {
	p := r.Principal
	staff := ri <= riAdministrator && ri != riEmployer && ri != riInsurer
	switch {
	case ci == catMedical:
		// Rules O6, G8, N6: medical data only for an assigned physician,
		// bound to medical secrecy, signed in with more than one factor.
		// Not even the subject reads it directly: it is released through
		// the physician (O13).
		switch {
		case ri != riPhysician:
			e.deny(d, privacy.O6, reasonMedicalRole)
			return 0
		case f.holds&condAssigned == 0:
			e.deny(d, privacy.O6, reasonMedicalAssign)
			return 0
		case p.Secrecy != privacy.SecrecyProfessional:
			e.deny(d, privacy.G8, reasonMedicalSecrecy)
			return 0
		case !p.MultiFactor:
			e.deny(d, privacy.N6, reasonMedicalMFA)
			return 0
		}
	case ci == catAbsenceReason && !staff && ri != riSubject:
		// Rule O9: the reason for the sick report is for internal use only.
		e.deny(d, privacy.O9, reasonAbsenceReason)
		return 0
	case ci == catNationalID && (ri == riInsurer || ri == riEmployer):
		// Rule N5: the BSN is used only where a statute allows it.
		e.deny(d, privacy.N5, reasonBSN)
		return 0
	case ri == riEmployer && ai != writeIndex && catHealth[ci] && ci != catConsultation:
		// Rule N4: health data only for people bound to secrecy; the
		// employer is not (the subject's statements included). What it
		// may write is N1's, below.
		e.deny(d, privacy.N4, reasonEmployerHealth)
		return 0
	case ri == riEmployer && ai != writeIndex && ci == catConsultation && !consented(r):
		// Rule O10: the employer learns of a consultation-hour visit or
		// periodic examination only with the employee's approval.
		e.deny(d, privacy.O10, reasonConfidential)
		return 0
	}
	if ri == riSupportStaff && ci != catIdentity && ci != catContact && ci != catAppointment {
		// Rule R8: other staff only as far as needed, never case content.
		e.deny(d, privacy.R8, reasonSupportStaff)
		return 0
	}
	if f.known&condAssigned != 0 && f.holds&condAssigned == 0 {
		// Rules R7, O4: a case manager's or physician's content needs an
		// assignment to the case, whatever the policy says.
		e.deny(d, e.roleAssign[ri], condReason(condAssigned))
		return 0
	}
	if catHealth[ci] && staff && p.Secrecy == privacy.SecrecyNone {
		// Rule N4: health data only for people bound to secrecy.
		e.deny(d, privacy.N4, reasonNoSecrecy)
		return 0
	}
	full := fullMask(ci)
	floor, floorRule, floorReason := full, privacy.RuleID(""), ""
	switch {
	case ri == riInsurer:
		// Rule N3: an insurer only reads, and never more than the
		// statutory maximum, whatever the policy says.
		if ai != readIndex {
			e.deny(d, privacy.N3, reasonInsurerAction)
			return 0
		}
		floor, floorRule, floorReason = n3Mask[ci], privacy.N3, reasonInsurerMax
	case ri == riEmployer && ai == writeIndex:
		// Rule N1: the employer registers only the sick report's facts
		// (and master data and notes), not even with consent.
		floor, floorRule, floorReason = n1Mask[ci], privacy.N1, reasonEmployerWrite
	}
	if floor == 0 || (fp >= 0 && floor&(1<<fp) == 0) {
		e.deny(d, floorRule, floorReason)
		return 0
	}

	var fb uint16
	if fp >= 0 {
		fb = 1 << uint(fp)
	}
	mask := e.evaluate(r, &e.cells[cellIndex(ri, ai, ci)], fb, f, d) & floor
	switch {
	case !d.Allowed:
		return 0
	case fp >= 0:
		if mask&(1<<fp) == 0 {
			e.deny(d, d.Rule, reasonField)
			return 0
		}
		return 1 << fp
	case mask == 0:
		e.deny(d, floorRule, floorReason)
		return 0
	case ai != readIndex && mask != full:
		if floor != full {
			e.deny(d, floorRule, floorReason)
		} else {
			e.deny(d, d.Rule, reasonWholeRecord)
		}
		return 0
	}
	d.Partial = mask != full
	return mask
}

// TestCellsMatchTheFloors checks, for every role, action, category, field
// and kind of principal under several policies (one with the conditions
// on who the principal is dropped), that the floors compiled into cells
// decide exactly as the floors written out one branch each: the same
// decision and the same fields.
func TestCellsMatchTheFloors(t *testing.T) {
	loose := privacy.Strict()
	for i := range loose.Access {
		loose.Access[i].Requires = nil
	}
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: now.AddDate(-1, 0, 0)}
	n := 0
	for _, p := range []*privacy.Policy{privacy.Strict(), privacy.RegulationO(), privacy.RegulationR(), loose} {
		e := compile(p.Clone())
		for _, kind := range privacy.CaseKinds() {
			c := &privacy.Case{ID: "c-1", Subject: "s-1", Kind: kind, Purpose: privacy.PurposePrevention, Contract: contract}
			for _, role := range privacy.Roles() {
				for _, assigned := range []bool{false, true} {
					for _, secrecy := range []privacy.SecrecyBasis{privacy.SecrecyNone, privacy.SecrecyAgreement, privacy.SecrecyProfessional} {
						for _, mfa := range []bool{false, true} {
							pr := NewPrincipal(privacy.Principal{ID: "p-1", Role: role, Party: "employer-1", Subject: "s-1",
								Secrecy: secrecy, MultiFactor: mfa}, nil, []privacy.PartyID{"employer-1"})
							if assigned {
								pr.Cases = NewSet[privacy.CaseID]("c-1")
							}
							for _, consent := range []bool{false, true} {
								for _, act := range privacy.Actions() {
									for _, cat := range privacy.Categories() {
										info, _ := cat.Info()
										for pos := -1; pos < len(info.Fields); pos++ {
											r := Request{Principal: pr, Case: c, Action: act, Category: cat, Purpose: c.Purpose, Time: now, Consent: ConsentIf(consent)}
											if pos >= 0 {
												r.Field = info.Fields[pos]
											}
											ri, ai, ci, ki, fb, ok := e.indices(&r)
											if !ok {
												t.Fatalf("indices(%+v) failed", r)
											}
											var d Decision
											f, ok := e.caseFloor(&r, ri, ki, &d)
											if !ok {
												continue
											}
											var got, want Decision
											gm := e.decideCategory(&r, &e.cells[cellIndex(ri, ai, ci)], ri, fb, f, &got)
											fp := -1
											if fb != 0 {
												fp = bits.TrailingZeros16(fb)
											}
											wm := e.refDecideCategory(&r, ri, ai, ci, fp, f, &want)
											n++
											if got != want || gm != wm {
												t.Fatalf("%s: %s %s %s.%s (assigned %t, secrecy %q, mfa %t, consent %t, %s case): cells %v (%b), floors %v (%b)",
													p.Name, role, act, cat, r.Field, assigned, secrecy, mfa, consent, kind, got, gm, want, wm)
											}
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
	if n < 10000 {
		t.Fatalf("only %d decisions compared", n)
	}
}
