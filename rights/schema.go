package rights

import (
	_ "embed"
	"slices"
)

//go:embed export.schema.json
var exportSchema []byte

// ExportSchema returns the JSON form of the export, schema [Schema], as a
// JSON Schema (draft 2020-12) document: every member, which are required,
// the enumerations (categories, kinds, roles, rules …), the fields each
// category allows in a record's "fields", and lists as arrays, [] when
// empty. Every export [Desk.Export] and [Export.Encode] write validates
// against it. The slice is new on every call.
func ExportSchema() []byte { return slices.Clone(exportSchema) }
