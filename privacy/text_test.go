package privacy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestTextIn: a text in the asked language, or the other one when the
// policy has only that.
func TestTextIn(t *testing.T) {
	for _, tc := range []struct {
		t        privacy.Text
		lang     string
		want     string
		why      string
		wantZero bool
	}{
		{privacy.Text{NL: "de dienst", EN: "the service"}, "nl", "de dienst", "Dutch", false},
		{privacy.Text{NL: "de dienst", EN: "the service"}, "en", "the service", "English", false},
		{privacy.Text{EN: "the service"}, "nl", "the service", "no Dutch: the English", false},
		{privacy.Text{NL: "de dienst"}, "en", "de dienst", "no English: the Dutch", false},
		{privacy.Text{}, "nl", "", "empty", true},
	} {
		if got := tc.t.In(tc.lang); got != tc.want || tc.t.IsZero() != tc.wantZero {
			t.Errorf("%+v.In(%s) = %q (zero %t), want %q (zero %t): %s", tc.t, tc.lang, got, tc.t.IsZero(), tc.want, tc.wantZero, tc.why)
		}
	}
}

// TestPolicyTexts: every ready policy has its human texts in both
// languages, and they survive the JSON form; a policy without the Dutch
// fields (written before they existed) still decodes.
func TestPolicyTexts(t *testing.T) {
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		texts := []privacy.Text{p.TitleText(), p.ControllerText(), p.Contact, p.DPO}
		if p.Processor != "" {
			texts = append(texts, p.ProcessorText())
		}
		for _, pr := range p.Purposes {
			texts = append(texts, pr.ReasonText(), pr.Basis)
		}
		for _, r := range p.Retention {
			texts = append(texts, r.ReasonText())
		}
		for _, l := range p.LegalBases {
			texts = append(texts, l.ReasonText())
		}
		for _, d := range p.Disclosures {
			texts = append(texts, d.ReasonText())
		}
		for i, x := range texts {
			if x.NL == "" || x.EN == "" || x.NL == x.EN {
				t.Errorf("%s: text %d is not in both languages: %+v", p.Name, i, x)
			}
		}
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		q, err := privacy.DecodePolicy(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if q.TitleNL != p.TitleNL || q.DPO != p.DPO || q.Purposes[0].Basis != p.Purposes[0].Basis || q.Retention[0].ReasonNL != p.Retention[0].ReasonNL {
			t.Errorf("%s: the Dutch texts did not survive the JSON form", p.Name)
		}
	}
	// The JSON form of a Text, and strict decoding of it.
	b, err := json.Marshal(privacy.Text{NL: "a", EN: "b"})
	if err != nil || string(b) != `{"nl":"a","en":"b"}` {
		t.Errorf("json.Marshal(Text) = %s, %v", b, err)
	}
	var buf bytes.Buffer
	if err := privacy.RegulationO().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(buf.String(), `"dpo": {`, `"dpo": {"de": "x",`, 1)
	if _, err := privacy.DecodePolicy(strings.NewReader(bad)); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("DecodePolicy(an unknown language in a text) = %v, want ErrInvalid", err)
	}
	// Without the Dutch fields and the new texts: still a valid policy.
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"title_nl", "controller_nl", "processor_nl", "contact", "dpo"} {
		delete(m, k)
	}
	old, _ := json.Marshal(m)
	p, err := privacy.DecodePolicy(bytes.NewReader(old))
	if err != nil {
		t.Fatalf("DecodePolicy(without the Dutch fields) = %v", err)
	}
	if p.TitleText().In("nl") != p.Title || !p.DPO.IsZero() {
		t.Errorf("a policy without Dutch texts renders %q in Dutch, DPO %+v", p.TitleText().In("nl"), p.DPO)
	}
}

// TestLegalBasisPurposes: a legal basis may name only purposes of its
// policy (rule R5), and Covers follows them.
func TestLegalBasisPurposes(t *testing.T) {
	p := privacy.RegulationR()
	p.LegalBases[0].Purposes = []privacy.Purpose{privacy.PurposePrevention}
	err := p.Validate()
	if !errors.Is(err, privacy.ErrInvalid) || privacy.RuleOf(err) != privacy.R5 || !strings.Contains(err.Error(), "legal_bases[0].purposes[0]") {
		t.Errorf("Validate(basis for a purpose the policy lacks) = %v, want ErrInvalid, rule R5, path legal_bases[0].purposes[0]", err)
	}
	l := privacy.LegalBasis{}
	if !l.Covers(privacy.PurposePrevention) {
		t.Error("a basis without purposes does not cover every purpose")
	}
}
