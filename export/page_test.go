package export_test

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

var (
	accessLogRE = regexp.MustCompile(`(?s)<table class="stack" id="access-log">.*?</table>`)
	rowRE       = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRE      = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
)

// accessRows returns the rows of the page's access log, each as the
// visible text of its cells.
func accessRows(tb testing.TB, page string) [][]string {
	tb.Helper()
	table := accessLogRE.FindString(page)
	if table == "" {
		tb.Fatalf("the page has no access log")
	}
	var rows [][]string
	for _, r := range rowRE.FindAllStringSubmatch(table, -1) {
		var cells []string
		for _, c := range cellRE.FindAllStringSubmatch(r[1], -1) {
			cells = append(cells, strings.TrimSpace(domText(c[1])))
		}
		if len(cells) > 0 {
			rows = append(rows, cells)
		}
	}
	return rows
}

// TestExportHTMLAccessLog: the page's access log (rule N9: the subject may
// ask who accessed their data) is grouped, titled for what it holds, and
// explains each rule in words, in the reader's language.
func TestExportHTMLAccessLog(t *testing.T) {
	w := newWorld(t, nil)
	read := privacy.Event{Principal: carla, Role: privacy.RoleCaseManager, Subject: anna, Case: annaCase,
		Category: privacy.CategoryNotes, Object: "rec-note", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed,
		Rule: privacy.R7, Policy: "1.0.0"}
	var evs []privacy.Event
	for _, h := range []int{5, 7, 6} {
		e := read
		e.Time = t0.Add(time.Duration(h) * time.Hour)
		evs = append(evs, e)
	}
	denied := read
	denied.Time, denied.Outcome, denied.Rule = t0.Add(8*time.Hour), privacy.OutcomeDenied, privacy.RuleDefaultDeny
	nextDay := read
	nextDay.Time = t0.Add(30 * time.Hour)
	if _, err := w.Store.AppendEvents(w.Ctx, append(evs, denied, nextDay)...); err != nil {
		t.Fatal(err)
	}
	// The world's own: the physician's read and the employer's refused
	// read of the medical record; one event of someone else's.
	t.Run("N9_identical_events_are_one_row", func(t *testing.T) {
		rows := accessRows(t, w.Page(t, anna, export.English))
		// Carla's reads of the note: the 3 equal reads and the next day's
		// as one row, the refusal another (the world's own writes, audited
		// too, are rows of their own).
		var carlas [][]string
		for _, r := range rows {
			if strings.Contains(r[1], string(carla)) && strings.HasPrefix(r[2], "read: notes") {
				carlas = append(carlas, r)
			}
		}
		if len(carlas) != 2 {
			t.Fatalf("carla has %d rows, want 2 (reads, refusal): %q", len(carlas), carlas)
		}
		reads, refusal := carlas[0], carlas[1]
		if want := "2 March 2026, 15:00 – 3 March 2026, 16:00"; reads[0] != want {
			t.Errorf("the reads' time is %q, want the first and the last: %q", reads[0], want)
		}
		if reads[4] != "4 times" {
			t.Errorf("the reads' count is %q, want 4 times", reads[4])
		}
		if refusal[0] != "2 March 2026, 18:00" || refusal[4] != "once" {
			t.Errorf("the refusal reads %q, %q; want one time, once", refusal[0], refusal[4])
		}
		for _, want := range []string{"read: notes", "case-anna-absence · rec-note"} {
			if !strings.Contains(reads[2], want) {
				t.Errorf("the reads' data %q lacks %q", reads[2], want)
			}
		}
	})
	t.Run("N9_same_minute_on_one_day", func(t *testing.T) {
		w := newWorld(t, nil)
		a, b := read, read
		a.Time, b.Time = t0.Add(5*time.Hour), t0.Add(5*time.Hour+20*time.Minute)
		if _, err := w.Store.AppendEvents(w.Ctx, a, b); err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, r := range accessRows(t, w.Page(t, anna, export.Dutch)) {
			if !strings.HasPrefix(r[0], "2 maart 2026, 15:") {
				continue // the world's own events
			}
			found++
			if r[0] != "2 maart 2026, 15:00–15:20" || r[4] != "2 keer" {
				t.Errorf("two reads on one day read %q, %q; want 2 maart 2026, 15:00–15:20, 2 keer", r[0], r[4])
			}
		}
		if found != 1 {
			t.Errorf("the two reads on one day are %d rows, want 1", found)
		}
	})
	for _, tc := range []struct {
		lang                        export.Lang
		title, rule, deny, count    string
		allowed, denied, onBehalfOf string
	}{
		{export.English, "Who accessed, changed or tried to access your data",
			"R7: only the assigned labour expert or consultant has access", "no rule: anything not allowed by a rule is refused",
			"In all %d events, in %d rows.", "allowed", "denied", "employer contact, on behalf of employer-bakery"},
		{export.Dutch, "Wie uw gegevens heeft ingezien of gewijzigd, of dat heeft geprobeerd",
			"R7: alleen de toegewezen arbeidsdeskundige of consulent heeft toegang", "geen regel: wat geen regel toestaat, wordt geweigerd",
			"In totaal %d gebeurtenissen, in %d rijen.", "toegestaan", "geweigerd", "werkgever, namens employer-bakery"},
	} {
		t.Run("N9_in_words_"+string(tc.lang), func(t *testing.T) {
			page := w.Page(t, anna, tc.lang)
			if !strings.Contains(page, "<h2>"+tc.title+"</h2>") {
				t.Errorf("the access log is not titled %q", tc.title)
			}
			text := domText(page)
			count := fmt.Sprintf(tc.count, w.SubjectEvents(t, anna), len(accessRows(t, page)))
			for _, want := range []string{count, tc.onBehalfOf} {
				if !strings.Contains(text, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			for _, want := range []string{tc.rule, tc.deny} {
				if name, said, _ := strings.Cut(want, ": "); !strings.Contains(page, ">"+name+"</a>: "+said) {
					t.Errorf("the access log does not say %q", want)
				}
			}
			for _, r := range accessRows(t, page) {
				if !strings.HasPrefix(r[3], tc.allowed+" ") && !strings.HasPrefix(r[3], tc.denied+" ") {
					t.Errorf("the outcome %q does not start with the outcome in words", r[3])
				}
				if !strings.Contains(r[3], ": ") {
					t.Errorf("the outcome %q does not say what its rule is about", r[3])
				}
			}
		})
	}
	t.Run("N9_a_long_log_in_batches", func(t *testing.T) {
		// More distinct rows than the page holds at once: all are
		// written, and every event is counted.
		w := newWorld(t, nil)
		before := len(accessRows(t, w.Page(t, anna, export.English)))
		const n = 4100
		evs := make([]privacy.Event, 0, n+1)
		for i := range n {
			e := read
			e.Time, e.Object = t0.Add(time.Duration(5*60+i)*time.Minute), fmt.Sprintf("obj-%d", i)
			evs = append(evs, e)
		}
		evs = append(evs, evs[0]) // a repeat of the first, after the first batch
		evs[n].Time = t0.Add(100 * time.Hour)
		if _, err := w.Store.AppendEvents(w.Ctx, evs...); err != nil {
			t.Fatal(err)
		}
		page := w.Page(t, anna, export.English)
		rows := accessRows(t, page)
		// Every new event is a row of its own — n distinct objects, and
		// the repeat of the first, which falls in a later batch — beside
		// the rows of the world and of the pages (each an audited export);
		// and the page counts every event of the trail and every row.
		if len(rows) < before+n+1 {
			t.Errorf("the access log has %d rows, want at least %d", len(rows), before+n+1)
		}
		if want := fmt.Sprintf("In all %d events, in %d rows.", w.SubjectEvents(t, anna), len(rows)); !strings.Contains(page, want) {
			t.Errorf("the page does not say %q", want)
		}
	})
}

// TestExportHTMLPlurals: counts on the page read right in both languages
// (rules G1, N9).
func TestExportHTMLPlurals(t *testing.T) {
	w := newWorld(t, nil)
	for _, tc := range []struct {
		lang       export.Lang
		want, nots []string
	}{
		{export.English, []string{"In all: 1 case, 5 records, of which 1 medical", "once", "has received, once"},
			[]string{"1 cases", "1 records", "1 events", "1 rows", "1 times", "1×"}},
		{export.Dutch, []string{"Totaal: 1 dossier, 5 gegevens, waarvan 1 medisch", "1 keer", "heeft ontvangen, 1 keer"},
			[]string{"1 dossiers", "1 gegevens", "1 gebeurtenissen", "1 rijen", "1×"}},
	} {
		t.Run("G1_"+string(tc.lang), func(t *testing.T) {
			text := domText(w.Page(t, anna, tc.lang))
			for _, s := range tc.want {
				if !strings.Contains(text, s) {
					t.Errorf("the page lacks %q", s)
				}
			}
			for _, s := range tc.nots {
				// "1 events", not "21 events": a number that is 1.
				if regexp.MustCompile(`(^|[^0-9])` + regexp.QuoteMeta(s)).MatchString(text) {
					t.Errorf("the page says %q", s)
				}
			}
			if !regexp.MustCompile(`In (all|totaal) \d+ (events|gebeurtenissen), in \d+ (rows|rijen)\.`).MatchString(text) {
				t.Errorf("the page does not count the access log's events and rows")
			}
		})
	}
}

// TestExportHTMLFieldsInReadersOrder: a record's fields are shown in the
// order of its category in the taxonomy, with their names in the page's
// language, never as stored IDs.
func TestExportHTMLFieldsInReadersOrder(t *testing.T) {
	w := newWorld(t, nil)
	r := privacy.Record{ID: "rec-person", Case: annaCase, Category: privacy.CategoryIdentity, Author: carla,
		Source: privacy.Source{Kind: privacy.PartyService}, Created: t0.Add(time.Hour),
		Fields: map[privacy.Field]string{privacy.FieldNationality: "Nederlandse", privacy.FieldCity: "Utrecht",
			privacy.FieldDateOfBirth: "1984-07-21", privacy.FieldName: "Anna de Vries", privacy.FieldPostcode: "3581 AB"}}
	if err := w.Dossiers.AddRecord(w.Ctx, deskAct(r.Created), r); err != nil {
		t.Fatal(err)
	}
	rowOf := regexp.MustCompile(`(?s)<tr id="record-rec-person">.*?</tr>`)
	dtRE := regexp.MustCompile(`<dt>([^<]*)</dt>`)
	for _, tc := range []struct {
		lang export.Lang
		want []string
	}{
		{export.English, []string{"name", "postcode", "city", "date of birth", "nationality"}},
		{export.Dutch, []string{"naam", "postcode", "woonplaats", "geboortedatum", "nationaliteit"}},
	} {
		t.Run("G1_"+string(tc.lang), func(t *testing.T) {
			row := rowOf.FindString(w.Page(t, anna, tc.lang))
			var got []string
			for _, m := range dtRE.FindAllStringSubmatch(row, -1) {
				got = append(got, m[1])
			}
			if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
				t.Errorf("the fields read %q, want %q", got, tc.want)
			}
		})
	}
}

// TestExportHTMLNoEmptyTables: a part without entries says so in a
// sentence; the page has no table with only its head (rules G1, N9).
func TestExportHTMLNoEmptyTables(t *testing.T) {
	w := newWorld(t, nil)
	w.Sources.Consents, w.Sources.Disclosures = nil, nil
	bob := privacy.SubjectID("employee-bob")
	w.Sources.Quiet = map[privacy.SubjectID]bool{bob: true}
	s, err := privacy.NewSubject(bob, "employer-bakery", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Dossiers.CreateSubject(w.Ctx, deskAct(t0), s); err != nil {
		t.Fatal(err)
	}
	c, err := privacy.NewCase("case-bob", bob, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Dossiers.OpenCase(w.Ctx, deskAct(c.Opened), c); err != nil {
		t.Fatal(err)
	}
	tables := regexp.MustCompile(`(?s)<table[^>]*>.*?</table>`)
	withRow := regexp.MustCompile(`(?s)<tbody>\s*<tr`)
	for _, tc := range []struct {
		lang export.Lang
		want []string
	}{
		{export.English, []string{"No records in this case.", "You have not given or withdrawn any consent.",
			"None of your data was disclosed to others.", "Nobody has accessed or changed your data.", "You have made no requests.",
			"We hold no data about you.", "We hold no data about you, so it has no sources."}},
		{export.Dutch, []string{"Geen gegevens in dit dossier.", "U heeft geen toestemming gegeven of ingetrokken.",
			"Er zijn geen gegevens van u aan anderen verstrekt.", "Niemand heeft uw gegevens ingezien of gewijzigd.",
			"U heeft geen verzoeken gedaan.", "Wij bewaren geen gegevens over u.", "Wij bewaren geen gegevens over u, en dus ook geen herkomst."}},
	} {
		t.Run("G1_"+string(tc.lang), func(t *testing.T) {
			page := w.Page(t, bob, tc.lang)
			for _, tb := range tables.FindAllString(page, -1) {
				if !withRow.MatchString(tb) {
					t.Errorf("a table has no rows: %.200s", tb)
				}
			}
			text := domText(page)
			for _, s := range tc.want {
				if !strings.Contains(text, s) {
					t.Errorf("the page lacks %q", s)
				}
			}
		})
	}
}

// TestExportHTMLRulesExplained: every rule the page names links to the
// page's list of rules, where it is said in words in the page's language
// (rules G1, N9).
func TestExportHTMLRulesExplained(t *testing.T) {
	w := newWorld(t, nil)
	w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
	refRE := regexp.MustCompile(`href="#rule-([^"]+)"`)
	defRE := regexp.MustCompile(`<dt id="rule-([^"]+)">[^<]+</dt><dd>([^<]*)`)
	for _, lang := range []export.Lang{export.English, export.Dutch} {
		t.Run("G1_"+string(lang), func(t *testing.T) {
			page := w.Page(t, anna, lang)
			defs := map[string]string{}
			for _, m := range defRE.FindAllStringSubmatch(page, -1) {
				defs[m[1]] = m[2]
			}
			refs := refRE.FindAllStringSubmatch(page, -1)
			if len(refs) == 0 {
				t.Fatal("the page names no rule")
			}
			for _, m := range refs {
				if strings.TrimSpace(defs[m[1]]) == "" {
					t.Errorf("rule %s is named but not explained", m[1])
				}
			}
			for _, id := range []string{"O13", "O6", "N9"} {
				if defs[id] == "" {
					t.Errorf("rule %s is cited in the page's text or log but not in its list of rules", id)
				}
			}
		})
	}
}

// TestExportHTMLSelfContained: the page loads nothing and runs nothing:
// its content security policy allows only its own style sheet, whose hash
// it names.
func TestExportHTMLSelfContained(t *testing.T) {
	w := newWorld(t, nil)
	for _, lang := range []export.Lang{export.English, export.Dutch} {
		page := w.Page(t, anna, lang)
		style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
		if style == nil {
			t.Fatalf("%s: no style sheet", lang)
		}
		sum := sha256.Sum256([]byte(style[1]))
		want := "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
		meta := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(page)
		if meta == nil || html.UnescapeString(meta[1]) != want {
			t.Errorf("%s: the page's policy is %q, want %q", lang, meta, want)
		}
		for _, s := range []string{"<script", "<link", " src=", "@import", "url(", "<img", "<iframe", " style="} {
			if strings.Contains(page, s) {
				t.Errorf("%s: the page holds %q", lang, s)
			}
		}
	}
}
