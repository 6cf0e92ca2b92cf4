package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestThinLayer keeps the walkthrough a thin layer over the front door
// (rule O1: every processing through the policy): none of its files builds
// or names the engines below the Service, so every step is a verb of the
// Service with its actor.
func TestThinLayer(t *testing.T) {
	engines := map[string]bool{
		"privacy.NewDossiers": true, "privacy.Dossiers": true,
		"access.New": true, "access.Guard": true, "access.NewEngine": true, "access.Engine": true, "access.Verify": true,
		"consent.New": true, "consent.Registry": true, "consent.NewEngine": true,
		"rights.New": true, "rights.Desk": true,
		"retention.New": true, "retention.Keeper": true, "retention.NewEngine": true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && engines[pkg.Name+"."+sel.Sel.Name] {
				t.Errorf("%s: the walkthrough uses %s.%s, not the front door", fset.Position(sel.Pos()), pkg.Name, sel.Sel.Name)
			}
			return true
		})
	}
}
