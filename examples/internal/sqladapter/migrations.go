package sqladapter

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// Migration is one step of a schema: version n is applied after n-1.
type Migration struct {
	Version int
	Name    string // from the file name: "0002_audit.sql" is "audit"
	SQL     string
}

// Migrations reads the migrations in dir of fsys: files named
// NNNN_name.sql, numbered from 0001 without gaps, in order. An adapter
// embeds its migrations directory and adds a store by adding a file.
func Migrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 || rest == "" {
			return nil, fmt.Errorf("migration %s: want NNNN_name.sql", name)
		}
		// Versions ascend; a gap is allowed, so that helpers working
		// apart can take numbers of their own (0050…, 0060…). A schema
		// records how many it has applied and the highest.
		if len(out) > 0 && v <= out[len(out)-1].Version || v < 1 {
			return nil, fmt.Errorf("migration %s: want a version after %d", name, len(out))
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no migrations in %s", dir)
	}
	return out, nil
}
