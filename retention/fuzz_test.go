package retention_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// fuzzStore is a store with one subject s-1, case c-1 and record r-1.
func fuzzStore(tb testing.TB) (*memstore.Store, *retention.Keeper) {
	tb.Helper()
	ctx := context.Background()
	store := memstore.New()
	d, _ := privacy.NewDossiers(store, privacy.Strict())
	contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: epoch}
	act := privacy.Act{By: privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager}, At: epoch}
	must(d.CreateSubject(ctx, act, privacy.Subject{ID: "s-1", Employer: "employer-1", Created: epoch}))
	c, _ := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, epoch)
	must(d.OpenCase(ctx, act, c))
	must(d.AddRecord(ctx, act, privacy.Record{ID: "r-1", Case: "c-1", Category: privacy.CategoryNotes, Author: "cm-1",
		Source: privacy.Source{Kind: privacy.PartyService}, Created: epoch, Fields: map[privacy.Field]string{privacy.FieldText: "x"}}))
	r, err := retention.New(store, privacy.Strict(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return store, r
}

// FuzzPlaceHold feeds outside input to PlaceHold: it succeeds or fails
// with a typed error, never panics, and a refused hold is not stored.
func FuzzPlaceHold(f *testing.F) {
	f.Add("h-1", "s-1", "c-1", "r-1", "legal-claim", "court case C/16/1")
	f.Add("h 1", "s-1", "", "", "legal-obligation", "order")
	f.Add("h-2", "s-9", "c-1", "r-1,r-2", "nonsense", strings.Repeat("x", 300))
	f.Add("h-3", "s-1", "c-9", "", "legal-claim", "bad\x00text")
	f.Fuzz(func(t *testing.T, id, subject, c, records, ground, reason string) {
		_, r := fuzzStore(t)
		var recs []privacy.RecordID
		if records != "" {
			for _, x := range strings.Split(records, ",") {
				recs = append(recs, privacy.RecordID(x))
			}
		}
		h := retention.Hold{ID: retention.HoldID(id), Subject: privacy.SubjectID(subject), Case: privacy.CaseID(c),
			Records: recs, Ground: retention.Ground(ground), Reason: reason}
		_, err := r.PlaceHold(context.Background(), officer, h, epoch.Add(time.Hour))
		if err == nil {
			return
		}
		if !errors.Is(err, privacy.ErrInvalid) && !errors.Is(err, privacy.ErrNotFound) {
			t.Fatalf("PlaceHold: untyped error %v", err)
		}
		if privacy.ValidID(id) {
			if _, err := r.Hold(context.Background(), retention.HoldID(id)); !errors.Is(err, privacy.ErrNotFound) {
				t.Fatalf("a refused hold was stored: %v", err)
			}
		}
	})
}

// FuzzRequestErasure feeds outside input to RequestErasure: it succeeds or
// fails with a typed error, and never panics.
func FuzzRequestErasure(f *testing.F) {
	f.Add("e-1", "s-1", "c-1", "r-1", "R9", int64(0))
	f.Add("e-2", "s-1", "", "", "O13", int64(-3600))
	f.Add("e 3", "s-9", "c-1", "r-1,r-9", "G3", int64(1<<40))
	f.Fuzz(func(t *testing.T, id, subject, c, records, rule string, receivedOffset int64) {
		_, r := fuzzStore(t)
		var recs []privacy.RecordID
		if records != "" {
			for _, x := range strings.Split(records, ",") {
				recs = append(recs, privacy.RecordID(x))
			}
		}
		now := epoch.Add(24 * time.Hour)
		e := retention.Erasure{ID: retention.ErasureID(id), Subject: privacy.SubjectID(subject), Case: privacy.CaseID(c),
			Records: recs, Rule: privacy.RuleID(rule), Received: now.Add(time.Duration(receivedOffset) * time.Second)}
		dec, err := r.RequestErasure(context.Background(), officer, e, now)
		if err != nil {
			if !errors.Is(err, privacy.ErrInvalid) && !errors.Is(err, privacy.ErrNotFound) {
				t.Fatalf("RequestErasure: untyped error %v", err)
			}
			return
		}
		for _, s := range append(dec.Erase, dec.Keep...) {
			if !dec.Request.Covers(s.Case, s.Record) {
				t.Fatalf("decision lists %v outside the request's scope", s)
			}
		}
	})
}

// FuzzErase feeds outside input to Erase, with any role: it erases the
// granted request's records or fails with a typed error, never panics, a
// principal other than the privacy officer erases nothing, and nothing
// outside the request's scope goes.
func FuzzErase(f *testing.F) {
	f.Add("privacy-officer", "s-1", "e-1", int64(0))
	f.Add("employer-contact", "s-1", "e-1", int64(3600))
	f.Add("privacy-officer", "s 1", "e-9", int64(-1<<40))
	f.Add("", "s-9", "e 1", int64(1<<40))
	f.Fuzz(func(t *testing.T, role, subject, id string, offset int64) {
		store, r := fuzzStore(t)
		ctx := context.Background()
		now := epoch.Add(24 * time.Hour)
		if _, err := r.RequestErasure(ctx, officer, retention.Erasure{ID: "e-1", Subject: "s-1",
			Records: []privacy.RecordID{"r-1"}, Rule: privacy.O13, Received: now}, now); err != nil {
			t.Fatal(err)
		}
		by := privacy.Principal{ID: "p-1", Role: privacy.Role(role)}
		rep, err := r.Erase(ctx, by, privacy.SubjectID(subject), retention.ErasureID(id), now.Add(time.Duration(offset)*time.Second))
		if err != nil {
			if !errors.Is(err, privacy.ErrInvalid) && !errors.Is(err, privacy.ErrNotFound) && !errors.Is(err, privacy.ErrForbidden) {
				t.Fatalf("Erase: untyped error %v", err)
			}
			if rep.Erased != 0 {
				t.Fatalf("a refused Erase erased %d records", rep.Erased)
			}
		}
		ps, err := store.Proofs(ctx, "s-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) > 0 && (by.Role != privacy.RolePrivacyOfficer || subject != "s-1" || id != "e-1" || ps[0].Record != "r-1") {
			t.Fatalf("Erase(%q, %q, %q) left proofs %+v", role, subject, id, ps)
		}
	})
}
