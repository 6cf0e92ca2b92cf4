// Package sqlcore is the body of the SQL adapters of the examples
// (sqlitestore and pgstore), written once: privacy.Store with its medical
// file, the hash-chained audit trail, retention.Store and
// retention.BatchStore, consent.Store and access.Store. [Store] runs every
// operation of them over a [Dialect], the part of an adapter that differs
// where SQL does.
//
// The core does what both adapters do alike:
//
//   - it checks every value before a statement runs (with package
//     sqladapter) and refuses a write without its audit events (rules O1,
//     G7);
//   - it stages rows: the library's values as statement parameters, in
//     the column order of [CaseColumns], [RecordColumns], [EventColumns]
//     and the others, and scans rows back into the library's types;
//   - it holds the statements both dialects run alike but for table names
//     and parameters ([SQLSubject] and the others, [SQLFile]), which each
//     dialect renders;
//   - it runs each operation's steps in one transaction of the dialect's:
//     the reads a write decides on, the checks of the standing legal holds
//     (rule G3) and of a closed case (rule R4), the statements, the audit
//     events;
//   - it chains audit events after the trail's last one ([Store.Chained],
//     rule G7) and pages through the trail;
//   - it runs a retention sweep's batch: the checks of every item, the
//     refusals in the contract's order ([Refusal]) and the audit events of
//     what was erased;
//   - it maps the drivers' errors onto the library's kinds ([Fail]).
//
// A dialect gives it:
//
//   - its statements ([Queries]), rendered from the core's or its own:
//     placeholders ("?" or "$n"), schema names, lists (JSON arrays or
//     PostgreSQL arrays), and the locks of a database with concurrent
//     writers (FOR UPDATE, FOR SHARE, the SECURITY DEFINER functions of
//     PostgreSQL's roles) where a database with one writer, which needs
//     none, reads the same rows;
//   - its transactions (one writer, or READ COMMITTED with row locks) and
//     where a read goes (a reader connection, the primary or a replica);
//   - the values whose column types differ ([Codec]): times, lists, JSON;
//   - the steps whose SQL differs: a batch of records (one INSERT a row,
//     or one INSERT of column arrays), appended audit events (one INSERT a
//     row, an INSERT of arrays, COPY, or PostgreSQL's append_events), and
//     the deletions and proofs of a sweep's batch (one item at a time
//     under one writer, or one statement per file under row locks).
//
// Migrations stay with each adapter (embedded files of its own dialect);
// [Migrate] is the Go code that applies them.
//
// The package is internal: the adapters are what users import. It stands
// on package sqladapter (the checks and encodings of single values, which
// the adapters' rights stores use as well) and on the library's store
// contracts, and imports no driver.
package sqlcore
