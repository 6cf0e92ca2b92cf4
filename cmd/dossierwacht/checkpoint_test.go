package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseCheckpoint: a checkpoint as verify prints it reads back; a
// malformed one is refused.
func TestParseCheckpoint(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	cp, err := parseCheckpoint("130:" + hash)
	if err != nil || cp.Seq != 130 || cp.Hash.String() != hash {
		t.Fatalf("parseCheckpoint: %v, %v", cp, err)
	}
	for _, bad := range []string{"", "130", ":" + hash, "0:" + hash, "-1:" + hash, "1:" + hash[2:], "1:" + hash + "00",
		"1:" + strings.Repeat("zz", 32), "18446744073709551616:" + hash, "1 :" + hash} {
		if _, err := parseCheckpoint(bad); err == nil {
			t.Errorf("parseCheckpoint(%q) accepted", bad)
		}
	}
}

// FuzzParseCheckpoint: any text from the command line is read or refused,
// never panics, and what is read prints back as it came.
func FuzzParseCheckpoint(f *testing.F) {
	f.Add("130:" + strings.Repeat("ab", 32))
	f.Add("1:")
	f.Add("x:y:z")
	f.Fuzz(func(t *testing.T, s string) {
		cp, err := parseCheckpoint(s)
		if err != nil {
			return
		}
		// Leading zeros of the number and upper-case hex digits are the
		// only liberties taken.
		seq, hash, _ := strings.Cut(s, ":")
		if strings.TrimLeft(seq, "0") != fmt.Sprint(cp.Seq) || !strings.EqualFold(hash, cp.Hash.String()) {
			t.Errorf("parseCheckpoint(%q) = %d:%s", s, cp.Seq, cp.Hash)
		}
		if back, err := parseCheckpoint(fmt.Sprintf("%d:%s", cp.Seq, cp.Hash)); err != nil || back != cp {
			t.Errorf("%d:%s does not read back: %v, %v", cp.Seq, cp.Hash, back, err)
		}
	})
}
