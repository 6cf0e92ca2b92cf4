// Package kitdiff is what the conformance kits share to compare whole
// values: [Diff], cmp.Diff with the options a store's round trip needs, so
// that a field an adapter drops or changes fails the kit, and [Unset], which
// lets a kit check that its fixture sets every field, so that a field added
// to a type is compared from the day it is added.
package kitdiff

import (
	"reflect"

	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Diff returns the difference between want and got, "" when they are
// equal, in cmp's "-want +got" form. Times are compared with
// time.Time.Equal (cmp uses a type's Equal method), calendar dates with ==,
// and an empty slice or map equals a nil one: a database keeps no
// difference between them.
func Diff(want, got any) string {
	return cmp.Diff(want, got, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b calendar.Date) bool { return a == b }))
}

// Unset returns the names of the exported fields of the struct v that hold
// their zero value, leaving out those named in except. A kit calls it on a
// round trip's input: a field it leaves unset is a field no adapter is
// checked on.
func Unset(v any, except ...string) []string {
	rv := reflect.ValueOf(v)
	var out []string
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		if !f.IsExported() || !rv.Field(i).IsZero() {
			continue
		}
		skip := false
		for _, e := range except {
			skip = skip || e == f.Name
		}
		if !skip {
			out = append(out, f.Name)
		}
	}
	return out
}
