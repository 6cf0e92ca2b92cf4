package retention_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestEmploymentEndWithoutEmployerN7 checks rules N7 and O8 for the case
// of a client whom no employer sent (issue 14 §1: nothing kept with no
// date): a period that runs from the end of the employment runs, for a
// case a municipality or the UWV commissioned, from the closing of the
// case, or from a record's last change after it. Under every ready
// policy, in every kind of case, every category of such a case is due 60
// years after it closed though no employment end is ever recorded; an
// employer's case of a subject whose employment lasts keeps what waits
// for its end; and a record rectified after the case closed is kept 20
// years from its rectification, not from the closing (BW 7:454(3)).
func TestEmploymentEndWithoutEmployerN7(t *testing.T) {
	t0 := time.Date(2020, 1, 6, 9, 0, 0, 0, time.UTC)
	closed := t0.Add(time.Hour)
	dossier := func(kind privacy.CaseKind, party privacy.PartyKind, updated time.Time) *retention.Dossier {
		cf := retention.CaseFile{Case: privacy.Case{ID: "c", Subject: "s", Kind: kind, Opened: t0, Closed: closed,
			Contract: privacy.Contract{ID: "k", Party: "p", PartyKind: party, Start: t0.AddDate(-1, 0, 0)}}}
		for _, c := range privacy.Categories() {
			cf.Records = append(cf.Records, retention.Entry{ID: privacy.RecordID("r-" + c), Category: c, Medical: c.Medical(),
				Created: t0, Updated: updated})
		}
		return &retention.Dossier{Subject: privacy.Subject{ID: "s", Created: t0}, Cases: []retention.CaseFile{cf}}
	}
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		e := rulesOf(t, p)
		for _, kind := range privacy.CaseKinds() {
			for _, party := range []privacy.PartyKind{privacy.PartyMunicipality, privacy.PartyUWV} {
				t.Run(fmt.Sprintf("%s/%s/%s", p.Name, kind, party), func(t *testing.T) {
					for _, s := range e.Schedule(nil, dossier(kind, party, t0), t0.AddDate(60, 0, 0)) {
						if !s.IsDue() {
							t.Errorf("%s, case closed 60 years ago, no employment to end: %s", s.Category, s)
						}
					}
				})
			}
		}
	}
	// Strict's medical file: 20 years after the employment ends (N7).
	e := rulesOf(t, privacy.Strict())
	medical := func(ss []retention.Schedule) retention.Schedule {
		for _, s := range ss {
			if s.Category == privacy.CategoryMedical {
				return s
			}
		}
		t.Fatal("no schedule of the medical record")
		return retention.Schedule{}
	}
	t.Run("employer_employment_lasting_keeps_the_medical_file", func(t *testing.T) {
		s := medical(e.Schedule(nil, dossier(privacy.CaseReintegration, privacy.PartyEmployer, t0), t0.AddDate(60, 0, 0)))
		if s.IsDue() || s.Rule != privacy.N7 {
			t.Errorf("the medical record of an employee whose employment lasts: %s, want kept under N7", s)
		}
	})
	t.Run("municipality_medical_file_20_years_after_closing", func(t *testing.T) {
		d := dossier(privacy.CaseReintegration, privacy.PartyMunicipality, t0)
		if s := medical(e.Schedule(nil, d, closed.AddDate(20, 0, -1))); s.IsDue() {
			t.Errorf("a day before 20 years after the closing: %s, want kept", s)
		}
		if s := medical(e.Schedule(nil, d, closed.AddDate(20, 0, 2))); !s.IsDue() || s.Rule != privacy.N7 {
			t.Errorf("20 years and two days after the closing: %s, want due under N7", s)
		}
	})
	t.Run("municipality_medical_file_rectified_after_closing", func(t *testing.T) {
		rectified := closed.AddDate(3, 0, 0)
		d := dossier(privacy.CaseReintegration, privacy.PartyMunicipality, rectified)
		if s := medical(e.Schedule(nil, d, closed.AddDate(21, 0, 0))); s.IsDue() {
			t.Errorf("21 years after the closing, 18 after a rectification: %s, want kept (BW 7:454(3))", s)
		}
		if s := medical(e.Schedule(nil, d, rectified.AddDate(20, 0, 2))); !s.IsDue() {
			t.Errorf("20 years and two days after the rectification: %s, want due", s)
		}
		// Explain and the engine agree on when the period starts.
		x, err := e.Explain(d, "r-"+privacy.RecordID(privacy.CategoryMedical), rectified.AddDate(20, 0, 2))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range x.Considered {
			if c.Rule.Trigger == privacy.TriggerEmploymentEnded && (c.Pending || c.Due.Year() != rectified.Year()+20) {
				t.Errorf("Explain: %+v, want due from the rectification", c)
			}
		}
	})
}
