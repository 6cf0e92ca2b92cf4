package privacy_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestEventChain checks the hash chain of the audit trail (rules G7, N9):
// every field is covered by the hash, and each event links to the one
// before it.
func TestEventChain(t *testing.T) {
	base := privacy.Event{Time: t0, Principal: "p-1", Role: privacy.RoleCaseManager, OnBehalfOf: "employer-1",
		Purpose: privacy.PurposeAbsenceGuidance, Subject: "s-1", Case: "c-1", Category: privacy.CategoryNotes,
		Object: "r-1", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7,
		Policy: "1.0.0", AccessPoint: "10.0.0.1", Client: "hr-app"}
	first := base.Chain(1, privacy.Hash{})
	if first.Seq != 1 || first.Hash != first.ComputeHash() || first.Hash == (privacy.Hash{}) {
		t.Fatalf("G7: Chain(1) = %+v", first)
	}
	second := base.Chain(2, first.Hash)
	if second.Prev != first.Hash || second.Hash == first.Hash {
		t.Errorf("G7: the second event does not link to the first")
	}
	for name, mutate := range map[string]func(*privacy.Event){
		"time":         func(e *privacy.Event) { e.Time = e.Time.Add(time.Microsecond) },
		"principal":    func(e *privacy.Event) { e.Principal = "p-2" },
		"role":         func(e *privacy.Event) { e.Role = privacy.RolePhysician },
		"on_behalf_of": func(e *privacy.Event) { e.OnBehalfOf = "employer-2" },
		"purpose":      func(e *privacy.Event) { e.Purpose = privacy.PurposeReintegration },
		"subject":      func(e *privacy.Event) { e.Subject = "s-2" },
		"case":         func(e *privacy.Event) { e.Case = "c-2" },
		"category":     func(e *privacy.Event) { e.Category = privacy.CategoryMedical },
		"object":       func(e *privacy.Event) { e.Object = "r-2" },
		"action":       func(e *privacy.Event) { e.Action = privacy.EventUpdate },
		"outcome":      func(e *privacy.Event) { e.Outcome = privacy.OutcomeDenied },
		"rule":         func(e *privacy.Event) { e.Rule = privacy.O4 },
		"policy":       func(e *privacy.Event) { e.Policy = "2.0.0" },
		"access_point": func(e *privacy.Event) { e.AccessPoint = "10.0.0.2" },
		"client":       func(e *privacy.Event) { e.Client = "other-app" },
		"seq":          func(e *privacy.Event) { e.Seq = 3 },
		"prev":         func(e *privacy.Event) { e.Prev[0] ^= 1 },
		// Moving bytes from one field to the next must not collide.
		"boundary": func(e *privacy.Event) { e.Principal, e.Role = "p-1c", "ase-manager" },
	} {
		e := second
		mutate(&e)
		if e.ComputeHash() == second.Hash {
			t.Errorf("G7: changing %s leaves the hash as it was", name)
		}
	}
}

func TestHashText(t *testing.T) {
	e := privacy.Event{Time: t0, Principal: "p-1", Action: privacy.EventRead}.Chain(1, privacy.Hash{})
	b, err := e.Hash.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var h privacy.Hash
	if err := h.UnmarshalText(b); err != nil || h != e.Hash {
		t.Errorf("round trip: %v, %v", h, err)
	}
	for _, bad := range []string{"", "00", string(b[:63]) + "g", string(b) + "0"} {
		if err := h.UnmarshalText([]byte(bad)); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("UnmarshalText(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func FuzzHashText(f *testing.F) {
	f.Add([]byte("0000000000000000000000000000000000000000000000000000000000000000"))
	f.Add([]byte("zz"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var h privacy.Hash
		if err := h.UnmarshalText(data); err != nil {
			if !errors.Is(err, privacy.ErrInvalid) {
				t.Fatalf("UnmarshalText error %v is not ErrInvalid", err)
			}
			return
		}
		out, _ := h.MarshalText()
		var g privacy.Hash
		if err := g.UnmarshalText(out); err != nil || g != h {
			t.Fatalf("round trip of %q failed", data)
		}
	})
}

// TestChainKeyedG7: a keyed link differs from the unkeyed one and from
// another key's, and an anchor's signature holds only under its key and
// for its own chain, number and hash.
func TestChainKeyedG7(t *testing.T) {
	e := privacy.Event{Principal: "p-1", Subject: "s-1", Action: privacy.EventRead}
	plain, k1, k2 := e.Chain(1, privacy.Hash{}), e.ChainKeyed([]byte("k1"), 1, privacy.Hash{}), e.ChainKeyed([]byte("k2"), 1, privacy.Hash{})
	if plain.Hash == k1.Hash || k1.Hash == k2.Hash || k1.ComputeHashKeyed([]byte("k1")) != k1.Hash ||
		e.ChainKeyed(nil, 1, privacy.Hash{}).Hash != plain.Hash {
		t.Errorf("keyed links: plain %s, k1 %s, k2 %s", plain.Hash, k1.Hash, k2.Hash)
	}
	a := privacy.Anchor{Subject: "s-1", Seq: 4, Hash: k1.Hash}.Sign([]byte("k1"))
	if !a.Valid([]byte("k1")) || a.Valid([]byte("k2")) || a.Valid(nil) {
		t.Errorf("anchor valid under the wrong key")
	}
	for name, b := range map[string]privacy.Anchor{
		"chain": {Subject: "s-2", Seq: a.Seq, Hash: a.Hash, MAC: a.MAC},
		"seq":   {Subject: a.Subject, Seq: 5, Hash: a.Hash, MAC: a.MAC},
		"hash":  {Subject: a.Subject, Seq: a.Seq, Hash: plain.Hash, MAC: a.MAC},
	} {
		if b.Valid([]byte("k1")) {
			t.Errorf("an anchor of another %s carries the signature", name)
		}
	}
}
