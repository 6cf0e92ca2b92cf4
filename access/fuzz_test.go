package access_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// FuzzDecide feeds the engine requests built from arbitrary strings: it
// never panics, a request it allows names known vocabulary and passes the
// floors, and Validate refuses with a typed error or accepts.
func FuzzDecide(f *testing.F) {
	f.Add("case-manager", "agreement", "cm-1", "c-abs", "read", "absence-facts", "first-day", "absence-guidance", "absence", "employer-1", int64(0), false, false)
	f.Add("physician", "professional", "doc-1", "c-abs", "read", "medical", "", "absence-guidance", "absence", "employer-1", int64(0), true, false)
	f.Add("employer-contact", "", "hr-1", "c-cons", "read", "consultation", "", "prevention", "consultation", "employer-1", int64(0), false, true)
	f.Add("insurer", "", "ins-1", "c-abs", "write", "absence-facts", "wages", "x", "absence", "employer-1", int64(-5), false, false)
	f.Add("", "\x00", "a b", "", "", "religion", "\xff", "", "?", "", int64(1<<40), true, true)
	e := engineFor(f, privacy.Strict())
	f.Fuzz(func(t *testing.T, role, secrecy, pid, cid, action, category, field, purpose, kind, party string, days int64, mfa, consent bool) {
		p := access.NewPrincipal(privacy.Principal{ID: privacy.PrincipalID(pid), Role: privacy.Role(role), Party: privacy.PartyID(party),
			Secrecy: privacy.SecrecyBasis(secrecy), MultiFactor: mfa}, []privacy.CaseID{privacy.CaseID(cid)}, []privacy.PartyID{privacy.PartyID(party)})
		c := privacy.Case{ID: privacy.CaseID(cid), Subject: "s-1", Kind: privacy.CaseKind(kind), Purpose: privacy.Purpose(purpose),
			Contract: privacy.Contract{ID: "k", Party: privacy.PartyID(party), PartyKind: privacy.PartyEmployer, Start: now.AddDate(-1, 0, 0)}, Opened: now}
		r := access.Request{Principal: p, Case: &c, Action: privacy.Action(action), Category: privacy.Category(category),
			Field: privacy.Field(field), Purpose: privacy.Purpose(purpose), Time: now.Add(time.Duration(days%100000) * 24 * time.Hour), Consent: access.ConsentIf(consent)}
		d := e.Decide(r)
		if d.Rule == "" || d.Policy == "" {
			t.Fatalf("Decide = %+v: a decision names its rule and version", d)
		}
		if err := r.Validate(); err != nil {
			var pe *privacy.Error
			if !errors.As(err, &pe) || !(errors.Is(err, privacy.ErrInvalid) || errors.Is(err, privacy.ErrForbidden)) {
				t.Fatalf("Validate = %v: want a typed error", err)
			}
			if strings.Contains(err.Error(), pid) && len(pid) > 8 {
				t.Fatalf("Validate's message repeats the input: %v", err)
			}
		}
		if !d.Allowed {
			return
		}
		if !r.Principal.Role.Known() || !r.Action.Known() || !r.Category.Known() || r.Category.Special() {
			t.Fatalf("Decide allowed unknown vocabulary: %+v", r)
		}
		if r.Category == privacy.CategoryMedical && (r.Principal.Role != privacy.RolePhysician || !mfa || secrecy != string(privacy.SecrecyProfessional)) {
			t.Fatalf("Decide allowed medical data: %s", describe(r))
		}
		if r.Principal.Role == privacy.RoleAdministrator || (r.Category == privacy.CategoryAbsenceReason && !r.Principal.Role.Staff() && r.Principal.Role != privacy.RoleSubject) {
			t.Fatalf("Decide crossed a floor: %s", describe(r))
		}
	})
}

// FuzzView feeds the view arbitrary records: it never panics, fails only
// with typed errors, never shows a field a record does not have, and
// never shows medical data to anyone but the authorised physician.
func FuzzView(f *testing.F) {
	f.Add(0, "c-abs", "identity", "name", "Anna", "medical", "text", "x")
	f.Add(3, "c-abs", "medical", "text", "diagnosis", "absence-reason", "text", "pain")
	f.Add(6, "c-other", "religion", "text", "x", "notes", "bsn", "1")
	f.Add(4, "c-abs", "", "", "", "absence-facts", "incapacity-degree", "50")
	principals := []*access.Principal{caseManager, supportStaff, physician, physicianNoMFA, employer, insurer, administrator, subject}
	e := engineFor(f, privacy.Strict())
	f.Fuzz(func(t *testing.T, who int, cid, cat1, f1, v1, cat2, f2, v2 string) {
		p := principals[(who%len(principals)+len(principals))%len(principals)]
		recs := []privacy.Record{
			{ID: "r-1", Case: privacy.CaseID(cid), Category: privacy.Category(cat1), Fields: map[privacy.Field]string{privacy.Field(f1): v1}},
			{ID: "r-2", Case: absenceCase.ID, Category: privacy.Category(cat2), Fields: map[privacy.Field]string{privacy.Field(f2): v2}},
		}
		v, err := e.View(req(p, absenceCase, read, "", ""), recs[:1], recs[1:])
		if err != nil {
			if !errors.Is(err, privacy.ErrInvalid) && !errors.Is(err, privacy.ErrNotFound) {
				t.Fatalf("View = %v: want ErrInvalid or ErrNotFound", err)
			}
			return
		}
		for _, rv := range v.Records {
			i := slices.IndexFunc(recs, func(r privacy.Record) bool { return r.ID == rv.ID })
			for _, fv := range rv.Fields {
				if val, ok := recs[i].Fields[fv.Field]; !ok || val != fv.Value || !rv.Category.HasField(fv.Field) {
					t.Fatalf("View shows %s.%s that the record does not hold", rv.Category, fv.Field)
				}
			}
			if rv.Category == privacy.CategoryMedical && p != physician {
				t.Fatalf("View shows medical data to %s", p.ID)
			}
			if rv.Category.Special() {
				t.Fatalf("View shows a special category")
			}
		}
	})
}

// FuzzVerify builds a valid chain, changes it as the fuzzer says (a field
// of an event, its position, its presence) and checks that Verify, given
// the head as checkpoint, finds every change, never panics, and reports a
// ChainError.
func FuzzVerify(f *testing.F) {
	f.Add(uint8(0), uint8(2), uint8(3), "intruder")
	f.Add(uint8(1), uint8(4), uint8(0), "")
	f.Add(uint8(2), uint8(1), uint8(3), "")
	f.Add(uint8(3), uint8(0), uint8(0), "x")
	f.Add(uint8(4), uint8(5), uint8(5), "y")
	f.Fuzz(func(t *testing.T, op, i, j uint8, s string) {
		const n = 6
		chain := make([]privacy.Event, n)
		var prev privacy.Hash
		for k := range chain {
			chain[k] = privacy.Event{Time: now.Add(time.Duration(k) * time.Second), Principal: "cm-1", Role: privacy.RoleCaseManager,
				Subject: "s-1", Case: "c-abs", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"}.Chain(uint64(k+1), prev)
			prev = chain[k].Hash
		}
		head := access.Checkpoint{Seq: n, Hash: prev}
		orig := slices.Clone(chain)
		a, b := int(i)%n, int(j)%n
		switch op % 6 {
		case 0:
			chain[a].Principal = privacy.PrincipalID(s)
		case 1:
			chain = slices.Delete(chain, a, a+1)
		case 2:
			chain[a], chain[b] = chain[b], chain[a]
		case 3:
			forged := chain[a]
			forged.Object = s
			chain = slices.Insert(chain, a, forged)
		case 4:
			chain[a].Hash[b%32] ^= 1
		case 5:
			chain[a].Time = chain[a].Time.Add(time.Duration(len(s)) * time.Microsecond)
		}
		seq := func(yield func(privacy.Event, error) bool) {
			for _, ev := range chain {
				if !yield(ev, nil) {
					return
				}
			}
		}
		_, err := access.Verify(seq, access.Checkpoint{}, head)
		if slices.Equal(chain, orig) {
			if err != nil {
				t.Fatalf("Verify(untouched chain) = %v", err)
			}
			return
		}
		var ce *access.ChainError
		if !errors.As(err, &ce) || !errors.Is(err, access.ErrTampered) {
			t.Fatalf("Verify(changed chain, op %d at %d/%d) = %v, want a ChainError", op%6, a, b, err)
		}
		if ce.Seq == 0 || ce.Seq > n+1 {
			t.Fatalf("ChainError at %d: out of the chain", ce.Seq)
		}
	})
}

// FuzzGroupRequest feeds group requests and member lists: Validate and
// CheckGroup never panic, refuse with typed errors, and CheckGroup never
// answers a group smaller than the minimum.
func FuzzGroupRequest(f *testing.F) {
	f.Add("employer-1", "absence-rate", "s-1,s-2,s-3", "s-2,s-3", 2)
	f.Add("", "periodic-exam-participation", "", ",,", 10)
	f.Add("e\n", "x", "a b,c", "c", -1)
	f.Fuzz(func(t *testing.T, emp, fig, members, earlier string, min int) {
		r := access.GroupRequest{Principal: employer, Employer: privacy.PartyID(emp), Figure: access.Figure(fig),
			Members: ids(members), From: lastMonth, To: lastMonth.AddDate(0, 1, 0), Time: now}
		if err := r.Validate(); err != nil && !errors.Is(err, privacy.ErrInvalid) {
			t.Fatalf("Validate = %v, want ErrInvalid", err)
		}
		q := union(ids(members))
		err := access.CheckGroup(access.GroupHistory{Groups: [][]privacy.SubjectID{union(ids(earlier))}}, q, min)
		if err == nil && len(q) < min {
			t.Fatalf("CheckGroup answered %d members, min %d", len(q), min)
		}
		if err != nil && (!errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.N12) {
			t.Fatalf("CheckGroup = %v, want forbidden by N12", err)
		}
	})
}

func ids(s string) []privacy.SubjectID {
	var out []privacy.SubjectID
	for _, x := range strings.Split(s, ",") {
		if x != "" {
			out = append(out, privacy.SubjectID(x))
		}
	}
	return out
}

// FuzzVerifySubject feeds VerifySubject (rules G7, N9, R11) a subject's
// keyed chain changed in one of seven ways, with the head and key it was
// exported with: it never panics, accepts the untouched chain, and refuses
// every changed one with ErrTampered and a ChainError inside the chain —
// also when the export claims its links are not keyed.
func FuzzVerifySubject(f *testing.F) {
	f.Add(uint8(0), uint8(2), uint8(3), "intruder", false)
	f.Add(uint8(1), uint8(4), uint8(0), "", true)
	f.Add(uint8(2), uint8(1), uint8(3), "", false)
	f.Add(uint8(5), uint8(0), uint8(0), "x", true)
	f.Add(uint8(6), uint8(5), uint8(5), "s-2", false)
	key := []byte("fuzz key")
	f.Fuzz(func(t *testing.T, op, i, j uint8, s string, claimUnkeyed bool) {
		const n = 6
		chain := make([]privacy.Event, n)
		var prev privacy.Hash
		for k := range chain {
			chain[k] = privacy.Event{Time: now.Add(time.Duration(k) * time.Second), Principal: "cm-1", Role: privacy.RoleCaseManager,
				Subject: "s-1", Case: "c-abs", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7,
				Policy: "1.0.0"}.ChainKeyed(key, uint64(k+1), prev)
			prev = chain[k].Hash
		}
		c := access.SubjectChain{Subject: "s-1", Head: access.Checkpoint{Seq: n, Hash: prev}, Keyed: !claimUnkeyed}
		orig := slices.Clone(chain)
		a, b := int(i)%n, int(j)%n
		switch op % 7 {
		case 0:
			chain[a].Principal = privacy.PrincipalID(s)
		case 1:
			chain = slices.Delete(chain, a, a+1)
		case 2:
			chain[a], chain[b] = chain[b], chain[a]
		case 3:
			forged := chain[a]
			forged.Object = s
			chain = slices.Insert(chain, a, forged)
		case 4:
			chain[a].Hash[b%32] ^= 1
		case 5:
			// Edited and rehashed without the key, from there on.
			chain[a].Object = s + "!"
			for k := a; k < len(chain); k++ {
				if k > 0 {
					chain[k].Prev = chain[k-1].Hash
				}
				chain[k] = chain[k].Chain(chain[k].Seq, chain[k].Prev)
			}
			c.Head = access.Checkpoint{Seq: n, Hash: chain[n-1].Hash}
		case 6:
			chain[a].Subject = privacy.SubjectID(s)
		}
		seq := func(yield func(privacy.Event, error) bool) {
			for _, ev := range chain {
				if !yield(ev, nil) {
					return
				}
			}
		}
		_, err := access.VerifySubject(seq, c, key, access.Checkpoint{})
		if slices.Equal(chain, orig) {
			if err != nil {
				t.Fatalf("VerifySubject(untouched chain) = %v", err)
			}
			return
		}
		var ce *access.ChainError
		if !errors.As(err, &ce) || !errors.Is(err, access.ErrTampered) {
			t.Fatalf("VerifySubject(changed chain, op %d at %d/%d) = %v, want a ChainError", op%7, a, b, err)
		}
	})
}
