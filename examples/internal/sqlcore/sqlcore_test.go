package sqlcore

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// TestFail maps the errors a store meets onto the library's kinds: its own
// errors pass unchanged, a missing row is not found and keeps nothing of
// the driver's error, a driver's error is what the dialect classifies it
// as, and anything else is unavailable.
func TestFail(t *testing.T) {
	mine := &privacy.Error{Op: "x", Kind: privacy.ErrConflict, Msg: "mine"}
	driver := errors.New("constraint failed: cases.subject_id")
	classify := func(err, fk error) (error, privacy.RuleID, error) {
		if err == driver {
			return fk, "", err
		}
		return nil, "", err
	}
	for _, tc := range []struct {
		name     string
		err, fk  error
		kind     error
		keepsErr bool
	}{
		{"own error", fmt.Errorf("in a transaction: %w", mine), nil, privacy.ErrConflict, false},
		{"no row", fmt.Errorf("scan: %w", sql.ErrNoRows), nil, privacy.ErrNotFound, false},
		{"foreign key, default", driver, nil, privacy.ErrNotFound, true},
		{"foreign key, a deletion's", driver, privacy.ErrConflict, privacy.ErrConflict, true},
		{"anything else", errors.New("disk I/O error"), nil, privacy.ErrUnavailable, true},
	} {
		err := Fail("sqlcore: test", tc.err, tc.fk, classify)
		var pe *privacy.Error
		if !errors.As(err, &pe) || !errors.Is(err, tc.kind) || (pe.Err != nil) != tc.keepsErr {
			t.Errorf("%s: Fail = %#v, want kind %v, driver error kept %t", tc.name, err, tc.kind, tc.keepsErr)
		}
	}
	if err := Fail("op", fmt.Errorf("wrapped: %w", mine), nil, classify); err != mine {
		t.Errorf("Fail(own error) = %v, want it unchanged", err)
	}
}

// TestRefusalG3 sorts out why an item of a sweep's batch stays, in the
// order of the retention.BatchStore contract: a proof first, then a
// missing record, then another case, subject or version, then a hold
// (rule G3).
func TestRefusalG3(t *testing.T) {
	p := &retention.Proof{Record: "r-1", Case: "c-1", Subject: "s-1", Updated: t0}
	same := Stored{Found: true, Case: "c-1", Subject: "s-1", Updated: t0}
	other := func(f func(*Stored)) Stored { s := same; f(&s); return s }
	for _, tc := range []struct {
		name string
		got  Stored
		held bool
		kind error
	}{
		{"erasable", same, false, nil},
		{"proven_held_and_gone", Stored{Proven: true}, true, privacy.ErrExists},
		{"gone_and_held", Stored{}, true, privacy.ErrNotFound},
		{"another_case_held", other(func(s *Stored) { s.Case = "c-2" }), true, privacy.ErrConflict},
		{"another_subject", other(func(s *Stored) { s.Subject = "s-2" }), false, privacy.ErrConflict},
		{"another_version", other(func(s *Stored) { s.Updated = t0.Add(time.Second) }), false, privacy.ErrConflict},
		{"G3_held", same, true, privacy.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Refusal("op", p, tc.got, tc.held)
			if (tc.kind == nil) != (err == nil) || (tc.kind != nil && !errors.Is(err, tc.kind)) {
				t.Errorf("Refusal = %v, want %v", err, tc.kind)
			}
			if tc.kind == privacy.ErrForbidden && privacy.RuleOf(err) != privacy.G3 {
				t.Errorf("Refusal = %v, want rule G3", err)
			}
		})
	}
	hs := []retention.Hold{{Subject: "s-1", Case: "c-2"}, {Subject: "s-1", Records: []privacy.RecordID{"r-1"}}}
	if !Covered(hs, p) || Covered(hs[:1], p) {
		t.Error("Covered: want the hold naming r-1 to cover it and the hold of c-2 not")
	}
}

// TestCheckBatch refuses a batch before any statement runs: one event per
// proof, no record twice.
func TestCheckBatch(t *testing.T) {
	p := retention.Proof{Record: "r-1", Case: "c-1", Subject: "s-1", Deleted: t0}
	e := privacy.Event{Time: t0, Principal: "p-1"}
	for name, err := range map[string]error{
		"one event short": CheckBatch("op", []retention.Proof{p}, nil),
		"a record twice":  CheckBatch("op", []retention.Proof{p, p}, []privacy.Event{e, e}),
	} {
		if !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("%s: CheckBatch = %v, want ErrInvalid", name, err)
		}
	}
	if err := CheckBatch("op", []retention.Proof{p}, []privacy.Event{e}); err != nil {
		t.Errorf("CheckBatch(good) = %v", err)
	}
}
