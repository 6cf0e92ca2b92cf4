package retention_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestFromNamesTheOrigin: the events of a Keeper taken From an access
// point and a client carry both (rule N9: NEN 7513 logs from where and by
// which application), the Keeper it came from stays as it was, and a value
// that is no origin (too long, not printable ASCII) is left out.
func TestFromNamesTheOrigin(t *testing.T) {
	ctx := context.Background()
	store, _ := exampleWorld(ctx)
	k, err := retention.New(store, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	olga := privacy.Principal{ID: "olga", Role: privacy.RolePrivacyOfficer}
	now := time.Date(2026, time.March, 1, 6, 0, 0, 0, time.UTC)
	last := func() privacy.Event {
		var e privacy.Event
		for ev, err := range store.Events(ctx, 0) {
			if err != nil {
				t.Fatal(err)
			}
			e = ev
		}
		return e
	}
	for _, tt := range []struct {
		name, ap, client, wantAP, wantClient string
	}{
		{"N9_origin_logged", "10.0.0.7", "officer-desk", "10.0.0.7", "officer-desk"},
		{"N9_too_long_left_out", strings.Repeat("x", 257), "desk", "", "desk"},
		{"N9_not_printable_left_out", "10.0.0.7", "desk\n", "10.0.0.7", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := retention.HoldID("hold-" + strings.ReplaceAll(tt.name, "_", "-"))
			if _, err := k.From(tt.ap, tt.client).PlaceHold(ctx, olga, retention.Hold{ID: id, Subject: "employee-1",
				Ground: retention.GroundLegalClaim, Reason: "claim"}, now); err != nil {
				t.Fatal(err)
			}
			if e := last(); e.AccessPoint != tt.wantAP || e.Client != tt.wantClient {
				t.Errorf("event from %q, %q; want %q, %q", e.AccessPoint, e.Client, tt.wantAP, tt.wantClient)
			}
		})
	}
	if err := k.LiftHold(ctx, olga, "hold-N9-origin-logged", "settled", now); err != nil {
		t.Fatal(err)
	}
	if e := last(); e.AccessPoint != "" || e.Client != "" {
		t.Errorf("the Keeper From was taken of changed: event from %q, %q", e.AccessPoint, e.Client)
	}
}
