package dossierwacht_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestClockNeverGoesBack: a store that has recorded an event refuses, or
// never sees, a later operation that claims an earlier time (issue 12 §3).
// The Service's time never goes back: when its clock is set back (by an
// operator, a faulty time server or an attacker), operations keep the
// latest time already handed out, so nothing can be placed behind what is
// recorded.
func TestClockNeverGoesBack(t *testing.T) {
	ctx := context.Background()
	t.Run("R6_no_disclosure_behind_a_revocation", func(t *testing.T) {
		w := newWorld(t)
		anna := w.actors[privacy.RoleSubject]
		carla := w.actors[privacy.RoleCaseManager]
		g, err := w.svc.GrantConsent(ctx, anna, consent.Grant{ID: "g-1", Subject: "anna", Case: case1,
			Recipient: consent.Recipient{Party: "lawyer", Kind: privacy.PartyThirdParty}, Purpose: privacy.PurposeAbsenceGuidance,
			Categories: []privacy.Category{privacy.CategoryNotes}, Form: consent.FormWritten, Document: "signed.pdf"})
		must(t, err)
		disclose := func(id consent.DisclosureID) error {
			_, err := w.svc.Disclose(ctx, carla, consent.Request{ID: id, Subject: "anna", Case: case1,
				Recipient: consent.Recipient{Party: "lawyer", Kind: privacy.PartyThirdParty}, Purpose: privacy.PurposeAbsenceGuidance,
				Items: []consent.Item{{Category: privacy.CategoryNotes, Record: "r-note"}}, WrittenRequest: "letter-1"})
			return err
		}
		w.now = w.now.Add(24 * time.Hour)
		must(t, disclose("d-before"))
		w.now = w.now.Add(24 * time.Hour)
		_, err = w.svc.RevokeConsent(ctx, anna, g.ID)
		must(t, err)
		w.now = w.now.Add(-12 * time.Hour) // the clock is set back half a day
		err = disclose("d-after")
		if err == nil {
			t.Fatal("R6: a disclosure went out on a revoked consent because the clock was set back")
		}
		// The consent is no longer in force at the Service's time (O14);
		// the registry's own R6 check stands behind it for callers of the
		// engine with a time of their own.
		if r := privacy.RuleOf(err); !errors.Is(err, privacy.ErrForbidden) || (r != privacy.R6 && r != privacy.O14) {
			t.Errorf("refusal %v is not ErrForbidden by R6 or O14", err)
		}
	})
	t.Run("G7_the_trail_never_runs_backwards", func(t *testing.T) {
		w := newWorld(t)
		carla := w.actors[privacy.RoleCaseManager]
		w.now = w.now.Add(2 * time.Hour)
		must(t, w.svc.AddRecords(ctx, carla, record("r-late", privacy.CategoryNotes, privacy.FieldText, "late")))
		w.now = w.now.Add(-time.Hour)
		must(t, w.svc.AddRecords(ctx, carla, record("r-rewound", privacy.CategoryNotes, privacy.FieldText, "rewound")))
		late, err := w.store.Record(ctx, "r-late")
		must(t, err)
		rewound, err := w.store.Record(ctx, "r-rewound")
		must(t, err)
		if rewound.Created.Before(late.Created) {
			t.Errorf("R4: a record added later is dated %v, before one recorded earlier at %v", rewound.Created, late.Created)
		}
		events := w.events(t)
		for i := 1; i < len(events); i++ {
			if events[i].Time.Before(events[i-1].Time) {
				t.Fatalf("G7: event %d at %v is before event %d at %v", events[i].Seq, events[i].Time, events[i-1].Seq, events[i-1].Time)
			}
		}
	})
}
