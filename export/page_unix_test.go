//go:build unix

package export_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// bigWorld is the test world with what a long reintegration leaves
// behind: a second case with 60 records, long values (a note of several
// paragraphs, an address, an e-mail address and a link without a space to
// break at, IDs of 100 characters), a dozen disclosures and consents, three
// requests and 600 audit events by a dozen people, most of them repeats.
func bigWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t, nil)
	long := strings.Repeat("x", 90)
	reCase := privacy.CaseID("case-anna-reintegration-" + long[:40])
	c, err := privacy.NewCase(reCase, anna, privacy.CaseReintegration, privacy.PurposeReintegration, contract, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Dossiers.OpenCase(w.Ctx, deskAct(c.Opened), c); err != nil {
		t.Fatal(err)
	}
	fromService := privacy.Source{Kind: privacy.PartyService}
	consultant := privacy.PrincipalID("external-reintegration-consultant-" + long[:60])
	para := "Tijdens het gesprek op de werkplek is uitgebreid gesproken over de opbouw van de uren, de taken die " +
		"Anna nu al kan doen en de aanpassingen die de werkgever aan de werkplek kan doen. "
	values := map[privacy.Category]map[privacy.Field]string{
		privacy.CategoryIdentity: {privacy.FieldName: "Anna Maria Johanna de Vries-van der Heijden-Oosterhuis",
			privacy.FieldAddress: "Burgemeester van Roijensingel 124 bis, derde verdieping achter", privacy.FieldPostcode: "3581 AB",
			privacy.FieldCity: "Utrecht", privacy.FieldDateOfBirth: "1984-07-21", privacy.FieldGender: "vrouw", privacy.FieldNationality: "Nederlandse"},
		privacy.CategoryContact: {privacy.FieldPhone: "+31 6 12 34 56 78",
			privacy.FieldEmail: "anna.maria.johanna.devries-vanderheijden-oosterhuis@een-heel-lang-domein-zonder-spaties.example"},
		privacy.CategoryNotes:       {privacy.FieldText: strings.Repeat(para, 6) + "\n\nZie ook https://dossier.example/reintegratie/" + long + long + "/verslag"},
		privacy.CategoryAppointment: {privacy.FieldWhen: "2026-03-10 14:00", privacy.FieldWhere: "Kantoor Utrecht, spreekkamer 3", privacy.FieldWith: string(consultant)},
		privacy.CategoryWorkCapacity: {privacy.FieldLimitations: "geen tillen boven 5 kg; niet langer dan 30 minuten staan",
			privacy.FieldCapacities: "administratief werk, telefoon, kassa", privacy.FieldAdjustments: "sta-zittafel, kortere diensten",
			privacy.FieldIncapacityDegree: "35%", privacy.FieldExpectedDuration: "12 weken"},
		privacy.CategoryAbsenceFacts: {privacy.FieldFirstDay: "2026-03-02", privacy.FieldBuildUp: strings.Repeat("week 1: 2 × 2 uur; ", 8),
			privacy.FieldPlanOfAction: "plan van aanpak vastgesteld op 2026-04-27", privacy.FieldReachableAt: "thuisadres"},
	}
	cats := []privacy.Category{privacy.CategoryNotes, privacy.CategoryAppointment, privacy.CategoryWorkCapacity,
		privacy.CategoryAbsenceFacts, privacy.CategoryIdentity, privacy.CategoryContact}
	var recs []privacy.Record
	for i := range 60 {
		cat := cats[i%len(cats)]
		id := privacy.RecordID(fmt.Sprintf("rec-%02d-%s", i, long[:i%3*40]))
		recs = append(recs, privacy.Record{ID: id, Case: reCase, Category: cat, Author: consultant, Source: fromService,
			Created: t0.Add(time.Duration(24+i) * time.Hour), Fields: values[cat]})
		w.Sources.Retention[id] = export.Retention{Rule: privacy.R9, Period: privacy.Years(7), Trigger: privacy.TriggerCaseClosed,
			Statutory: true, Citation: "Algemene wet inzake rijksbelastingen art. 52(4)", Reason: "fiscal retention duty"}
	}
	if err := w.Dossiers.AddRecords(w.Ctx, deskAct(t0.Add(90*24*time.Hour)), recs...); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		w.Sources.Disclosures = append(w.Sources.Disclosures, export.Disclosure{ID: fmt.Sprintf("dis-re-%d", i),
			Time: t0.Add(time.Duration(48+i) * time.Hour), Recipient: "reintegration-company-" + privacy.PartyID(long[:50]),
			RecipientKind: privacy.PartyReintegrationCompany, Case: reCase,
			Categories: []privacy.Category{privacy.CategoryWorkCapacity, privacy.CategoryAppointment, privacy.CategoryIdentity},
			Basis:      privacy.BasisWrittenConsent, Rule: privacy.O14, By: carla})
		w.Sources.Consents = append(w.Sources.Consents, export.Consent{ID: fmt.Sprintf("grant-re-%d", i),
			Recipient: "reintegration-company-" + privacy.PartyID(long[:50]), RecipientKind: privacy.PartyReintegrationCompany,
			Case: reCase, Categories: []privacy.Category{privacy.CategoryWorkCapacity, privacy.CategoryAppointment},
			Written: true, Document: "doc-consent-re", Granted: t0.Add(time.Duration(30+i) * time.Hour), Rule: privacy.O14})
	}
	people := []struct {
		id     privacy.PrincipalID
		role   privacy.Role
		behalf privacy.PartyID
	}{
		{carla, privacy.RoleCaseManager, ""}, {consultant, privacy.RoleCaseManager, "reintegration-company-" + privacy.PartyID(long[:50])},
		{physician.ID, privacy.RolePhysician, ""}, {"employer-contact-bert", privacy.RoleEmployerContact, "employer-bakery"},
		{"support-staff-sanne", privacy.RoleSupportStaff, ""}, {"insurer-ida", privacy.RoleInsurer, "insurer-verzekerd"},
	}
	actions := []privacy.EventAction{privacy.EventRead, privacy.EventRead, privacy.EventRead, privacy.EventUpdate,
		privacy.EventCreate, privacy.EventSearch, privacy.EventExecute}
	var events []privacy.Event
	for i := range 600 {
		p := people[i%len(people)]
		r := recs[(i/7)%12]
		e := privacy.Event{Time: t0.Add(time.Duration(24*60+i*37) * time.Minute), Principal: p.id, Role: p.role, OnBehalfOf: p.behalf,
			Subject: anna, Case: reCase, Category: r.Category, Object: string(r.ID), Action: actions[i%len(actions)],
			Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"}
		switch {
		case p.role == privacy.RoleEmployerContact:
			e.Outcome, e.Rule = privacy.OutcomeDenied, privacy.O4
		case p.role == privacy.RoleInsurer:
			e.Outcome, e.Rule, e.Object = privacy.OutcomeDenied, privacy.RuleDefaultDeny, ""
		case e.Action == privacy.EventSearch:
			e.Object, e.Category = "cases", ""
		}
		events = append(events, e)
	}
	if _, err := w.Store.AppendEvents(w.Ctx, events...); err != nil {
		t.Fatal(err)
	}
	w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
	w.File(t, rights.Filing{ID: "req-2", Kind: rights.KindRectification, Received: t0.Add(24 * time.Hour)})
	w.File(t, rights.Filing{ID: "req-3", Kind: rights.KindCopy, Form: rights.FormOral, Received: t0.Add(48 * time.Hour)})
	return w
}

// pageCheck is what the page's layout check finds.
type pageCheck struct {
	Width       float64  `json:"width"`       // the limit checked against
	ScrollWidth float64  `json:"scrollWidth"` // of the document
	Over        []string `json:"over"`        // elements outside [0, width]
	Clipped     []string `json:"clipped"`     // boxes whose content is wider than they are
	Resources   int      `json:"resources"`   // anything the page loaded
	Cards       bool     `json:"cards"`       // table rows laid out as cards
}

// layoutJS checks the page against a width: the document does not scroll
// sideways, no visible element reaches past the width or left of 0, and
// no cell, term or description holds content wider than itself (cut off
// or running into its neighbour). Visually hidden elements (the card
// layout's table heads) are left out.
const layoutJS = `((limit) => {
	const hidden = el => {
		for (let a = el; a && a !== document.body; a = a.parentElement) {
			const cs = getComputedStyle(a);
			if (cs.display === 'none' || cs.visibility === 'hidden') return true;
			if (cs.overflow !== 'visible' && a.getBoundingClientRect().width <= 1) return true;
		}
		return false;
	};
	const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 50) + '"';
	const out = {width: limit, scrollWidth: document.documentElement.scrollWidth, over: [], clipped: [],
		resources: performance.getEntriesByType('resource').length,
		cards: false};
	const row = document.querySelector('table.stack tbody tr');
	if (row) out.cards = getComputedStyle(row).display === 'block';
	for (const el of document.body.querySelectorAll('*')) {
		const r = el.getBoundingClientRect();
		if ((r.width === 0 && r.height === 0) || hidden(el)) continue;
		if (r.right > limit + 0.5 || r.left < -0.5) out.over.push(name(el) + ' spans ' + Math.round(r.left) + '–' + Math.round(r.right));
		if (/^(TD|TH|DD|DT|P|LI|H1|H2|H3)$/.test(el.tagName) && el.scrollWidth > el.clientWidth + 1)
			out.clipped.push(name(el) + ' holds ' + el.scrollWidth + 'px in ' + el.clientWidth + 'px');
	}
	return out;
})`

// printWidthJS reads the page's @page rule and gives the width of the
// printed area in CSS pixels: the paper's width less the side margins.
const printWidthJS = `(() => {
	const mm = v => { const m = /^([\d.]+)mm$/.exec(v); return m ? parseFloat(m[1]) * 96 / 25.4 : NaN; };
	for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) {
		if (!(rule instanceof CSSPageRule)) continue;
		const size = rule.style.getPropertyValue('size');
		if (size.toUpperCase() !== 'A4') return {size, width: NaN};
		return {size: 'A4', width: 210 * 96 / 25.4 - mm(rule.style.getPropertyValue('margin-left')) - mm(rule.style.getPropertyValue('margin-right'))};
	}
	return {size: '', width: NaN};
})()`

var mediaBoxRE = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`)

// TestExportPageInChromium renders a large, realistic export in headless
// Chromium, in Dutch and in English, and checks that it reads on a phone,
// on a desktop and on paper, and that axe-core finds no accessibility
// problem (rules G1, N9: the page the subject receives):
//
//   - at 390 CSS pixels (a phone), 800, 1000 and 1280 the document is no
//     wider than the window, no element reaches past it, no cell's content
//     runs out of its cell (a column head's words included), and below
//     60rem the tables become cards;
//   - printed (print media, the width of A4 within the page's margins)
//     likewise: no cell is cut off at the right edge of the paper; the
//     PDF Chromium prints has A4 pages;
//   - the page loads nothing: no resource, every style its own;
//   - axe-core 4.14.1 (testdata/axe-core) reports no violation, on the
//     phone and on the desktop.
//
// With DOSSIERWACHT_SCREENSHOTS=dir the screenshots and the PDF are
// written to dir, to be looked at.
func TestExportPageInChromium(t *testing.T) {
	bin := chromium(t)
	axeJS, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	w := bigWorld(t)
	dir := t.TempDir()
	shots := os.Getenv("DOSSIERWACHT_SCREENSHOTS")
	b := startBrowser(t, bin, dir)
	t.Run("axe_catches_a_bad_page", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.html")
		if err := os.WriteFile(bad, []byte(`<!DOCTYPE html><html><body><p style="color:#ccc">low contrast</p><img src="data:,"></body></html>`), 0o600); err != nil {
			t.Fatal(err)
		}
		p := b.newTab(t)
		p.open("file://" + bad)
		vs := strings.Join(p.axe(string(axeJS)), "\n")
		for _, id := range []string{"html-has-lang", "image-alt", "color-contrast"} {
			if !strings.Contains(vs, id+" (") {
				t.Errorf("axe-core does not report %s on a page that has it; it reports:\n%s", id, vs)
			}
		}
	})
	for _, lang := range []export.Lang{export.Dutch, export.English} {
		t.Run("G1_N9_"+string(lang), func(t *testing.T) {
			var page bytes.Buffer
			tot, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0.Add(30*24*time.Hour)), &page, anna,
				&rights.ExportOptions{Format: export.FormatHTML, Lang: lang, Request: "req-1"})
			if err != nil {
				t.Fatal(err)
			}
			if tot.Records < 60 || tot.AccessEvents < 600 {
				t.Fatalf("the export is not large: %+v", tot)
			}
			path := filepath.Join(dir, "export."+string(lang)+".html")
			if err := os.WriteFile(path, page.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			p := b.newTab(t)
			for _, v := range []struct {
				name          string
				width, height int
				mobile, cards bool
			}{{"phone", 390, 844, true, true}, {"tablet", 800, 1000, false, true}, {"laptop", 1000, 800, false, false},
				{"desktop", 1280, 900, false, false}} {
				p.view(v.width, v.height, v.mobile, "")
				p.open("file://" + path)
				var c pageCheck
				p.eval(fmt.Sprintf("%s(%d)", layoutJS, v.width), &c)
				checkLayout(t, v.name, c)
				if c.Cards != v.cards {
					t.Errorf("%s: tables laid out as cards = %v, want %v", v.name, c.Cards, v.cards)
				}
				if shots != "" {
					p.screenshots(shots, fmt.Sprintf("export-%s-%s", lang, v.name), v.width, v.mobile)
				}
				if vs := p.axe(string(axeJS)); len(vs) > 0 {
					t.Errorf("%s: axe-core finds %d violations:\n%s", v.name, len(vs), strings.Join(vs, "\n"))
				}
			}

			// Paper: print media at the width of the page's printed area.
			p.view(1280, 900, false, "print")
			p.open("file://" + path)
			var pw struct {
				Size  string
				Width float64
			}
			p.eval(printWidthJS, &pw)
			if pw.Size != "A4" || math.IsNaN(pw.Width) || pw.Width < 500 {
				t.Fatalf("the page has no @page rule for A4 with margins in mm: size %q, printed width %v", pw.Size, pw.Width)
			}
			width := int(math.Floor(pw.Width))
			p.view(width, 1123, false, "print")
			var c pageCheck
			p.eval(fmt.Sprintf("%s(%d)", layoutJS, width), &c)
			checkLayout(t, "print", c)
			pdf := p.pdf()
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("printing gave no PDF")
			}
			boxes := mediaBoxRE.FindAllSubmatch(pdf, -1)
			if len(boxes) < 2 {
				t.Errorf("the printed page has %d pages, want several", len(boxes))
			}
			for _, m := range boxes {
				// A4 is 595.28 × 841.89 points.
				pw, _ := strconv.ParseFloat(string(m[1]), 64)
				ph, _ := strconv.ParseFloat(string(m[2]), 64)
				if math.Abs(pw-595.28) > 1 || math.Abs(ph-841.89) > 1 {
					t.Errorf("a printed page is %s × %s points, want A4 (595 × 842)", m[1], m[2])
					break
				}
			}
			if shots != "" {
				if err := os.WriteFile(filepath.Join(shots, "export-"+string(lang)+".pdf"), pdf, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func checkLayout(t *testing.T, view string, c pageCheck) {
	t.Helper()
	if c.ScrollWidth > c.Width {
		t.Errorf("%s: the page is %v px wide in a width of %v: it scrolls sideways", view, c.ScrollWidth, c.Width)
	}
	for i, s := range c.Over {
		if i == 10 {
			t.Errorf("%s: … and %d more", view, len(c.Over)-10)
			break
		}
		t.Errorf("%s: past the edge (%v px): %s", view, c.Width, s)
	}
	for i, s := range c.Clipped {
		if i == 10 {
			t.Errorf("%s: … and %d more", view, len(c.Clipped)-10)
			break
		}
		t.Errorf("%s: content wider than its box: %s", view, s)
	}
	if c.Resources != 0 {
		t.Errorf("%s: the page loaded %d resources, want none: it is self-contained", view, c.Resources)
	}
}
