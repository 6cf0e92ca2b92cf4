package retention_test

import (
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestOpenAbsenceCaseStatutoryFloorN7G3 attacks the reading of an open
// absence case as ended at the end of the employment (retention.CaseEnded,
// rule N7) with a record recorded after that end: a self-insurer's absence
// facts under the Sickness Benefits Act (rule N7, 5 years, statutory) — the
// usual case of a former employee who falls ill within four weeks of
// leaving. The N7 reading shortens the maxima, as the guidance says; it
// must not shorten a statutory minimum (N7: "statutory minimums are never
// shortened"; G3): the record is kept at least 5 years from its own
// recording, not 5 years from an end that came before it. Schedule,
// Explain and ScheduleObjects say the same.
func TestOpenAbsenceCaseStatutoryFloorN7G3(t *testing.T) {
	eng := rulesOf(t, withRules(privacy.Strict(), privacy.SelfInsurerRetention()))
	opened := utc("2023-01-10T09:00:00Z")
	ended := utc("2023-06-01T00:00:00Z")
	recorded := utc("2024-06-03T09:00:00Z")
	for _, tc := range []struct {
		name   string
		closed time.Time
		now    string
		status retention.Status
		floor  string
	}{
		// Open: the floor runs from the record, 3 June 2024 + 5 years + 1
		// day, not from the end of the employment (2028-06-02).
		{name: "open_before_floor", now: "2028-07-01T00:00:00Z", status: retention.StatusScheduled, floor: "2029-06-04"},
		{name: "open_after_floor", now: "2029-06-05T00:00:00Z", status: retention.StatusDue, floor: "2029-06-04"},
		// Closed: the floor runs from the closing, as before.
		{name: "closed", closed: utc("2024-07-01T09:00:00Z"), now: "2028-07-01T00:00:00Z", status: retention.StatusScheduled, floor: "2029-07-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := privacy.Case{ID: "c-1", Subject: "s-1", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
				Contract: privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer}, Opened: opened, Closed: tc.closed}
			d := &retention.Dossier{Subject: privacy.Subject{ID: "s-1", Employer: "employer-1", Created: opened, EmploymentEnded: ended},
				Cases: []retention.CaseFile{{Case: c, Records: []retention.Entry{
					{ID: "r-0", Category: privacy.CategoryNotes, Created: opened, Updated: opened},
					{ID: "r-1", Category: privacy.CategoryAbsenceFacts, Created: recorded, Updated: recorded}}}}}
			now := utc(tc.now)
			s := eng.Schedule(nil, d, now)[1]
			if s.Status != tc.status || s.Floor != day(t, tc.floor) {
				t.Errorf("Schedule(absence facts recorded %v, employment ended %v) = %v, floor %v; want %v, floor %s (rules N7, G3)",
					recorded, ended, s, s.Floor, tc.status, tc.floor)
			}
			x, err := eng.Explain(d, "r-1", now)
			if err != nil {
				t.Fatal(err)
			}
			if x.Schedule != s {
				t.Errorf("Explain = %v, floor %v; Schedule says %v, floor %v", x.Schedule, x.Schedule.Floor, s, s.Floor)
			}
		})
	}
}
