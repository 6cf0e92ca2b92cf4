package dossierwacht_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestExportCarriesSubjectChainG7N9R11G1: the front door's export (rules
// R11, G1) hands the subject their own audit chain (G7): the head the
// store holds when the export is made, the signed anchor of a chain
// pruned after the audit retention (N9), and the chain's events, which
// verify against the head with the service's key and, by their links,
// without it; cut short, they do not. On a sealed store too.
func TestExportCarriesSubjectChainG7N9R11G1(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts func(t *testing.T) dossierwacht.Options
	}{
		{"memstore", func(*testing.T) dossierwacht.Options { return dossierwacht.Options{} }},
		{"sealed", func(t *testing.T) dossierwacht.Options { return dossierwacht.Options{Vault: vault(t)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := memstore.NewKeyed(attack3Key)
			w := openWorld(t, store, tc.opts(t))
			carla, self := w.actors[privacy.RoleCaseManager], w.actors[privacy.RoleSubject]
			w.now = w.now.Add(time.Hour)
			_, err := w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance)
			must(t, err)
			// N9: the events before the view have had their time.
			sweep := privacy.Event{Time: w.now, Principal: "sweeper", Role: privacy.RoleAdministrator,
				Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.N9, Policy: "1"}
			n, err := store.PruneAudit(ctx, w.now.Add(-30*time.Minute), sweep)
			must(t, err)
			if n == 0 {
				t.Fatal("nothing pruned")
			}
			w.now = w.now.Add(time.Hour)
			var buf bytes.Buffer
			_, err = w.svc.Export(ctx, self, anna, &buf, nil)
			must(t, err)
			doc, err := export.Decode(&buf)
			must(t, err)
			head, anchor, err := store.ChainHead(ctx, anna)
			must(t, err)
			c := doc.AccessLog.Chain
			if c == nil || c.Seq != head.Seq || c.Hash != head.Hash || !c.Keyed {
				t.Fatalf("G7: the export's chain is %+v, want the store's head %v, keyed", c, head)
			}
			if c.Anchor == nil || c.Anchor.Seq != anchor.Seq || c.Anchor.MAC != anchor.MAC {
				t.Fatalf("N9: the export's anchor is %+v, want the store's %+v", c.Anchor, anchor)
			}
			if first := doc.AccessLog.Entries[0].Seq; first != anchor.Seq+1 {
				t.Errorf("the access log starts at event %d, want %d after the anchor", first, anchor.Seq+1)
			}
			for _, key := range [][]byte{attack3Key, nil} {
				if _, err := doc.VerifyAccessLog(key, access.Checkpoint{}); err != nil {
					t.Errorf("key %q: %v", key, err)
				}
			}
			cut := *doc
			cut.AccessLog.Entries = cut.AccessLog.Entries[:len(cut.AccessLog.Entries)-1]
			if _, err := cut.VerifyAccessLog(nil, access.Checkpoint{}); !isTampered(err) {
				t.Errorf("G7: the export's access log cut short verifies: %v", err)
			}
		})
	}
}

func isTampered(err error) bool {
	return privacy.RuleOf(err) == privacy.G7 && errors.Is(err, access.ErrTampered)
}
