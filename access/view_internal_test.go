package access

import (
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestViewToClearsWhatItHeld reuses one CaseView for the physician's view
// of a case and then for the employer's: nothing of the physician's view
// may stay in the memory behind the employer's, neither the records beyond
// its length nor their fields (rules O6, O9: medical data and the absence
// reason never reach the employer, not even in a reused buffer). The test
// reaches into the backing arrays through their capacity.
func TestViewToClearsWhatItHeld(t *testing.T) {
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: now.AddDate(-1, 0, 0)}
	c := &privacy.Case{ID: "c-1", Subject: "s-1", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance, Contract: contract, Opened: now.AddDate(0, -1, 0)}
	var records, medical []privacy.Record
	for i, cat := range privacy.Categories() {
		info, _ := cat.Info()
		fields := map[privacy.Field]string{}
		for _, f := range info.Fields {
			fields[f] = "secret " + string(cat) + " " + string(f)
		}
		r := privacy.Record{ID: privacy.RecordID(fmt.Sprintf("r-%02d", i)), Case: c.ID, Subject: c.Subject, Category: cat,
			Author: "doc-1", Source: privacy.Source{Kind: privacy.PartyService}, Purpose: c.Purpose, Created: c.Opened, Updated: c.Opened, Fields: fields}
		if cat.Medical() {
			medical = append(medical, r)
		} else {
			records = append(records, r)
		}
	}
	e, err := NewEngine(privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	physician := NewPrincipal(privacy.Principal{ID: "doc-1", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, []privacy.CaseID{c.ID}, nil)
	employer := NewPrincipal(privacy.Principal{ID: "hr-1", Role: privacy.RoleEmployerContact, Party: "employer-1"}, nil, nil)
	stranger := NewPrincipal(privacy.Principal{ID: "hr-2", Role: privacy.RoleEmployerContact, Party: "employer-2"}, nil, nil)
	req := func(p *Principal) Request {
		return Request{Principal: p, Case: c, Purpose: c.Purpose, Time: now}
	}
	// beyond reports what the memory behind v holds beyond what v shows,
	// reached through the capacity of its records and of its fields.
	beyond := func(v *CaseView) (recs, fields int) {
		for _, rv := range v.Records[len(v.Records):cap(v.Records)] {
			if rv.ID != "" || rv.Category != "" || rv.Author != "" || rv.Fields != nil || rv.Rule != "" || !rv.Created.IsZero() {
				recs++
			}
		}
		shown := 0
		for _, rv := range v.Records {
			shown += len(rv.Fields)
		}
		for _, fv := range v.fields[shown:cap(v.fields)] {
			if fv.Field != "" || fv.Value != "" {
				fields++
			}
		}
		return recs, fields
	}

	var v CaseView
	if err := e.ViewTo(&v, req(physician), records, medical); err != nil {
		t.Fatal(err)
	}
	if last := v.Records[len(v.Records)-1]; last.Category != privacy.CategoryMedical {
		t.Fatalf("the physician's view ends with %s, want the medical record", last.Category)
	}
	capRecs, capFields := cap(v.Records), cap(v.fields)

	if err := e.ViewTo(&v, req(employer), records, medical); err != nil {
		t.Fatal(err)
	}
	if cap(v.Records) != capRecs || cap(v.fields) != capFields {
		t.Fatalf("ViewTo did not reuse the memory: capacities %d, %d, want %d, %d", cap(v.Records), cap(v.fields), capRecs, capFields)
	}
	if len(v.Records) == 0 || len(v.Records) >= capRecs {
		t.Fatalf("the employer sees %d records: the test needs fewer than the physician, and some", len(v.Records))
	}
	if recs, fields := beyond(&v); recs != 0 || fields != 0 {
		t.Errorf("after the employer's view, %d records and %d fields of the physician's view stay in its memory", recs, fields)
	}
	for _, fv := range v.fields[:cap(v.fields)] {
		if fv.Value == "secret medical text" || fv.Value == "secret absence-reason text" || fv.Value == "secret statements text" {
			t.Errorf("the memory behind the employer's view holds %q", fv.Value)
		}
	}

	// A hidden case: the view is empty and its memory zeroed.
	if err := e.ViewTo(&v, req(stranger), records, medical); err == nil {
		t.Fatal("a stranger views the case")
	}
	if len(v.Records) != 0 || v.Case.ID != "" {
		t.Errorf("after an error the view holds %+v", v)
	}
	if recs, fields := beyond(&v); recs != 0 || fields != 0 {
		t.Errorf("after an error, %d records and %d fields stay in the view's memory", recs, fields)
	}
	for _, rv := range v.recs[:cap(v.recs)] {
		if rv.ID != "" || rv.Fields != nil {
			t.Errorf("after an error, record %s stays in the view's memory", rv.ID)
		}
	}
}
