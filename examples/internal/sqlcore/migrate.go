package sqlcore

import (
	"context"
	"fmt"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Migration is how an adapter's migrations run: the statements of its
// bookkeeping table, schema_migrations, and how it runs a migration's SQL
// (a file of several statements).
type Migration struct {
	// Version (: count, highest version) reads the bookkeeping.
	Version string
	// Record (version, name) records a migration applied.
	Record string
	// Run runs the SQL of a migration inside tx.
	Run func(ctx context.Context, tx Conn, sql string) error
}

// Migrate applies the migrations of ms that the schema lacks, in order,
// inside tx, and records each. The dialect's transaction, and its lock
// where stores may migrate at once, makes them all or none. A schema with
// gaps in its bookkeeping, or newer than ms, fails with
// privacy.ErrConflict.
func Migrate(ctx context.Context, tx Conn, op string, m Migration, ms []sqladapter.Migration) error {
	var v, top int
	if err := tx.QueryRow(ctx, m.Version).Scan(&v, &top); err != nil {
		return err
	}
	if v > len(ms) {
		return NewerSchema(op, top, ms[len(ms)-1].Version)
	}
	if v > 0 && ms[v-1].Version != top {
		return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "schema_migrations differs from the adapter's migrations"}
	}
	for _, mg := range ms[v:] {
		if err := m.Run(ctx, tx, mg.SQL); err != nil {
			return fmt.Errorf("migration %d %s: %w", mg.Version, mg.Name, err)
		}
		if _, err := tx.Exec(ctx, m.Record, mg.Version, mg.Name); err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion returns the schema's version as query (: count, highest
// version) reads it from the bookkeeping: the number of migrations
// applied, 0 before the first. Versions may have gaps (Migrate checks the
// highest against the adapter's migrations).
func SchemaVersion(ctx context.Context, db Conn, op, query string) (int, error) {
	var n, top int
	if err := db.QueryRow(ctx, query).Scan(&n, &top); err != nil {
		return 0, err
	}
	if n > top {
		return 0, &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "schema_migrations is damaged"}
	}
	return n, nil
}

// NewerSchema is the refusal of a schema at version have, newer than the
// adapter's want.
func NewerSchema(op string, have, want int) error {
	return &privacy.Error{Op: op, Kind: privacy.ErrConflict,
		Msg: fmt.Sprintf("the schema is at version %d, newer than this adapter's %d", have, want)}
}
