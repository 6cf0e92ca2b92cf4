package privacy_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

func TestActValidate(t *testing.T) {
	good := privacy.Act{By: staff, At: t0, Purpose: privacy.PurposeAbsenceGuidance, AccessPoint: "10.0.0.1", Client: "hr-app/2.1"}
	for _, tc := range []struct {
		name   string
		change func(*privacy.Act)
		kind   error
		rule   privacy.RuleID
	}{
		{"valid", func(*privacy.Act) {}, nil, ""},
		{"no purpose", func(a *privacy.Act) { a.Purpose = "" }, nil, ""},
		{"no origin", func(a *privacy.Act) { a.AccessPoint, a.Client = "", "" }, nil, ""},
		{"N9_no_time", func(a *privacy.Act) { a.At = time.Time{} }, privacy.ErrInvalid, privacy.N9},
		{"no principal", func(a *privacy.Act) { a.By = privacy.Principal{} }, privacy.ErrInvalid, ""},
		{"unknown role", func(a *privacy.Act) { a.By.Role = "boss" }, privacy.ErrInvalid, ""},
		{"O7_contractor_without_agreement", func(a *privacy.Act) { a.By.Contractor = true }, privacy.ErrForbidden, privacy.O7},
		{"R5_malformed_purpose", func(a *privacy.Act) { a.Purpose = "no spaces" }, privacy.ErrInvalid, privacy.R5},
		{"N9_access_point_too_long", func(a *privacy.Act) { a.AccessPoint = strings.Repeat("a", 257) }, privacy.ErrInvalid, privacy.N9},
		{"N9_access_point_256", func(a *privacy.Act) { a.AccessPoint = strings.Repeat("a", 256) }, nil, ""},
		{"N9_client_with_a_newline", func(a *privacy.Act) { a.Client = "app\nforged: line" }, privacy.ErrInvalid, privacy.N9},
		{"N9_client_not_ascii", func(a *privacy.Act) { a.Client = "café" }, privacy.ErrInvalid, privacy.N9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := good
			tc.change(&a)
			err := a.Validate()
			if tc.kind == nil {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tc.kind) || (tc.rule != "" && privacy.RuleOf(err) != tc.rule) {
				t.Errorf("Validate() = %v, want %v naming rule %q", err, tc.kind, tc.rule)
			}
		})
	}
}

// FuzzActValidate feeds Validate outside input: it never panics, and an
// act it accepts has a time and an origin of printable ASCII that its
// error messages never quote.
func FuzzActValidate(f *testing.F) {
	f.Add("p-1", "case-manager", "absence-guidance", "10.0.0.1", "app", int64(1))
	f.Add("", "", "", "\x00", "\xff", int64(0))
	f.Fuzz(func(t *testing.T, id, role, purpose, ap, client string, micros int64) {
		a := privacy.Act{By: privacy.Principal{ID: privacy.PrincipalID(id), Role: privacy.Role(role)},
			Purpose: privacy.Purpose(purpose), AccessPoint: ap, Client: client}
		if micros != 0 {
			a.At = time.UnixMicro(micros)
		}
		err := a.Validate()
		if err != nil {
			if !errors.Is(err, privacy.ErrInvalid) && !errors.Is(err, privacy.ErrForbidden) {
				t.Fatalf("Validate() = %v: not a typed error", err)
			}
			if len(ap) > 3 && strings.Contains(err.Error(), ap) {
				t.Fatalf("the error quotes the access point: %v", err)
			}
			return
		}
		if a.At.IsZero() || len(ap) > 256 || len(client) > 256 {
			t.Fatalf("Validate accepted %+v", a)
		}
		for _, s := range []string{ap, client} {
			for i := 0; i < len(s); i++ {
				if s[i] < 0x20 || s[i] > 0x7e {
					t.Fatalf("Validate accepted a byte %#x", s[i])
				}
			}
		}
	})
}
