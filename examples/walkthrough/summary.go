package main

import (
	"context"
	"path/filepath"
)

// summary says in a few lines what the walkthrough showed, where its file
// is, and how to look at it without writing Go.
func (w *world) summary(context.Context) error {
	w.p.printf("\n== What this showed\n")
	for _, line := range []string{
		"one front door, dossierwacht.Service: every step a verb with its actor, decided, audited, timed",
		"each role sees only what its rules allow, and a case it may not know of does not exist for it",
		"what the law forbids (a special category, a purpose it does not know) is refused and not stored",
		"data leaves the service only on written consent or a statute, and the disclosure is logged",
		"the employee gets everything held about her within the deadline, as JSON and as a page",
		"a record she contests is only stored while restricted: no one else sees or changes it",
		"two years after the case closed the sweep deleted what was due, each deletion with a proof",
		"the audit trail records every decision, and a change behind the store's back is caught",
	} {
		w.p.printf("- %s\n", line)
	}
	w.p.printf("\nThe SQLite file stays, with its edited trail, for you to look at:\n  %s\n", w.abs(w.path))
	w.p.printf("Check it without writing Go (it finds the edit too, and exits 1):\n")
	w.p.printf("  go run ./cmd/dossierwacht verify -sqlite %s \\\n", w.path)
	w.p.printf("    -audit-key %s -checkpoints %s\n", filepath.Join(w.outDir, keyFile), filepath.Join(w.outDir, checkpointFile))
	return nil
}
