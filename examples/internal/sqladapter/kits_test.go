package sqladapter

import (
	"errors"
	"slices"
	"testing"
	"testing/quick"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/stretchr/testify/require"
)

func TestStringsRoundTrip(t *testing.T) {
	roundTrip := func(in []string) bool {
		for _, s := range in {
			if CheckText("op", "x", s) != nil {
				return true // refused before it reaches SQL
			}
		}
		out, err := DecodeStrings[privacy.Category](EncodeStrings(Named[privacy.Category](in)))
		return err == nil && slices.Equal(Strings(out), Strings(Named[privacy.Category](in)))
	}
	if err := quick.Check(roundTrip, &quick.Config{MaxCount: 2000}); err != nil {
		t.Error(err)
	}
	if got := EncodeStrings[consent.GrantID](nil); got != "[]" {
		t.Errorf("EncodeStrings(nil) = %s, want []", got)
	}
	if got, err := DecodeStrings[consent.GrantID]("[]"); got != nil || err != nil {
		t.Errorf("DecodeStrings([]) = %v, %v; want nil", got, err)
	}
	if got := Strings[consent.GrantID](nil); got == nil || len(got) != 0 {
		t.Errorf("Strings(nil) = %#v, want an empty, non-nil list (a text[] parameter of {})", got)
	}
}

func TestDecodeDamaged(t *testing.T) {
	for _, b := range []string{"", "{", `{"a":1}`, `[1]`, `"x"`} {
		if _, err := DecodeStrings[privacy.Category](b); !errors.Is(err, privacy.ErrUnavailable) {
			t.Errorf("DecodeStrings(%q) = %v, want ErrUnavailable", b, err)
		}
		if _, err := DecodeItems([]byte(b)); !errors.Is(err, privacy.ErrUnavailable) {
			t.Errorf("DecodeItems(%q) = %v, want ErrUnavailable", b, err)
		}
		if _, err := DecodeHistory([]byte(b)); !errors.Is(err, privacy.ErrUnavailable) {
			t.Errorf("DecodeHistory(%q) = %v, want ErrUnavailable", b, err)
		}
	}
	for _, s := range []string{"2026-13-01", "x", "10000-01-01"} {
		if _, err := ParseDateText(s); !errors.Is(err, privacy.ErrUnavailable) {
			t.Errorf("ParseDateText(%q) = %v, want ErrUnavailable", s, err)
		}
	}
	if d, err := ParseDateText(""); err != nil || !d.IsZero() {
		t.Errorf("ParseDateText(\"\") = %v, %v; want the zero date", d, err)
	}
}

// FuzzDecodeHistory: stored bytes that do not decode are an error matching
// privacy.ErrUnavailable, never a panic; a history that decodes encodes
// and decodes to itself.
func FuzzDecodeHistory(f *testing.F) {
	due, _ := calendar.NewDate(2026, time.March, 30)
	b, _ := EncodeHistory("op", []rights.Step{{Kind: rights.StepFiled, At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		Reason: "x", Due: due, Outcome: &rights.Outcome{Erased: []privacy.RecordID{"r-1"}}}})
	f.Add(b)
	f.Add([]byte(`[{"due":"10000-01-01"}]`))
	f.Add([]byte(`[{"at":"not a time"}]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := DecodeHistory(b)
		if err != nil {
			if !errors.Is(err, privacy.ErrUnavailable) {
				t.Fatalf("DecodeHistory = %v, want ErrUnavailable", err)
			}
			return
		}
		again, err := EncodeHistory("op", h)
		if err != nil {
			return // e.g. a time JSON cannot write back; refused as ErrInvalid
		}
		h2, err := DecodeHistory(again)
		if err != nil {
			t.Fatalf("DecodeHistory(re-encoded) = %v", err)
		}
		if d := kitdiff.Diff(h, h2); d != "" {
			t.Fatalf("re-encoding changed the history (-decoded +re-encoded):\n%s", d)
		}
	})
}

// FuzzDecodeItems: as FuzzDecodeHistory, for a disclosure's items.
func FuzzDecodeItems(f *testing.F) {
	b, _ := EncodeItems("op", []consent.Item{{Category: privacy.CategoryNotes, Record: "r-1", Fields: []privacy.Field{"text"}}})
	f.Add(b)
	f.Add([]byte(`[{"fields":"x"}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		items, err := DecodeItems(b)
		if err != nil {
			if !errors.Is(err, privacy.ErrUnavailable) {
				t.Fatalf("DecodeItems = %v, want ErrUnavailable", err)
			}
			return
		}
		again, err := EncodeItems("op", items)
		require.NoError(t, err, "EncodeItems(decoded)")
		back, err := DecodeItems(again)
		if err != nil {
			t.Fatalf("DecodeItems(re-encoded) = %v", err)
		}
		if d := kitdiff.Diff(items, back); d != "" {
			t.Fatalf("re-encoding changed the items (-decoded +re-encoded):\n%s", d)
		}
	})
}

func TestKitChecks(t *testing.T) {
	late, _ := calendar.NewDate(9999, time.December, 31)
	g := consent.Grant{ID: "g-1", Subject: "s-1", Given: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	r := rights.Request{ID: "req-1", Subject: "s-1", History: []rights.Step{{Reason: "ok"}}}
	for _, tc := range []struct {
		name string
		err  error
		ok   bool
	}{
		{"grant", CheckGrant("op", g), true},
		{"grant with a bad category", CheckGrant("op", func() consent.Grant { g := g; g.Categories = []privacy.Category{"\x00"}; return g }()), false},
		{"grant in year 10000", CheckGrant("op", func() consent.Grant { g := g; g.Revoked = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC); return g }()), false},
		{"disclosure", CheckDisclosure("op", consent.Disclosure{ID: "d-1", Subject: "s-1"}), true},
		{"disclosure with a bad record", CheckDisclosure("op", consent.Disclosure{ID: "d-1", Subject: "s-1",
			Items: []consent.Item{{Record: "\xff"}}}), false},
		{"request", CheckRequest("op", r), true},
		{"request due on 9999-12-31", CheckRequest("op", func() rights.Request { r := r; r.Due.Date = late; return r }()), true},
		{"request due in 10000", CheckRequest("op", func() rights.Request { r := r; r.Due.Date = late.AddDays(1); return r }()), false},
		{"request with a bad policy", CheckRequest("op", func() rights.Request { r := r; r.Policy = "\xff"; return r }()), false},
	} {
		if (tc.err == nil) != tc.ok || (tc.err != nil && !errors.Is(tc.err, privacy.ErrInvalid)) {
			t.Errorf("%s: %v, want ok %t or ErrInvalid", tc.name, tc.err, tc.ok)
		}
	}
}
