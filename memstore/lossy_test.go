package memstore_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/accesstest"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/consent/consenttest"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/retention/retentiontest"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/dossierwacht/dossierwacht/rights/rightstest"
	"github.com/stretchr/testify/require"
)

// lossyStore is the in-memory store with one field dropped on the way in,
// as an adapter that forgot a column would: the kits must notice.
type lossyStore struct {
	*memstore.Store
	drop bool // false: a faithful store, the control
}

// AddRecords drops the record's legal basis (rule N5 names it).
func (s lossyStore) AddRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	if s.drop {
		rs = append([]privacy.Record(nil), rs...)
		for i := range rs {
			rs[i].Basis = ""
		}
	}
	return s.Store.AddRecords(ctx, rs, events)
}

// AddGrant drops the case a grant is limited to: the consent would cover
// every case of the subject.
func (s lossyStore) AddGrant(ctx context.Context, g consent.Grant, events []privacy.Event) error {
	if s.drop {
		g.Case = ""
	}
	return s.Store.AddGrant(ctx, g, events)
}

// AddErasure drops the case an erasure request is limited to: it would
// erase every case of the subject.
func (s lossyStore) AddErasure(ctx context.Context, r retention.Erasure, e privacy.Event) error {
	if s.drop {
		r.Case = ""
	}
	return s.Store.AddErasure(ctx, r, e)
}

// CreateRequest drops the records a request is limited to.
func (s lossyStore) CreateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	if s.drop {
		r.Records = nil
	}
	return s.Store.CreateRequest(ctx, r, events)
}

// AppendEvents drops the client an access came from (rule N9 asks for
// it).
func (s lossyStore) AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	if s.drop {
		events = append([]privacy.Event(nil), events...)
		for i := range events {
			events[i].Client = ""
		}
	}
	return s.Store.AppendEvents(ctx, events...)
}

// lossyEnv names the kit a child process of TestLossyStoreFailsTheKits
// runs, with ":faithful" for the control.
const lossyEnv = "DOSSIERWACHT_LOSSY_KIT"

// TestLossyStoreFailsTheKits shows that the kits compare whole values: a
// store that drops one field on the way in fails the kit's round trip, and
// the diff names the field. Each kit runs in a child process of this test
// (a kit takes a *testing.T, whose failure this test could not contain),
// against the lossy store, which must fail, and against the faithful one,
// which must pass.
func TestLossyStoreFailsTheKits(t *testing.T) {
	if kit := os.Getenv(lossyEnv); kit != "" {
		runLossyKit(t, kit)
		return
	}
	for _, tc := range []struct {
		kit, kitCase, field string
	}{
		{"privacytest", "RecordRoundTrip", "Basis"},
		{"consenttest", "GrantRoundTrip", "Case"},
		{"retentiontest", "DossierContents", "Case"},
		{"rightstest", "R11_RequestRoundTrip", "Records"},
		{"accesstest", "N9_EventHasNEN7513Fields", "Client"},
	} {
		t.Run(tc.kit, func(t *testing.T) {
			t.Parallel()
			out, err := runChild(t, tc.kit, tc.kitCase)
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "the kit passed a store that drops %s:\n%s", tc.field, out)
			// cmp.Diff's lines read "- Field: want", with spaces of
			// varying kinds.
			failed := "--- FAIL: TestLossyStoreFailsTheKits/" + tc.kitCase + " "
			if !strings.Contains(out, failed) || !regexp.MustCompile(`(?m)^[\s\p{Zs}]*-[\s\p{Zs}]+`+tc.field+`:`).MatchString(out) {
				t.Errorf("%s: want %q failing with a diff that names %s; got:\n%s", tc.kit, failed, tc.field, out)
			}
			out, err = runChild(t, tc.kit+":faithful", tc.kitCase)
			require.NoError(t, err, "the kit failed the faithful store:\n%s", out)
			require.Contains(t, out, "--- PASS: TestLossyStoreFailsTheKits/"+tc.kitCase+" ")
		})
	}
}

// runChild runs this test binary on one kit case, in the child mode of
// TestLossyStoreFailsTheKits.
func runChild(t *testing.T, kit, kitCase string) (string, error) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^TestLossyStoreFailsTheKits$/^"+regexp.QuoteMeta(kitCase)+"$", "-test.v")
	cmd.Env = append(os.Environ(), lossyEnv+"="+kit)
	out, err := cmd.CombinedOutput()
	if err != nil && !errors.As(err, new(*exec.ExitError)) {
		t.Fatalf("running the child: %v", err)
	}
	return string(out), err
}

func runLossyKit(t *testing.T, kit string) {
	kit, faithful := strings.CutSuffix(kit, ":faithful")
	s := func() lossyStore { return lossyStore{Store: memstore.New(), drop: !faithful} }
	switch kit {
	case "privacytest":
		privacytest.Run(t, func(*testing.T) privacy.Store { return s() })
	case "consenttest":
		consenttest.Run(t, func(*testing.T) consenttest.Store { return s() })
	case "retentiontest":
		retentiontest.Run(t, func(*testing.T) retention.Store { return s() })
	case "rightstest":
		rightstest.Run(t, func(*testing.T) rights.Store { return s() })
	case "accesstest":
		accesstest.Run(t, func(*testing.T) access.Store { return s() })
	default:
		t.Fatalf("unknown kit %q", kit)
	}
}
