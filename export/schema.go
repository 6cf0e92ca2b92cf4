package export

import (
	_ "embed"
	"slices"
)

//go:embed export.schema.json
var exportSchema []byte

// JSONSchema returns the JSON form of the export, schema [Schema], as a
// JSON Schema (draft 2020-12) document: every member, which are required,
// the enumerations (categories, kinds, roles, rules …), the fields each
// category allows in a record's "fields", and lists as arrays, [] when
// empty. Every export a [Writer] and [Document.Encode] write validates
// against it. The slice is new on every call.
func JSONSchema() []byte { return slices.Clone(exportSchema) }
