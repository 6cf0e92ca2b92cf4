package export

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/internal/words"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestPageWordsComplete: the page can say in both languages what every
// rule of the catalog is about and name every field of every category
// (rules G1, N9: the rule behind each access, the content of each
// record, in words).
func TestPageWordsComplete(t *testing.T) {
	for _, tx := range []*texts{dutchTexts, englishTexts} {
		ids := []privacy.RuleID{privacy.RuleDefaultDeny}
		for _, r := range privacy.Rules() {
			ids = append(ids, r.ID)
			if tx.ruleSource(r.ID) == "" {
				t.Errorf("%s: no name for the source %q of rule %s", tx.lang, r.Source, r.ID)
			}
		}
		for _, id := range ids {
			if tx.ruleText(id) == "" {
				t.Errorf("%s: rule %s is not said in words", tx.lang, id)
			}
		}
		for _, c := range privacy.Categories() {
			info, _ := c.Info()
			for _, f := range info.Fields {
				if _, ok := words.Lookup(string(tx.lang), "field", string(f)); !ok {
					t.Errorf("%s: field %s of %s has no name", tx.lang, f, c)
				}
			}
		}
	}
	if len(dutchRules) != len(privacy.Rules())+2 {
		t.Errorf("the Dutch rule texts hold %d entries, the catalog %d rules, the default refusal and GDPR art. 18", len(dutchRules), len(privacy.Rules()))
	}
	for _, id := range []privacy.RuleID{privacy.RuleDefaultDeny, privacy.RuleRestriction} {
		if dutchRules[id] == "" || englishRules()[id] == "" {
			t.Errorf("rule %s has no words in Dutch or English", id)
		}
	}
}

// TestPlural: one and more, in both languages.
func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		tx   *texts
		n    int
		noun string
		want string
	}{
		{englishTexts, 1, "case", "1 case"}, {englishTexts, 2, "case", "2 cases"}, {englishTexts, 0, "record", "0 records"},
		{englishTexts, 1, "time", "once"}, {englishTexts, 3, "time", "3 times"}, {englishTexts, 1, "event", "1 event"},
		{dutchTexts, 1, "case", "1 dossier"}, {dutchTexts, 2, "case", "2 dossiers"}, {dutchTexts, 1, "record", "1 gegeven"},
		{dutchTexts, 5, "record", "5 gegevens"}, {dutchTexts, 1, "time", "1 keer"}, {dutchTexts, 4, "time", "4 keer"},
		{dutchTexts, 1, "event", "1 gebeurtenis"}, {dutchTexts, 2, "row", "2 rijen"},
	} {
		if got := tc.tx.plural(tc.n, tc.noun); got != tc.want {
			t.Errorf("%s: plural(%d, %s) = %q, want %q", tc.tx.lang, tc.n, tc.noun, got, tc.want)
		}
	}
}

// TestPageColumnWidths: every share of a table's width that a column head
// asks for has its class in the style sheet, every table's shares add up
// to the whole, and the style sheet has no class for a share no column
// asks for.
func TestPageColumnWidths(t *testing.T) {
	head := regexp.MustCompile(`<thead><tr>((?:\{\{th "\w+" \d+\}\})+)</tr></thead>`)
	share := regexp.MustCompile(`\{\{th "\w+" (\d+)\}\}`)
	heads := head.FindAllStringSubmatch(pageTemplates, -1)
	if len(heads) < 10 {
		t.Fatalf("found %d table heads in the templates", len(heads))
	}
	for _, h := range heads {
		total := 0
		for _, m := range share.FindAllStringSubmatch(h[1], -1) {
			n, _ := strconv.Atoi(m[1])
			total += n
			if !strings.Contains(pageStyle, fmt.Sprintf(".w%d{width:%d%%}", n, n)) {
				t.Errorf("the style sheet has no class w%d", n)
			}
		}
		if total != 100 {
			t.Errorf("the columns of %s take %d%% of the table", h[1], total)
		}
	}
	for _, m := range regexp.MustCompile(`\.w(\d+)\{`).FindAllStringSubmatch(pageStyle, -1) {
		if !strings.Contains(pageTemplates, " "+m[1]+"}}") {
			t.Errorf("the style sheet's class w%s is not used", m[1])
		}
	}
}
