package rights

import (
	"bufio"
	"fmt"
	"html/template"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// The HTML form is made of small templates, executed one after the other as
// the export streams: a page head, a case head, one row per record, and so
// on. html/template escapes every value for its context, so that record
// content never becomes markup.
const pageTemplates = `
{{define "begin"}}<!DOCTYPE html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{t "title"}} — {{.Subject.ID}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}
dl.fields{margin:0;display:grid;grid-template-columns:max-content auto;gap:0 .75rem}
dl.fields dt{font-weight:600}
dl.fields dd{margin:0;white-space:pre-wrap}
.note{background:#fff8e0;border-left:4px solid #e0b000;padding:.5rem .75rem}
.withheld td{color:#666}
article.case{border-top:2px solid #444;margin-top:1.5rem}
footer{margin-top:2rem;color:#555;font-size:.9em}
@media print{body{margin:0}}
</style>
</head>
<body>
<header>
<h1>{{t "title"}}</h1>
<p>{{t "intro"}}</p>
<dl class="fields" id="meta">
<dt>{{t "subject"}}</dt><dd id="subject-id">{{.Subject.ID}}</dd>
<dt>{{t "generated"}}</dt><dd>{{datetime .Generated}}</dd>
{{with .Request}}<dt>{{t "request"}}</dt><dd>{{.}}</dd>
{{end}}<dt>{{t "controller"}}</dt><dd>{{pick .Controller .ControllerNL}}</dd>
{{with pick .Processor .ProcessorNL}}<dt>{{t "processor"}}</dt><dd>{{.}}</dd>
{{end}}<dt>{{t "policy"}}</dt><dd>{{pick .Policy.Title .Policy.TitleNL}} ({{.Policy.Name}} {{.Policy.Version}}, {{t "effective"}} {{date .Policy.Effective}})</dd>
</dl>
</header>
<main>
<section id="registration">
<h2>{{t "registration"}}</h2>
<dl class="fields">
<dt>{{t "subject"}}</dt><dd>{{.Subject.ID}}</dd>
{{with .Subject.Employer}}<dt>{{t "employer"}}</dt><dd>{{.}}</dd>
{{end}}<dt>{{t "registered"}}</dt><dd>{{date .Subject.Created}}</dd>
{{if not .Subject.EmploymentEnded.IsZero}}<dt>{{t "employEnd"}}</dt><dd>{{date .Subject.EmploymentEnded}}</dd>
{{end}}</dl>
</section>
<section id="cases">
<h2>{{t "cases"}}</h2>
<p class="note" id="medical-note">{{if .Medical.Direct}}{{t "medDirect"}}{{else if .Medical.ReleasedBy}}{{tf "medReleased" .Medical.ReleasedBy}}{{else}}{{t "medWithheld"}}{{end}}</p>
{{if not .RecordRetention.Available}}<p class="note">{{t "retNote"}}</p>
{{end}}{{end}}

{{define "caseBegin"}}<article class="case" id="case-{{.ID}}">
<h3>{{name "case" .Kind}} — {{.ID}}</h3>
<dl class="fields">
<dt>{{t "purpose"}}</dt><dd>{{name "purpose" .Purpose}}</dd>
<dt>{{t "opened"}}</dt><dd>{{date .Opened}}</dd>
{{if not .Closed.IsZero}}<dt>{{t "closed"}}</dt><dd>{{date .Closed}}</dd>
{{end}}<dt>{{t "commissioner"}}</dt><dd>{{name "party" .Contract.PartyKind}} {{.Contract.Party}} ({{t "contract"}} {{.Contract.ID}})</dd>
</dl>
<table class="records">
<thead><tr><th>{{t "colRecord"}}</th><th>{{t "colCategory"}}</th><th>{{t "colRecorded"}}</th><th>{{t "colSource"}}</th><th>{{t "colAuthor"}}</th><th>{{t "colContent"}}</th><th>{{t "colRetention"}}</th></tr></thead>
<tbody>
{{end}}

{{define "record"}}<tr id="record-{{.ID}}"{{if .Withheld}} class="withheld"{{end}}>
<td>{{.ID}}</td><td>{{category .Category}}</td><td>{{datetime .Created}}{{with updated .}}<br>{{t "changed"}} {{.}}{{end}}</td>
<td>{{name "party" .Source.Kind}}{{with .Source.Party}} ({{.}}){{end}}</td><td>{{.Author}}</td>
<td>{{if .Withheld}}<em>{{t "withheld"}}</em>{{else}}<dl class="fields">{{range $f, $v := .Fields}}<dt>{{name "field" $f}}</dt><dd>{{$v}}</dd>{{end}}</dl>{{if .Redacted}}<p><em>{{t "redacted"}}</em></p>{{end}}{{with .ReleasedBy}}<p>{{t "releasedBy"}} {{.}}</p>{{end}}{{end}}</td>
<td>{{retention .Retention}}</td>
</tr>
{{end}}

{{define "caseEnd"}}</tbody>
</table>
{{if .}}<p>{{t "noRecords"}}</p>
{{end}}</article>
{{end}}

{{define "casesEnd"}}{{if .}}<p>{{t "noCases"}}</p>
{{end}}</section>
{{end}}

{{define "unavailable"}}<section id="{{.ID}}">
<h2>{{t .Title}}</h2>
<p class="note">{{t "unavailable"}}</p>
</section>
{{end}}

{{define "consentsBegin"}}<section id="consents">
<h2>{{t "consents"}}</h2>
<table>
<thead><tr><th>{{t "colRecipient"}}</th><th>{{t "colData"}}</th><th>{{t "colGranted"}}</th><th>{{t "colWritten"}}</th><th>{{t "colRevoked"}}</th></tr></thead>
<tbody>
{{end}}

{{define "consent"}}<tr><td>{{name "party" .RecipientKind}}{{with .Recipient}} {{.}}{{end}}{{with .Case}} ({{.}}){{end}}</td><td>{{categories .Categories}}</td><td>{{date .Granted}}</td><td>{{yesno .Written}}</td><td>{{if .Revoked.IsZero}}—{{else}}{{date .Revoked}}{{end}}</td></tr>
{{end}}

{{define "disclosuresBegin"}}<section id="disclosures">
<h2>{{t "disclosures"}}</h2>
<table>
<thead><tr><th>{{t "colDate"}}</th><th>{{t "colRecipient"}}</th><th>{{t "colData"}}</th><th>{{t "colBasis"}}</th><th>{{t "colRule"}}</th></tr></thead>
<tbody>
{{end}}

{{define "disclosure"}}<tr><td>{{date .Time}}</td><td>{{name "party" .RecipientKind}} {{.Recipient}}</td><td>{{categories .Categories}}{{with .Case}} ({{.}}){{end}}</td><td>{{name "basis" .Basis}}{{with .LegalBasis}} ({{.}}){{end}}</td><td>{{.Rule}}</td></tr>
{{end}}

{{define "accessBegin"}}<section id="access">
<h2>{{t "access"}}</h2>
<table>
<thead><tr><th>{{t "colTime"}}</th><th>{{t "colWho"}}</th><th>{{t "colRole"}}</th><th>{{t "colAction"}}</th><th>{{t "colData"}}</th><th>{{t "colOutcome"}}</th></tr></thead>
<tbody>
{{end}}

{{define "accessEntry"}}<tr><td>{{datetime .Time}}</td><td>{{.Principal}}{{with .OnBehalfOf}} ({{.}}){{end}}</td><td>{{name "role" .Role}}</td><td>{{name "action" .Action}}</td><td>{{with .Category}}{{category .}}{{end}}{{with .Case}} {{.}}{{end}}{{with .Object}} {{.}}{{end}}</td><td>{{name "outcome" .Outcome}}</td></tr>
{{end}}

{{define "partEnd"}}</tbody>
</table>
{{if .}}<p>{{t "none"}}</p>
{{end}}</section>
{{end}}

{{define "requests"}}<section id="requests">
<h2>{{t "requests"}}</h2>
{{if .}}<table>
<thead><tr><th>{{t "colRequest"}}</th><th>{{t "colKind"}}</th><th>{{t "colReceived"}}</th><th>{{t "colDue"}}</th><th>{{t "colStatus"}}</th><th>{{t "colHistory"}}</th></tr></thead>
<tbody>
{{range .}}{{$written := .WrittenRule}}<tr><td>{{.ID}}</td><td>{{name "kind" .Kind}}</td><td>{{date .Received}}</td><td>{{day .Due.Date}} ({{t "rule"}} {{.Due.Rule}}{{with .Due.Extension}}, {{.}}{{end}})</td><td>{{name "status" .Status}}</td>
<td><ol>{{range .History}}<li>{{date .At}}: {{name "step" .Kind}}{{with .Ground}} — {{name "ground" .}}{{end}}{{if .Late}} ({{t "late"}}){{end}}{{if and (eq (print .Kind) "filed") $written}} ({{t "notWritten"}}){{end}}{{with stepReason .}}: {{.}}{{end}}{{with .Rule}} ({{t "rule"}} {{.}}){{end}}</li>{{end}}</ol></td></tr>
{{end}}</tbody>
</table>
{{else}}<p>{{t "none"}}</p>
{{end}}</section>
{{end}}

{{define "facts"}}<section id="facts">
<h2>{{t "facts"}}</h2>
<h3>{{t "purposes"}}</h3>
<table><thead><tr><th>{{t "purpose"}}</th><th>{{t "colFrom"}}</th><th>{{t "colCases"}}</th><th>{{t "colRule"}}</th></tr></thead><tbody>
{{range .Purposes}}<tr><td>{{name "purpose" .Purpose}}</td><td>{{pick .Reason .ReasonNL}}</td><td>{{.Cases}}</td><td>{{.Rule}}</td></tr>
{{end}}</tbody></table>
<h3>{{t "categories"}}</h3>
{{if .Categories}}<table><thead><tr><th>{{t "colCategory"}}</th><th>{{t "colRecords"}}</th></tr></thead><tbody>
{{range .Categories}}<tr><td>{{category .Category}}</td><td>{{.Records}}</td></tr>
{{end}}</tbody></table>
{{else}}<p>{{t "none"}}</p>
{{end}}<h3>{{t "recipients"}}</h3>
<table><thead><tr><th>{{t "colRecipient"}}</th><th>{{t "colFrom"}}</th><th>{{t "colData"}}</th><th>{{t "colBasis"}}</th><th>{{t "colRule"}}</th></tr></thead><tbody>
{{range .Recipients}}<tr><td>{{name "party" .Kind}}{{with .Party}} {{.}}{{end}}</td><td>{{name "from" .From}}{{with .Disclosed}} ({{.}}×){{end}}{{with pick .Reason .ReasonNL}}: {{.}}{{end}}</td><td>{{categories .Categories}}</td><td>{{with .Basis}}{{name "basis" .}}{{end}}{{with .Citation}} — {{.}}{{end}}</td><td>{{.Rule}}</td></tr>
{{end}}</tbody></table>
<h3>{{t "retentionH"}}</h3>
<table><thead><tr><th>{{t "colData"}}</th><th>{{t "colPeriod"}}</th><th>{{t "colFrom"}}</th><th>{{t "colRule"}}</th></tr></thead><tbody>
{{range .Retention}}<tr><td>{{if .Categories}}{{categories .Categories}}{{else}}—{{end}}{{with .CaseKinds}} ({{cases .}}){{end}}</td><td>{{period .Period}} {{name "trigger" .Trigger}}{{if .Statutory}} ({{t "statutory"}}){{end}}</td><td>{{pick .Reason .ReasonNL}}{{with .Citation}} — {{.}}{{end}}</td><td>{{.Rule}}</td></tr>
{{end}}</tbody></table>
<h3>{{t "sources"}}</h3>
{{if .Sources}}<table><thead><tr><th>{{t "colSource"}}</th><th>{{t "colRecords"}}</th></tr></thead><tbody>
{{range .Sources}}<tr><td>{{name "party" .Kind}}{{with .Party}} {{.}}{{end}}</td><td>{{.Records}}</td></tr>
{{end}}</tbody></table>
{{else}}<p>{{t "none"}}</p>
{{end}}<h3>{{t "rights"}}</h3>
<table><thead><tr><th>{{t "rights"}}</th><th>{{t "colArticle"}}</th><th>{{t "colRule"}}</th></tr></thead><tbody>
{{range .Rights}}<tr><td>{{name "right" .Right}}</td><td>{{article .Article}}</td><td>{{rules .Rules}}</td></tr>
{{end}}</tbody></table>
<h3>{{t "complaints"}}</h3>
<p id="complaint">{{tf "complaintAP" .Complaint.Authority .Complaint.Website}}</p>
{{with .Complaint.Procedure}}<p>{{t "complaintOwn"}} {{.}}</p>
{{end}}{{if not .AutomatedDecisions}}<p>{{t "automated"}}</p>
{{end}}</section>
{{end}}

{{define "end"}}</main>
<footer>
<p id="totals">{{tf "totals" .Cases .Records .Medical .Withheld}}</p>
<p>{{tf "footer" schema}}</p>
</footer>
</body>
</html>
{{end}}
`

// pages holds the parsed templates per language. Built once, never
// changed.
var pages = map[Lang]*template.Template{Dutch: parsePage(dutchTexts), English: parsePage(englishTexts)}

func parsePage(t *texts) *template.Template {
	funcs := template.FuncMap{
		"lang":     func() string { return string(t.lang) },
		"t":        t.label,
		"tf":       func(key string, args ...any) string { return fmt.Sprintf(t.label(key), args...) },
		"name":     func(kind string, v any) string { return t.name(kind, fmt.Sprint(v)) },
		"category": t.category,
		"categories": func(cs []privacy.Category) string {
			s := ""
			for i, c := range cs {
				if i > 0 {
					s += ", "
				}
				s += t.category(c)
			}
			return s
		},
		"cases": func(ks []privacy.CaseKind) string {
			s := ""
			for i, k := range ks {
				if i > 0 {
					s += ", "
				}
				s += t.name("case", string(k))
			}
			return s
		},
		"rules": func(rs []privacy.RuleID) string {
			s := ""
			for i, r := range rs {
				if i > 0 {
					s += ", "
				}
				s += string(r)
			}
			return s
		},
		"pick":      t.pick,
		"article":   t.article,
		"date":      t.date,
		"datetime":  t.datetime,
		"day":       t.day,
		"period":    t.period,
		"yesno":     t.yesno,
		"retention": t.retention,
		"schema":    func() string { return Schema },
		// The desk writes the reasons of the steps it takes itself
		// (filing, written confirmation) in English; the page says the
		// same in its own language through the step's kind, the due date
		// and the "not in writing" note, so it leaves them out. Staff's
		// reasons are shown as written.
		"stepReason": func(s Step) string {
			if s.Kind == StepFiled || s.Kind == StepConfirmed {
				return ""
			}
			return s.Reason
		},
		"updated": func(r *RecordData) string {
			if r.Updated.Equal(r.Created) {
				return ""
			}
			return t.datetime(r.Updated)
		},
	}
	return template.Must(template.New("page").Funcs(funcs).Parse(pageTemplates))
}

// htmlSink writes the HTML form, template by template.
type htmlSink struct {
	w       *bufio.Writer
	page    *template.Template
	n       int // elements in the open case or part
	cases   int
	partsOn [3]bool
}

func newHTMLSink(w *bufio.Writer, lang Lang) *htmlSink {
	return &htmlSink{w: w, page: pages[lang]}
}

func (s *htmlSink) exec(name string, data any) error {
	if err := s.page.ExecuteTemplate(s.w, name, data); err != nil {
		return &privacy.Error{Op: op + "export", Kind: privacy.ErrUnavailable, Msg: "write failed", Err: err}
	}
	return nil
}

func (s *htmlSink) begin(h *Export) error { return s.exec("begin", h) }

func (s *htmlSink) beginCase(c *CaseData) error {
	s.n = 0
	s.cases++
	return s.exec("caseBegin", c)
}

func (s *htmlSink) record(r *RecordData) error {
	s.n++
	return s.exec("record", r)
}

func (s *htmlSink) endCase() error  { return s.exec("caseEnd", s.n == 0) }
func (s *htmlSink) endCases() error { return s.exec("casesEnd", s.cases == 0) }

var partTemplates = [...]struct{ id, title, begin string }{
	partConsents:    {"consents", "consents", "consentsBegin"},
	partDisclosures: {"disclosures", "disclosures", "disclosuresBegin"},
	partAccess:      {"access", "access", "accessBegin"},
}

func (s *htmlSink) beginPart(k partKind, p Part) error {
	s.n = 0
	s.partsOn[k] = p.Available
	pt := partTemplates[k]
	if !p.Available {
		return s.exec("unavailable", struct{ ID, Title string }{pt.id, pt.title})
	}
	return s.exec(pt.begin, nil)
}

func (s *htmlSink) consent(c *Consent) error {
	s.n++
	return s.exec("consent", c)
}

func (s *htmlSink) disclosure(d *Disclosure) error {
	s.n++
	return s.exec("disclosure", d)
}

func (s *htmlSink) access(a *AccessEntry) error {
	s.n++
	return s.exec("accessEntry", a)
}

func (s *htmlSink) endPart(k partKind) error {
	if !s.partsOn[k] {
		return nil
	}
	return s.exec("partEnd", s.n == 0)
}

func (s *htmlSink) requests(rs []Request) error { return s.exec("requests", rs) }
func (s *htmlSink) facts(f *Facts) error        { return s.exec("facts", f) }
func (s *htmlSink) end(t *Totals) error         { return s.exec("end", t) }
