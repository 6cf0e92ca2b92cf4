package seal

import (
	"errors"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// FuzzDecode feeds the decoder of sealed values (outside input: whatever
// the database holds) anything: it never panics, fails only with
// ErrTampered, and what it accepts opens under a key only if it was
// sealed for that place under that key.
func FuzzDecode(f *testing.F) {
	k, err := newDEK(keyID{1, 2, 3, 4, 5, 6, 7, 8}, make([]byte, dekLen))
	if err != nil {
		f.Fatal(err)
	}
	p := place{subject: "s-1", file: fileRecord, object: "r-1", field: "text"}
	good, err := k.seal(p, "a note")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, good[:len(good)-1], prefix, prefix + "!!!", "plain", "", prefix + strings.Repeat("A", 48),
		good[:len(prefix)+10] + "=" + good[len(prefix)+11:]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s, err := decode(v)
		if err != nil {
			if !errors.Is(err, ErrTampered) || !errors.Is(err, privacy.ErrInvalid) {
				t.Fatalf("decode(%q) = %v, want ErrTampered", v, err)
			}
			return
		}
		if !IsSealed(v) || len(s.nonce) != nonceLen || len(s.box) < tagLen {
			t.Fatalf("decode(%q) accepted a malformed value: %+v", v, s)
		}
		pt, err := k.open(p, s)
		if err != nil {
			if !errors.Is(err, ErrTampered) {
				t.Fatalf("open(%q) = %v, want ErrTampered", v, err)
			}
			return
		}
		if v != good && pt != "a note" {
			t.Fatalf("open(%q) = %q: a forged value opened", v, pt)
		}
		// The same value opens nowhere else.
		if _, err := k.open(place{subject: "s-2", file: fileRecord, object: "r-1", field: "text"}, mustDecode(t, v)); err == nil {
			t.Fatalf("%q opened for another subject", v)
		}
	})
}

func mustDecode(t *testing.T, v string) sealed {
	s, err := decode(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpenRoundTrip(t *testing.T) {
	// Property: every value, of any length and bytes, opens as it was
	// sealed, in its place only.
	k, _ := newDEK(keyID{9}, make([]byte, dekLen))
	for _, v := range []string{"", "x", "Anna de Vries", strings.Repeat("ä€", 1000), "\x00\xff", strings.Repeat("a", 1<<20)} {
		for _, p := range []place{{subject: "s-1", file: fileRecord, object: "r-1", field: "text"}, {subject: "s-1", file: fileMedical, object: "r-1", field: "text"}} {
			sv, err := k.seal(p, v)
			if err != nil {
				t.Fatal(err)
			}
			if len(v) > 3 && strings.Contains(sv, v) {
				t.Fatalf("sealed value holds the clear text")
			}
			s, err := decode(sv)
			if err != nil {
				t.Fatal(err)
			}
			got, err := k.open(p, s)
			if err != nil || got != v {
				t.Fatalf("open = %.20q, %v; want %.20q", got, err, v)
			}
			other := p
			other.file = fileRequest
			if _, err := k.open(other, mustDecode(t, sv)); !errors.Is(err, ErrTampered) {
				t.Fatalf("a value of one file opened in the other: %v", err)
			}
		}
	}
}
