package access_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// people returns subjects p-from … p-(to-1), sorted.
func people(from, to int) []privacy.SubjectID {
	var out []privacy.SubjectID
	for i := from; i < to; i++ {
		out = append(out, privacy.SubjectID(fmt.Sprintf("p-%03d", i)))
	}
	slices.Sort(out)
	return out
}

func union(gs ...[]privacy.SubjectID) []privacy.SubjectID {
	out := slices.Concat(gs...)
	slices.Sort(out)
	return slices.Compact(out)
}

func TestCheckGroup(t *testing.T) {
	const min = 10
	x, y, p := people(0, 10), people(10, 20), people(99, 100)
	for _, tc := range []struct {
		name    string
		history [][]privacy.SubjectID
		query   []privacy.SubjectID
		ok      bool
	}{
		{"N12_group_of_minimum_answered", nil, x, true},
		{"N12_group_below_minimum_suppressed", nil, people(0, 9), false},
		{"N12_same_group_again_answered", [][]privacy.SubjectID{x}, x, true},
		{"N12_disjoint_groups_answered", [][]privacy.SubjectID{x}, y, true},
		{"N12_union_of_answered_groups_answered", [][]privacy.SubjectID{x, y}, union(x, y), true},
		{"N12_difference_attack_one_more_refused", [][]privacy.SubjectID{x}, union(x, p), false},
		{"N12_difference_attack_one_less_refused", [][]privacy.SubjectID{union(x, p)}, x, false},
		{"N12_overlap_below_minimum_refused", [][]privacy.SubjectID{x}, union(people(5, 10), people(10, 20)), false},
		{"N12_overlap_and_remainders_large_answered", [][]privacy.SubjectID{people(0, 20)}, people(10, 30), true},
		// Pairwise differences are all at least the minimum, yet
		// A + C - B = 2p: the second group already splits off p.
		{"N12_three_group_attack_refused", [][]privacy.SubjectID{union(x, p)}, union(x, y), false},
		{"N12_three_group_attack_third_refused", [][]privacy.SubjectID{union(x, p), union(x, y)}, union(y, p), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := access.CheckGroup(access.GroupHistory{Groups: tc.history}, tc.query, min)
			if (err == nil) != tc.ok {
				t.Fatalf("CheckGroup(%d earlier, %d members) = %v, want ok %t", len(tc.history), len(tc.query), err, tc.ok)
			}
			if err != nil && (!errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.N12) {
				t.Errorf("CheckGroup = %v, want forbidden by N12", err)
			}
		})
	}
}

// TestCheckGroupProperty answers random groups for a random employer and
// checks the invariant the rule stands on: every set of people the answered
// groups can tell apart (a cell: the people in exactly the same answered
// groups) has at least the minimum, so that no sum or difference of answers
// says anything about fewer people. It also checks, by brute force over
// every signed combination of up to three answers, that none isolates a
// set smaller than the minimum.
func TestCheckGroupProperty(t *testing.T) {
	const min = 4
	rng := rand.New(rand.NewPCG(12, 7))
	for round := range 200 {
		var h access.GroupHistory
		pop := 10 + rng.IntN(30)
		for range 12 {
			var q []privacy.SubjectID
			switch rng.IntN(3) {
			case 0: // a random subset
				for i := range pop {
					if rng.IntN(2) == 0 {
						q = append(q, privacy.SubjectID(fmt.Sprintf("p-%03d", i)))
					}
				}
			case 1: // an earlier group plus or minus a few
				if len(h.Groups) > 0 {
					q = slices.Clone(h.Groups[rng.IntN(len(h.Groups))])
					for range 1 + rng.IntN(2) {
						q = append(q, privacy.SubjectID(fmt.Sprintf("p-%03d", rng.IntN(pop))))
					}
					if rng.IntN(2) == 0 && len(q) > 2 {
						q = q[1:]
					}
				}
			default: // a range
				a := rng.IntN(pop)
				q = people(a, a+rng.IntN(pop-a)+1)
			}
			q = union(q)
			if access.CheckGroup(h, q, min) == nil {
				h.Groups = append(h.Groups, q)
				h.Version++
			}
		}
		// Cells: people by the answered groups they are in.
		cells := map[string]int{}
		for i := range pop {
			s := privacy.SubjectID(fmt.Sprintf("p-%03d", i))
			key := ""
			for _, g := range h.Groups {
				if _, ok := slices.BinarySearch(g, s); ok {
					key += "1"
				} else {
					key += "0"
				}
			}
			if key != "" && key != zeros(len(h.Groups)) {
				cells[key]++
			}
		}
		for key, n := range cells {
			if n < min {
				t.Fatalf("round %d: a cell %s of %d people (min %d) after %d answered groups", round, key, n, min, len(h.Groups))
			}
		}
		// No signed combination of up to three answers has a support
		// smaller than the minimum but larger than zero.
		gs := h.Groups
		for i := range gs {
			for j := range gs {
				for k := range gs {
					for _, sj := range []int{0, 1, -1} {
						for _, sk := range []int{0, 1, -1} {
							if support(pop, []int{1, sj, sk}, gs[i], gs[j], gs[k]) > 0 &&
								support(pop, []int{1, sj, sk}, gs[i], gs[j], gs[k]) < min {
								t.Fatalf("round %d: groups %d %+d·%d %+d·%d single out fewer than %d", round, i, sj, j, sk, k, min)
							}
						}
					}
				}
			}
		}
	}
}

func zeros(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

// support counts the people whose coefficient in the signed sum of groups
// is not zero.
func support(pop int, signs []int, gs ...[]privacy.SubjectID) int {
	n := 0
	for i := range pop {
		s := privacy.SubjectID(fmt.Sprintf("p-%03d", i))
		c := 0
		for gi, g := range gs {
			if _, ok := slices.BinarySearch(g, s); ok {
				c += signs[gi]
			}
		}
		if c != 0 {
			n++
		}
	}
	return n
}
