package statement_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

var jan2027 = time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC)

// bump returns the next version of p, in force from 1 January 2027, with
// change applied.
func bump(p *privacy.Policy, change func(*privacy.Policy)) *privacy.Policy {
	q := p.Clone()
	q.Version = "1.1.0"
	q.Effective = jan2027
	if change != nil {
		change(q)
	}
	return q
}

func accessRule(p *privacy.Policy, rule privacy.RuleID, role privacy.Role) *privacy.AccessRule {
	for i := range p.Access {
		if p.Access[i].Rule == rule && slices.Contains(p.Access[i].Roles, role) {
			return &p.Access[i]
		}
	}
	panic("no access rule " + string(rule))
}

func retentionRule(p *privacy.Policy, rule privacy.RuleID, trigger privacy.Trigger) *privacy.RetentionRule {
	for i := range p.Retention {
		if p.Retention[i].Rule == rule && p.Retention[i].Trigger == trigger {
			return &p.Retention[i]
		}
	}
	panic("no retention rule " + string(rule))
}

func removeRecovery(p *privacy.Policy) {
	a := accessRule(p, privacy.O11, privacy.RoleInsurer)
	a.Fields = slices.DeleteFunc(slices.Clone(a.Fields), func(f privacy.Field) bool { return f == privacy.FieldRecoveryDate })
}

func shortenAbsence(p *privacy.Policy) {
	retentionRule(p, privacy.N7, privacy.TriggerEmploymentEnded).Period = privacy.Months(18)
}

var newBasis = privacy.LegalBasis{ID: "wia-25", Rule: privacy.N10, Citation: "Wet WIA art. 25",
	Recipients: []privacy.PartyKind{privacy.PartyUWV}, Categories: []privacy.Category{privacy.CategoryAbsenceFacts, privacy.CategoryWorkCapacity},
	Purposes: []privacy.Purpose{privacy.PurposeAbsenceGuidance, privacy.PurposeReintegration},
	Reason:   "the reintegration report for a WIA claim"}

// nextVersion is the version of Strict the golden diff shows.
func nextVersion() *privacy.Policy {
	return bump(privacy.Strict(), func(p *privacy.Policy) {
		removeRecovery(p)
		shortenAbsence(p)
		p.LegalBases = append(p.LegalBases, newBasis)
	})
}

// TestDiff checks, per rule, the sentences a person reads for a change
// between two versions (rule O16: changes are dated).
func TestDiff(t *testing.T) {
	type change = statement.Change
	tests := []struct {
		name   string
		base   func() *privacy.Policy
		change func(*privacy.Policy)
		want   []change
	}{
		{"O16_no_change", privacy.Strict, nil, nil},
		{"O16_version_only", privacy.RegulationO, func(p *privacy.Policy) { p.Title = "Nieuwe titel" }, nil},
		{"O11_insurer_no_longer_sees_recovery_date", privacy.Strict, removeRecovery, []change{{
			Area: statement.AreaAccess, Kind: statement.Removed, Rule: privacy.O11,
			Dutch:   "Vanaf 1 januari 2027 mag de verzuimverzekeraar de hersteldatum (verzuimgegevens) niet meer inzien.",
			English: "From 1 January 2027 the absence insurer may no longer see the recovery date (absence data).",
		}}},
		{"N7_absence_retention_2_years_to_18_months", privacy.Strict, shortenAbsence, []change{{
			Area: statement.AreaRetention, Kind: statement.Changed, Rule: privacy.N7,
			Dutch: "Vanaf 1 januari 2027 gaat de bewaartermijn van alle gegevens (behalve functie, aard en duur dienstverband; uitkeringsgegevens; medische gegevens), " +
				"in verzuimdossiers en re-integratietrajecten, na het einde van het dienstverband (bij een cliënt van een gemeente of het UWV: de afsluiting van het dossier) van 2 jaar naar 18 maanden.",
			English: "From 1 January 2027 the retention period of all data (except job, nature and duration of employment; benefit data; medical data), " +
				"in absence cases and reintegration trajectories, after the end of the employment (for a client of a municipality or the UWV: the closing of the case) goes from 2 years to 18 months.",
		}}},
		{"R9_reintegration_retention_3_years", privacy.RegulationR, func(p *privacy.Policy) {
			retentionRule(p, privacy.R9, privacy.TriggerCaseClosed).Period = privacy.Years(3)
		}, []change{{
			Area: statement.AreaRetention, Kind: statement.Changed, Rule: privacy.R9,
			Dutch:   "Vanaf 1 januari 2027 gaat de bewaartermijn van alle gegevens na de afsluiting van het dossier van 2 jaar naar 3 jaar.",
			English: "From 1 January 2027 the retention period of all data after the closing of the case goes from 2 years to 3 years.",
		}}},
		{"N7_self_insurer_retention_added", privacy.RegulationO, func(p *privacy.Policy) {
			p.Retention = append(p.Retention, privacy.SelfInsurerRetention())
		}, []change{{
			Area: statement.AreaRetention, Kind: statement.Added, Rule: privacy.N7,
			Dutch:   "Vanaf 1 januari 2027 geldt een nieuwe bewaartermijn: verzuimgegevens, 5 jaar na de afsluiting van het verzuimdossier (wettelijke bewaarplicht: Regeling werkzaamheden, administratieve voorschriften en kosten eigenrisicodragen Ziektewet art. 3(2)).",
			English: "From 1 January 2027 a new retention period applies: absence data, 5 years after the closing of the absence case (statutory duty: Regeling werkzaamheden, administratieve voorschriften en kosten eigenrisicodragen Ziektewet art. 3(2)).",
		}}},
		{"R9_retention_from_the_end_of_the_year", privacy.RegulationR, func(p *privacy.Policy) {
			retentionRule(p, privacy.R9, privacy.TriggerCaseClosed).FromYearEnd = true
		}, []change{{
			Area: statement.AreaRetention, Kind: statement.Changed, Rule: privacy.R9,
			Dutch:   "Vanaf 1 januari 2027 loopt de bewaartermijn van alle gegevens voortaan vanaf het einde van het jaar van de afsluiting van het dossier (eerder: vanaf de afsluiting van het dossier).",
			English: "From 1 January 2027 the retention period of all data now runs from the end of the year of the closing of the case (before: from the closing of the case).",
		}}},
		{"N9_audit_log_7_years", privacy.RegulationR, func(p *privacy.Policy) { p.AuditRetention.Period = privacy.Years(7) }, []change{{
			Area: statement.AreaRetention, Kind: statement.Changed, Rule: privacy.N9,
			Dutch:   "Vanaf 1 januari 2027 gaat de bewaartermijn van het logboek van wie uw gegevens heeft ingezien van 5 jaar naar 7 jaar.",
			English: "From 1 January 2027 the retention period of the log of who accessed your data goes from 5 years to 7 years.",
		}}},
		{"N10_new_legal_basis", privacy.Strict, func(p *privacy.Policy) { p.LegalBases = append(p.LegalBases, newBasis) }, []change{{
			Area: statement.AreaLegalBases, Kind: statement.Added, Rule: privacy.N10,
			Dutch:   "Vanaf 1 januari 2027 geldt een nieuwe wettelijke grondslag: Wet WIA art. 25 — aan het UWV: verzuimgegevens en belastbaarheid (beperkingen en mogelijkheden).",
			English: "From 1 January 2027 a new legal basis applies: Wet WIA art. 25 — to UWV (the employee insurance agency): absence data and work capacity (limitations and possibilities).",
		}}},
		{"N5_legal_basis_removed", privacy.Strict, func(p *privacy.Policy) {
			p.LegalBases = slices.DeleteFunc(p.LegalBases, func(l privacy.LegalBasis) bool { return l.ID == "arbowet-14" })
		}, []change{{
			Area: statement.AreaLegalBases, Kind: statement.Removed, Rule: privacy.N5,
			Dutch:   "Vanaf 1 januari 2027 vervalt de wettelijke grondslag Arbeidsomstandighedenwet art. 14(1)(b); Regeling procesgang eerste en tweede ziektejaar art. 2(1) — aan onze casemanager en bedrijfsarts: burgerservicenummer (BSN).",
			English: "From 1 January 2027 the legal basis Arbeidsomstandighedenwet art. 14(1)(b); Regeling procesgang eerste en tweede ziektejaar art. 2(1) — to our case manager and company doctor: citizen service number (BSN) no longer applies.",
		}}},
		{"R11_deadline_4_weeks_to_3_weeks", privacy.RegulationR, func(p *privacy.Policy) { p.Requests.Answer[0].Period = privacy.Weeks(3) }, []change{{
			Area: statement.AreaRequests, Kind: statement.Changed, Rule: privacy.R11,
			Dutch:   "Vanaf 1 januari 2027 gaat de termijn waarbinnen wij uw verzoek om inzage beantwoorden van 4 weken naar 3 weken.",
			English: "From 1 January 2027 the period within which we answer your request for access goes from 4 weeks to 3 weeks.",
		}}},
		{"N8_medical_file_destroyed_within_2_months", privacy.RegulationO, func(p *privacy.Policy) { p.Requests.MedicalErasure.Period = privacy.Months(2) }, []change{{
			Area: statement.AreaRequests, Kind: statement.Changed, Rule: privacy.N8,
			Dutch:   "Vanaf 1 januari 2027 vernietigen wij uw medisch dossier op uw verzoek binnen 2 maanden (eerder: 3 maanden).",
			English: "From 1 January 2027 we destroy your medical file on your request within 2 months (before: 3 months).",
		}}},
		{"N11_two_free_copies", privacy.RegulationO, func(p *privacy.Policy) { p.Requests.FreeCopies = 2 }, []change{{
			Area: statement.AreaRequests, Kind: statement.Changed, Rule: privacy.N11,
			Dutch:   "Vanaf 1 januari 2027 gaat het aantal gratis afschriften van 1 naar 2.",
			English: "From 1 January 2027 the number of free copies goes from 1 to 2.",
		}}},
		{"N12_min_group_size_20", privacy.RegulationO, func(p *privacy.Policy) { p.MinGroupSize = 20 }, []change{{
			Area: statement.AreaGroupSize, Kind: statement.Changed, Rule: privacy.N12,
			Dutch:   "Vanaf 1 januari 2027 gaat de kleinste groep waarover uw werkgever cijfers krijgt van 10 naar 20 personen.",
			English: "From 1 January 2027 the smallest group your employer receives figures of goes from 10 to 20 people.",
		}}},
		{"O3_processor_changed", privacy.RegulationO, func(p *privacy.Policy) { p.Processor, p.ProcessorNL = "Hosting B.V.", "Hosting B.V." }, []change{{
			Area: statement.AreaParties, Kind: statement.Changed, Rule: privacy.O3,
			Dutch:   "Vanaf 1 januari 2027 is Hosting B.V. onze verwerker (eerder: de externe verwerker bij wie het dossiersysteem is ondergebracht).",
			English: "From 1 January 2027 Hosting B.V. is our processor (before: the external processor hosting the case system).",
		}}},
		{"O16_DPO_changed", privacy.RegulationO, func(p *privacy.Policy) {
			p.DPO = privacy.Text{NL: "mr. J. de Vries", EN: "J. de Vries LLM"}
		}, []change{{
			Area: statement.AreaParties, Kind: statement.Changed, Rule: privacy.O16,
			Dutch:   "Vanaf 1 januari 2027 is onze functionaris voor gegevensbescherming: mr. J. de Vries (eerder: de functionaris voor gegevensbescherming van de dienst, bereikbaar via het adres van de dienst).",
			English: "From 1 January 2027 our data protection officer is: J. de Vries LLM (before: the service's data protection officer, reachable at the service's address).",
		}}},
		{"R5_legal_basis_changed", privacy.RegulationR, func(p *privacy.Policy) {
			p.Purposes[1].Basis = privacy.Text{NL: "AVG artikel 6 lid 1 onder e", EN: "GDPR art. 6(1)(e)"}
		}, []change{{
			Area: statement.AreaPurposes, Kind: statement.Changed, Rule: privacy.R5,
			Dutch: "Vanaf 1 januari 2027 is de grondslag voor het terugdringen van verzuim en de verzuimbegeleiding: AVG artikel 6 lid 1 onder e " +
				"(eerder: " + privacy.RegulationR().Purposes[1].Basis.NL + ").",
			English: "From 1 January 2027 the legal basis for reducing and guiding absence is: GDPR art. 6(1)(e) " +
				"(before: " + privacy.RegulationR().Purposes[1].Basis.EN + ").",
		}}},
		{"R5_purpose_added", privacy.RegulationR, func(p *privacy.Policy) {
			p.Purposes = append(p.Purposes, privacy.PurposeRule{Purpose: privacy.PurposePrevention, Rule: privacy.R5,
				CaseKinds: []privacy.CaseKind{privacy.CasePreventive}, Reason: "prevention"})
		}, []change{{
			Area: statement.AreaPurposes, Kind: statement.Added, Rule: privacy.R5,
			Dutch:   "Vanaf 1 januari 2027 verwerken wij uw gegevens ook voor preventie, in preventieve dossiers.",
			English: "From 1 January 2027 we also process your data for prevention, in preventive cases.",
		}}},
		{"O11_insurer_overview_no_longer_disclosed", privacy.RegulationO, func(p *privacy.Policy) {
			p.Disclosures = slices.DeleteFunc(p.Disclosures, func(d privacy.DisclosureRule) bool { return d.Rule == privacy.O11 })
		}, []change{{
			Area: statement.AreaDisclosures, Kind: statement.Removed, Rule: privacy.O11,
			Dutch:   "Vanaf 1 januari 2027 mogen wij de naam (identificatiegegevens (NAW)) niet meer aan de verzuimverzekeraar verstrekken, zonder uw toestemming.",
			English: "From 1 January 2027 we may no longer disclose the name (identity data (name and address)) to the absence insurer, without your consent.",
		}, {
			Area: statement.AreaDisclosures, Kind: statement.Removed, Rule: privacy.O11,
			Dutch:   "Vanaf 1 januari 2027 mogen wij de eerste ziektedag, de hersteldatum en de mate van arbeidsongeschiktheid (verzuimgegevens) niet meer aan de verzuimverzekeraar verstrekken, zonder uw toestemming.",
			English: "From 1 January 2027 we may no longer disclose the first day of absence, the recovery date and the degree of incapacity for work (absence data) to the absence insurer, without your consent.",
		}}},
		{"R8_support_staff_may_erase_appointments", privacy.RegulationR, func(p *privacy.Policy) {
			p.Access = append(p.Access, privacy.AccessRule{Rule: privacy.R8, Effect: privacy.Allow, Roles: []privacy.Role{privacy.RoleSupportStaff},
				Actions: []privacy.Action{privacy.ActionErase}, Categories: []privacy.Category{privacy.CategoryAppointment},
				Requires: []privacy.Condition{privacy.CondContractInForce}, Reason: "cancel appointments"})
		}, []change{{
			Area: statement.AreaAccess, Kind: statement.Added, Rule: privacy.R8,
			Dutch:   "Vanaf 1 januari 2027 mag overig personeel de gegevens in de categorie ‘afspraken’ verwijderen.",
			English: "From 1 January 2027 other staff may erase the data in the category ‘appointments’.",
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			from := tc.base()
			to := bump(from, tc.change)
			got, err := statement.Diff(from, to)
			if err != nil {
				t.Fatalf("Diff = %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("Diff = %d changes, want %d:\n%s", len(got), len(tc.want), show(got))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("Diff[%d] =\n  %+v\nwant\n  %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func show(cs []statement.Change) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString("  " + string(c.Rule) + " " + c.Dutch + "\n  " + c.English + "\n")
	}
	return b.String()
}

// TestDiffRetentionProperty changes the periods of k random retention rules
// of a ready policy and checks that Diff reports exactly those k changes,
// each with the rule that changed (O16), and nothing when they are put back.
func TestDiffRetentionProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 16))
	for i := 0; i < 200; i++ {
		base := ready()[rng.IntN(3)]
		to := base.Clone()
		to.Version, to.Effective = "2", jan2027
		idx := rng.Perm(len(to.Retention))[:1+rng.IntN(len(to.Retention))]
		want := map[int]bool{}
		for _, j := range idx {
			// Statutory periods are minimums; longer is allowed up to the
			// ceilings (R9, O12, N7: 40 years with a statute, 20 without),
			// so the medical file's 20 years are shortened instead.
			r := &to.Retention[j]
			if y := r.Period.Years; !r.Statutory && y >= 15 {
				r.Period = privacy.Period{Years: y - 1 - rng.IntN(5), Months: rng.IntN(12)}
			} else {
				r.Period = privacy.Period{Years: y + 1 + rng.IntN(5), Months: rng.IntN(12)}
			}
			want[j] = true
		}
		got, err := statement.Diff(base, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: changed %d periods, Diff = %d changes:\n%s", base.Name, len(want), len(got), show(got))
		}
		for _, c := range got {
			if c.Area != statement.AreaRetention || c.Kind != statement.Changed || !strings.Contains(c.English, "goes from") {
				t.Errorf("%s: change %+v is not a period change", base.Name, c)
			}
		}
		back, err := statement.Diff(to, to.Clone())
		if err != nil || len(back) != 0 {
			t.Errorf("Diff(p, p) = %v, %v; want no changes", back, err)
		}
	}
}

func TestDiffErrors(t *testing.T) {
	bad := privacy.Strict()
	bad.MinGroupSize = 1
	for name, pair := range map[string][2]*privacy.Policy{
		"nil_from":    {nil, privacy.Strict()},
		"nil_to":      {privacy.Strict(), nil},
		"invalid_to":  {privacy.Strict(), bad},
		"invalid_old": {bad, privacy.Strict()},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := statement.Diff(pair[0], pair[1]); !errors.Is(err, privacy.ErrInvalid) {
				t.Errorf("Diff = %v, want ErrInvalid", err)
			}
		})
	}
}
