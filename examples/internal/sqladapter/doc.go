// Package sqladapter holds the value-level part of what the SQL adapters
// of the examples (sqlitestore and pgstore) share, so that both keep and
// check data alike; their operations, written once over a dialect, are
// package sqlcore, which stands on this one:
//
//   - the encoding of a record's fields into one opaque column
//     ([EncodeFields], [DecodeFields]), exact for any bytes;
//   - the checks a value passes before it reaches SQL ([CheckSubject],
//     [CheckCase], [CheckRecord], [CheckEvent]): IDs are well formed, text is
//     UTF-8 without NUL bytes, times lie in years 1 to 9999, so that the same
//     data is accepted by both databases and bad input fails with
//     privacy.ErrInvalid before any statement runs;
//   - the row-write counter behind fault injection ([Faults]);
//   - what a direct deletion asks of the legal holds, and its refusal
//     ([CaseHolds], [Held]; rule G3);
//   - versioned migrations read from embedded files ([Migrations]).
//
// It is internal: the adapters are what users import.
package sqladapter
