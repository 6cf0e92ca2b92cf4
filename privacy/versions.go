package privacy

import (
	"cmp"
	"slices"
	"time"
)

// Versions is the dated history of one policy (rule O16: changes are
// allowed and dated). It answers which version was in force at a time, so
// that a decision about the past is made, and explained, under the policy
// of its day.
type Versions struct {
	list []*Policy // sorted by Effective
}

// NewVersions returns the history made of the given versions. They must
// share a name, validate, and have distinct versions and effective times.
func NewVersions(ps ...*Policy) (*Versions, error) {
	const op = "new versions"
	if len(ps) == 0 {
		return nil, &Error{Op: op, Kind: ErrInvalid, Rule: O16, Msg: "no versions"}
	}
	list := make([]*Policy, 0, len(ps))
	for _, p := range ps {
		if p == nil {
			return nil, &Error{Op: op, Kind: ErrInvalid, Msg: "nil policy"}
		}
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if p.Name != ps[0].Name {
			return nil, &Error{Op: op, Kind: ErrInvalid, Rule: O16, Path: "name", Msg: "versions of different policies"}
		}
		list = append(list, p.Clone())
	}
	slices.SortFunc(list, func(a, b *Policy) int { return a.Effective.Compare(b.Effective) })
	for i := 1; i < len(list); i++ {
		if list[i].Effective.Equal(list[i-1].Effective) || list[i].Version == list[i-1].Version {
			return nil, &Error{Op: op, Kind: ErrInvalid, Rule: O16, Path: "effective",
				Msg: "two versions share a version or an effective time"}
		}
	}
	return &Versions{list: list}, nil
}

// At returns a copy of the version in force at t: the latest whose
// Effective is not after t. Before the first version there is none, and At
// fails with [ErrNotFound].
func (v *Versions) At(t time.Time) (*Policy, error) {
	i, found := slices.BinarySearchFunc(v.list, t, func(p *Policy, t time.Time) int {
		return cmp.Compare(p.Effective.UnixNano(), t.UnixNano())
	})
	if found {
		return v.list[i].Clone(), nil
	}
	if i == 0 {
		return nil, &Error{Op: "policy at", Kind: ErrNotFound, Rule: O16, Msg: "no version in force yet"}
	}
	return v.list[i-1].Clone(), nil
}

// All returns copies of every version, oldest first.
func (v *Versions) All() []*Policy {
	out := make([]*Policy, len(v.list))
	for i, p := range v.list {
		out[i] = p.Clone()
	}
	return out
}
