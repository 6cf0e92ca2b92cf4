package export

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// pageStyle lays the page out for a screen of any width and for paper,
// without a framework and without loading anything. Wide screens show
// tables; on a screen narrower than 60rem each row of a table becomes a
// card whose cells carry their column's name (data-label), so that
// nothing is wider than a phone.
// Long values (IDs, addresses, notes without spaces) wrap anywhere rather
// than widen the page. On paper: A4, the tables' columns shared out over
// the page's width, headers repeated on each page, rows kept whole.
const pageStyle = `:root{color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a;background:#fff}
h1{font-size:1.8rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.4rem;line-height:1.25;margin:2.5rem 0 .75rem;padding-bottom:.25rem;border-bottom:2px solid #444}
h3{font-size:1.15rem;line-height:1.3;margin:1.5rem 0 .5rem}
h1,h2,h3,p,li,td,dd,dt{overflow-wrap:anywhere}
th{overflow-wrap:normal;hyphens:manual}
a{color:#0b57a4}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.5rem 0 1.5rem}
.w8{width:8%}.w10{width:10%}.w12{width:12%}.w14{width:14%}.w16{width:16%}.w18{width:18%}.w20{width:20%}.w22{width:22%}.w24{width:24%}.w25{width:25%}.w26{width:26%}.w28{width:28%}.w30{width:30%}.w40{width:40%}.w38{width:38%}.w52{width:52%}.w50{width:50%}.w70{width:70%}
th,td{border:1px solid #c8c8c8;padding:.4rem .55rem;text-align:left;vertical-align:top}
thead th{background:#f0f0f0}
td ol,td ul{margin:0;padding-left:1.2rem}
.sub{display:block;color:#555;font-size:.9em}
.id{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.88em}
.denied{font-weight:700}
dl.fields{margin:0;display:grid;grid-template-columns:fit-content(45%) minmax(0,1fr);gap:.15rem .9rem}
dl.fields dt{font-weight:600}
dl.fields dd{margin:0;white-space:pre-wrap}
dl.rules{margin:0;display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.3rem 1rem}
dl.rules dt{font-weight:700}
dl.rules dd{margin:0}
.src{color:#555;font-size:.9em}
.note{background:#fff6d6;border-left:4px solid #8a6d00;padding:.5rem .75rem}
tr.withheld td{color:#4d4d4d}
article.case{border-top:1px solid #888;margin-top:1.75rem}
footer{margin-top:2.5rem;padding-top:.5rem;border-top:1px solid #c8c8c8;color:#444;font-size:.9em}
@media screen and (max-width:60rem){
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:auto}
table.stack{border:0;margin-top:0}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
table.stack tr{border:1px solid #bdbdbd;border-radius:6px;margin:0 0 .8rem;padding:.35rem .65rem}
table.stack td{border:0;padding:.3rem 0 .3rem 8rem;position:relative;min-height:1.9rem}
table.stack td+td{border-top:1px solid #e6e6e6}
table.stack td::before{content:attr(data-label);position:absolute;left:0;top:.45rem;width:7.4rem;font-size:.8em;line-height:1.3;font-weight:700;color:#4d4d4d}
table.stack td.full{padding-left:0}
table.stack td.full::before{position:static;display:block;width:auto}
table.stack td:first-child{font-weight:700;padding-left:0}
table.stack td:first-child .sub{font-weight:400}
table.stack td:first-child::before{content:none}
}
@media screen and (max-width:30rem){
body{padding:.75rem}
h1{font-size:1.55rem}
h2{font-size:1.25rem}
dl.fields{grid-template-columns:minmax(0,1fr);gap:0}
dl.fields dd{margin:0 0 .4rem}
td dl.fields{grid-template-columns:fit-content(55%) minmax(0,1fr);gap:.15rem .75rem}
td dl.fields dd{margin:0}
table.stack td{padding-left:7.7rem}
table.stack td::before{width:7.2rem}
}
@page{size:A4;margin:16mm 14mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:9.5pt;line-height:1.35}
h1{font-size:17pt}
h2{font-size:13pt;margin-top:1.5rem}
h3{font-size:11pt}
h2,h3{break-after:avoid}
thead{display:table-header-group}
tr,.note{break-inside:avoid}
th,td{padding:.25rem .4rem}
a{color:inherit;text-decoration:none}
.note{background:none;border:1px solid #8a6d00;border-left-width:4px}
}
`

// pageCSP is the page's content security policy: nothing is loaded or
// run, only its own style sheet applies. A page that escaped a value
// wrongly still could not run a script or fetch anything.
var pageCSP = func() string {
	sum := sha256.Sum256([]byte(pageStyle))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
}()

// The HTML form is made of small templates, executed one after the other as
// the export streams: a page head, a case head, one row per record, and so
// on. html/template escapes every value for its context, so that record
// content never becomes markup. A table is begun only at its first row: a
// part without rows says so in a sentence instead of showing an empty
// table.
const pageTemplates = `
{{define "begin"}}<!DOCTYPE html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{{csp}}">
<title>{{t "title"}} — {{.Subject.ID}}</title>
<style>{{style}}</style>
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
<h3>{{name "case" .Kind}} <span class="id">{{.ID}}</span></h3>
<dl class="fields">
<dt>{{t "purpose"}}</dt><dd>{{name "purpose" .Purpose}}</dd>
<dt>{{t "opened"}}</dt><dd>{{date .Opened}}</dd>
{{if not .Closed.IsZero}}<dt>{{t "closed"}}</dt><dd>{{date .Closed}}</dd>
{{end}}<dt>{{t "commissioner"}}</dt><dd>{{name "party" .Contract.PartyKind}} {{.Contract.Party}} ({{t "contract"}} {{.Contract.ID}})</dd>
</dl>
{{end}}

{{define "recordsHead"}}<table class="records stack">
<thead><tr>{{th "colRecord" 22}}{{th "colRecorded" 18}}{{th "colContent" 40}}{{th "colRetention" 20}}</tr></thead>
<tbody>
{{end}}

{{define "record"}}<tr id="record-{{.ID}}"{{if .Withheld}} class="withheld"{{end}}>
<td data-label="{{t "colRecord"}}">{{category .Category}}<span class="sub id">{{.ID}}</span></td>
<td data-label="{{t "colRecorded"}}">{{datetime .Created}}{{with updated .}}<span class="sub">{{t "changed"}} {{.}}</span>{{end}}<span class="sub">{{t "by"}} {{.Author}}</span><span class="sub">{{t "source"}}: {{name "party" .Source.Kind}}{{with .Source.Party}} ({{.}}){{end}}</span></td>
<td data-label="{{t "colContent"}}" class="full">{{if .Withheld}}<em>{{t "withheld"}}</em>{{else}}<dl class="fields">{{range fields .}}<dt>{{.Label}}</dt><dd>{{.Value}}</dd>{{end}}</dl>{{if .Redacted}}<p><em>{{t "redacted"}}</em></p>{{end}}{{with .ReleasedBy}}<p>{{t "releasedBy"}} {{.}}</p>{{end}}{{end}}</td>
<td data-label="{{t "colRetention"}}">{{retention .Retention}}</td>
</tr>
{{end}}

{{define "tableEnd"}}</tbody>
</table>
{{end}}

{{define "caseEnd"}}{{if .}}<p>{{t "noRecords"}}</p>
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

{{define "partBegin"}}<section id="{{.}}">
<h2>{{t .}}</h2>
{{end}}

{{define "consentsHead"}}<table class="stack">
<thead><tr>{{th "colRecipient" 28}}{{th "colData" 26}}{{th "colGranted" 16}}{{th "colWritten" 14}}{{th "colRevoked" 16}}</tr></thead>
<tbody>
{{end}}

{{define "consent"}}<tr><td data-label="{{t "colRecipient"}}">{{name "party" .RecipientKind}}{{with .Recipient}} {{.}}{{end}}{{with .Case}}<span class="sub">{{t "case"}} {{.}}</span>{{end}}</td><td data-label="{{t "colData"}}">{{categories .Categories}}</td><td data-label="{{t "colGranted"}}">{{date .Granted}}</td><td data-label="{{t "colWritten"}}">{{yesno .Written}}</td><td data-label="{{t "colRevoked"}}">{{if .Revoked.IsZero}}—{{else}}{{date .Revoked}}{{end}}</td></tr>
{{end}}

{{define "disclosuresHead"}}<table class="stack">
<thead><tr>{{th "colDate" 14}}{{th "colRecipient" 26}}{{th "colData" 26}}{{th "colBasis" 22}}{{th "colRule" 12}}</tr></thead>
<tbody>
{{end}}

{{define "disclosure"}}<tr><td data-label="{{t "colDate"}}">{{date .Time}}</td><td data-label="{{t "colRecipient"}}">{{name "party" .RecipientKind}} {{.Recipient}}</td><td data-label="{{t "colData"}}">{{categories .Categories}}{{with .Case}}<span class="sub">{{t "case"}} {{.}}</span>{{end}}</td><td data-label="{{t "colBasis"}}">{{name "basis" .Basis}}{{with .LegalBasis}} ({{.}}){{end}}</td><td data-label="{{t "colRule"}}">{{template "ruleRef" .Rule}}</td></tr>
{{end}}

{{define "ruleRef"}}<a href="#rule-{{.}}">{{ruleName .}}</a>{{end}}

{{define "accessHead"}}<p>{{t "accessIntro"}}</p>
<table class="stack" id="access-log">
<thead><tr>{{th "colWhen" 16}}{{th "colWho" 22}}{{th "colWhat" 24}}{{th "colOutcome" 26}}{{th "colTimes" 12}}</tr></thead>
<tbody>
{{end}}

{{define "accessRows"}}{{range .}}<tr><td data-label="{{t "colWhen"}}">{{span .First .Last}}</td>
<td data-label="{{t "colWho"}}">{{.Principal}}<span class="sub">{{name "role" .Role}}{{with .OnBehalfOf}}, {{t "onBehalfOf"}} {{.}}{{end}}</span></td>
<td data-label="{{t "colWhat"}}">{{name "action" .Action}}{{with .Category}}: {{category .}}{{end}}{{if or .Case .Object}}<span class="sub id">{{.Case}}{{if and .Case .Object}} · {{end}}{{.Object}}</span>{{end}}</td>
<td data-label="{{t "colOutcome"}}"><span{{if ne (print .Outcome) "allowed"}} class="denied"{{end}}>{{name "outcome" .Outcome}}</span><span class="sub">{{template "ruleRef" .Rule}}: {{ruleText .Rule}}</span></td>
<td data-label="{{t "colTimes"}}">{{times .Count}}</td></tr>
{{end}}{{end}}

{{define "accessEnd"}}</tbody>
</table>
<p id="access-count">{{tf "accessCount" (plural .Events "event") (plural .Rows "row")}}</p>
{{end}}

{{define "accessChain"}}<p id="access-chain">{{tf "chainHead" .Seq}} <span class="id">{{.Hash}}</span>.{{with .Anchor}} {{tf "chainAnchor" .Seq}} <span class="id">{{.Hash}}</span>.{{end}} {{t "chainKeep"}}</p>
{{end}}

{{define "partEnd"}}{{with .}}<p>{{t .}}</p>
{{end}}</section>
{{end}}

{{define "requests"}}<section id="requests">
<h2>{{t "requests"}}</h2>
{{if .}}<table class="stack">
<thead><tr>{{th "colRequest" 16}}{{th "colReceived" 16}}{{th "colDue" 16}}{{th "colStatus" 14}}{{th "colHistory" 38}}</tr></thead>
<tbody>
{{range .}}{{$written := .WrittenRule}}<tr><td data-label="{{t "colRequest"}}">{{name "kind" .Kind}}<span class="sub id">{{.ID}}</span></td><td data-label="{{t "colReceived"}}">{{date .Received}}</td><td data-label="{{t "colDue"}}">{{day .Due.Date}}<span class="sub">{{t "rule"}} {{template "ruleRef" .Due.Rule}}{{with .Due.Extension}}, {{.}}{{end}}</span></td><td data-label="{{t "colStatus"}}">{{name "status" .Status}}</td>
<td data-label="{{t "colHistory"}}"><ol>{{range .History}}<li>{{date .At}}: {{name "step" .Kind}}{{with .Ground}} — {{name "ground" .}}{{end}}{{if .Late}} ({{t "late"}}){{end}}{{if and (eq (print .Kind) "filed") $written}} ({{t "notWritten"}}){{end}}{{with stepReason .}}: {{.}}{{end}}{{with .Rule}} ({{t "rule"}} {{template "ruleRef" .}}){{end}}</li>{{end}}</ol></td></tr>
{{end}}</tbody>
</table>
{{else}}<p>{{t "noRequests"}}</p>
{{end}}</section>
{{end}}

{{define "facts"}}<section id="facts">
<h2>{{t "facts"}}</h2>
<h3>{{t "purposes"}}</h3>
{{if .Purposes}}<table class="stack"><thead><tr>{{th "purpose" 20}}{{th "colFrom" 52}}{{th "colCases" 14}}{{th "colRule" 14}}</tr></thead><tbody>
{{range .Purposes}}<tr><td data-label="{{t "purpose"}}">{{name "purpose" .Purpose}}</td><td data-label="{{t "colFrom"}}">{{pick .Reason .ReasonNL}}</td><td data-label="{{t "colCases"}}">{{.Cases}}</td><td data-label="{{t "colRule"}}">{{template "ruleRef" .Rule}}</td></tr>
{{end}}</tbody></table>
{{else}}<p>{{t "noPurposes"}}</p>
{{end}}<h3>{{t "categories"}}</h3>
{{if .Categories}}<table class="stack"><thead><tr>{{th "colCategory" 70}}{{th "colRecords" 30}}</tr></thead><tbody>
{{range .Categories}}<tr><td data-label="{{t "colCategory"}}">{{category .Category}}</td><td data-label="{{t "colRecords"}}">{{.Records}}</td></tr>
{{end}}</tbody></table>
{{else}}<p>{{t "noCategories"}}</p>
{{end}}<h3>{{t "recipients"}}</h3>
{{if .Recipients}}<table class="stack"><thead><tr>{{th "colRecipient" 16}}{{th "colFrom" 30}}{{th "colData" 30}}{{th "colBasis" 16}}{{th "colRule" 8}}</tr></thead><tbody>
{{range .Recipients}}<tr><td data-label="{{t "colRecipient"}}">{{name "party" .Kind}}{{with .Party}} {{.}}{{end}}</td><td data-label="{{t "colFrom"}}">{{name "from" .From}}{{with .Disclosed}}, {{times .}}{{end}}{{with pick .Reason .ReasonNL}}: {{.}}{{end}}</td><td data-label="{{t "colData"}}">{{categories .Categories}}</td><td data-label="{{t "colBasis"}}">{{with .Basis}}{{name "basis" .}}{{end}}{{with .Citation}} — {{.}}{{end}}</td><td data-label="{{t "colRule"}}">{{with .Rule}}{{template "ruleRef" .}}{{else}}—{{end}}</td></tr>
{{end}}</tbody></table>
{{else}}<p>{{t "noRecipients"}}</p>
{{end}}<h3>{{t "retentionH"}}</h3>
{{if .Retention}}<table class="stack"><thead><tr>{{th "colData" 25}}{{th "colPeriod" 25}}{{th "colFrom" 40}}{{th "colRule" 10}}</tr></thead><tbody>
{{range .Retention}}<tr><td data-label="{{t "colData"}}">{{if .Categories}}{{categories .Categories}}{{else}}{{t "allData"}}{{end}}{{with .CaseKinds}} ({{cases .}}){{end}}</td><td data-label="{{t "colPeriod"}}">{{period .Period}} {{name "trigger" .Trigger}}{{if .FromYearEnd}}, {{t "fromYearEnd"}}{{end}}{{if .Statutory}} ({{t "statutory"}}){{end}}</td><td data-label="{{t "colFrom"}}">{{pick .Reason .ReasonNL}}{{with .Citation}} — {{.}}{{end}}</td><td data-label="{{t "colRule"}}">{{template "ruleRef" .Rule}}</td></tr>
{{end}}</tbody></table>
{{else}}<p>{{t "noRetention"}}</p>
{{end}}<h3>{{t "sources"}}</h3>
{{if .Sources}}<table class="stack"><thead><tr>{{th "colSource" 70}}{{th "colRecords" 30}}</tr></thead><tbody>
{{range .Sources}}<tr><td data-label="{{t "colSource"}}">{{name "party" .Kind}}{{with .Party}} {{.}}{{end}}</td><td data-label="{{t "colRecords"}}">{{.Records}}</td></tr>
{{end}}</tbody></table>
{{else}}<p>{{t "noSources"}}</p>
{{end}}<h3>{{t "rights"}}</h3>
{{if .Rights}}<table class="stack"><thead><tr>{{th "colRight" 50}}{{th "colArticle" 25}}{{th "colRules" 25}}</tr></thead><tbody>
{{range .Rights}}<tr><td data-label="{{t "colRight"}}">{{name "right" .Right}}</td><td data-label="{{t "colArticle"}}">{{article .Article}}</td><td data-label="{{t "colRules"}}">{{range $i, $r := .Rules}}{{if $i}}, {{end}}{{template "ruleRef" $r}}{{end}}</td></tr>
{{end}}</tbody></table>
{{end}}<h3>{{t "complaints"}}</h3>
<p id="complaint">{{tf "complaintAP" .Complaint.Authority .Complaint.Website}}</p>
{{with .Complaint.Procedure}}<p>{{t "complaintOwn"}} {{.}}</p>
{{end}}{{if not .AutomatedDecisions}}<p>{{t "automated"}}</p>
{{end}}</section>
{{end}}

{{define "end"}}{{with .Rules}}<section id="rules">
<h2>{{t "rulesH"}}</h2>
<p>{{t "rulesIntro"}}</p>
<dl class="rules">
{{range .}}<dt id="rule-{{.}}">{{ruleName .}}</dt><dd>{{ruleText .}}{{with ruleSource .}} <span class="src">({{.}})</span>{{end}}</dd>
{{end}}</dl>
</section>
{{end}}</main>
<footer>
<p id="totals">{{totals .Totals}}</p>
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
		"csp":      func() string { return pageCSP },
		"style":    func() template.CSS { return template.CSS(pageStyle) },
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
		"fields":     t.fields,
		"ruleName":   t.ruleName,
		"ruleText":   t.ruleText,
		"ruleSource": t.ruleSource,
		"plural":     t.plural,
		"times":      func(n int) string { return t.plural(n, "time") },
		"totals":     t.totals,
		"span":       t.span,
		"pick":       t.pick,
		"article":    t.article,
		"date":       t.date,
		"datetime":   t.datetime,
		"day":        t.day,
		"period":     t.period,
		"yesno":      t.yesno,
		"retention":  t.retention,
		"schema":     func() string { return Schema },
		// The desk (package rights) writes the reasons of the steps it takes itself
		// (filing, written confirmation) in English; the page says the
		// same in its own language through the step's kind, the due date
		// and the "not in writing" note, so it leaves them out. Staff's
		// reasons are shown as written.
		"stepReason": func(s StepData) string {
			if s.Kind == "filed" || s.Kind == "confirmed" {
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
	return template.Must(template.New("page").Funcs(funcs).Parse(t.expand(pageTemplates)))
}

var (
	labelRE = regexp.MustCompile(`\{\{t "(\w+)"\}\}`)
	headRE  = regexp.MustCompile(`\{\{th "(\w+)" (\d+)\}\}`)
)

// expand writes the page's fixed labels into its templates, escaped, so
// that a page does not look them up and escape them again for every row:
// a label is the same in every context of the page it stands in (text and
// quoted attributes). Labels chosen at run time stay calls of t.
func (t *texts) expand(tmpl string) string {
	tmpl = headRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		g := headRE.FindStringSubmatch(m)
		return `<th scope="col" class="w` + g[2] + `">` + template.HTMLEscapeString(t.label(g[1])) + `</th>`
	})
	return labelRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		return template.HTMLEscapeString(t.label(labelRE.FindStringSubmatch(m)[1]))
	})
}

// maxAccessGroups bounds the rows of the access log the page holds before
// it writes them: the page's memory stays flat however long the log is.
// A log with more distinct rows than this is written in batches, each
// grouped on its own.
const maxAccessGroups = 4096

// accessGroup is a row of the page's access log: the events that read the
// same on the page (who, role, on whose behalf, action, data, outcome,
// rule), with how many there were and when the first and the last were.
type accessGroup struct {
	Principal   privacy.PrincipalID
	Role        privacy.Role
	OnBehalfOf  privacy.PartyID
	Action      privacy.EventAction
	Category    privacy.Category
	Case        privacy.CaseID
	Object      string
	Outcome     privacy.Outcome
	Rule        privacy.RuleID
	Count       int
	First, Last time.Time
}

type accessKey struct {
	principal privacy.PrincipalID
	role      privacy.Role
	behalf    privacy.PartyID
	action    privacy.EventAction
	category  privacy.Category
	caseID    privacy.CaseID
	object    string
	outcome   privacy.Outcome
	rule      privacy.RuleID
}

// htmlSink writes the HTML form, template by template.
type htmlSink struct {
	w       *bufio.Writer
	page    *template.Template
	t       *texts
	n       int // elements in the open case or part
	cases   int
	partsOn [3]bool
	// rules are the rules the page names, for its list of rules.
	rules map[privacy.RuleID]bool
	// The access log, grouped as it streams past.
	groups []*accessGroup
	index  map[accessKey]*accessGroup
	rows   int // access-log rows written
	// chain is the head of the subject's chain the access log ends at.
	chain *ChainHead
}

func newHTMLSink(w *bufio.Writer, lang Lang) *htmlSink {
	return &htmlSink{w: w, page: pages[lang], t: textsFor(lang), rules: map[privacy.RuleID]bool{}}
}

func (s *htmlSink) exec(name string, data any) error {
	if err := s.page.ExecuteTemplate(s.w, name, data); err != nil {
		return writeErr(err)
	}
	return nil
}

// cite notes rules the page names.
func (s *htmlSink) cite(ids ...privacy.RuleID) {
	for _, id := range ids {
		if id != "" {
			s.rules[id] = true
		}
	}
}

func (s *htmlSink) begin(h *Document) error {
	switch {
	case h.Medical.Direct:
	case h.Medical.ReleasedBy != "":
		s.cite(privacy.O13)
	default:
		s.cite(privacy.O13, privacy.O6)
	}
	return s.exec("begin", h)
}

func (s *htmlSink) beginCase(c *CaseData) error {
	s.n = 0
	s.cases++
	return s.exec("caseBegin", c)
}

func (s *htmlSink) record(r *RecordData) error {
	if s.n == 0 {
		if err := s.exec("recordsHead", nil); err != nil {
			return err
		}
	}
	s.n++
	if r.Retention != nil {
		s.cite(r.Retention.Rule)
	}
	return s.exec("record", r)
}

func (s *htmlSink) endCase() error {
	if s.n > 0 {
		if err := s.exec("tableEnd", nil); err != nil {
			return err
		}
	}
	return s.exec("caseEnd", s.n == 0)
}

func (s *htmlSink) endCases() error { return s.exec("casesEnd", s.cases == 0) }

var partTemplates = [...]struct{ id, head, none string }{
	partConsents:    {"consents", "consentsHead", "noConsents"},
	partDisclosures: {"disclosures", "disclosuresHead", "noDisclosures"},
	partAccess:      {"access", "", "noAccess"},
}

func (s *htmlSink) beginPart(k partKind, p Part, chain *ChainHead) error {
	s.n = 0
	if k == partAccess {
		s.chain = chain
	}
	s.partsOn[k] = p.Available
	pt := partTemplates[k]
	if !p.Available {
		return s.exec("unavailable", struct{ ID, Title string }{pt.id, pt.id})
	}
	return s.exec("partBegin", pt.id)
}

// row writes the table head of part k before its first row.
func (s *htmlSink) row(k partKind) error {
	s.n++
	if s.n == 1 {
		return s.exec(partTemplates[k].head, nil)
	}
	return nil
}

func (s *htmlSink) consent(c *Consent) error {
	if err := s.row(partConsents); err != nil {
		return err
	}
	return s.exec("consent", c)
}

func (s *htmlSink) disclosure(d *Disclosure) error {
	if err := s.row(partDisclosures); err != nil {
		return err
	}
	s.cite(d.Rule)
	return s.exec("disclosure", d)
}

// access groups the access log as it streams past (rule N9: the subject
// sees who accessed, changed or tried to access their data): events that
// read the same collapse into one row with a count and the first and last
// time, rows in the order of their first event.
func (s *htmlSink) access(a *AccessEntry) error {
	s.n++
	k := accessKey{a.Principal, a.Role, a.OnBehalfOf, a.Action, a.Category, a.Case, a.Object, a.Outcome, a.Rule}
	if g := s.index[k]; g != nil {
		g.Count++
		g.First = minTime(g.First, a.Time)
		g.Last = maxTime(g.Last, a.Time)
		return nil
	}
	if len(s.groups) == maxAccessGroups {
		if err := s.flushAccess(); err != nil {
			return err
		}
	}
	if s.index == nil {
		s.index = map[accessKey]*accessGroup{}
	}
	g := &accessGroup{Principal: a.Principal, Role: a.Role, OnBehalfOf: a.OnBehalfOf, Action: a.Action,
		Category: a.Category, Case: a.Case, Object: a.Object, Outcome: a.Outcome, Rule: a.Rule,
		Count: 1, First: a.Time, Last: a.Time}
	s.index[k] = g
	s.groups = append(s.groups, g)
	s.cite(a.Rule)
	return nil
}

// flushAccess writes the rows grouped so far, after the table's head if
// they are the first.
func (s *htmlSink) flushAccess() error {
	if len(s.groups) == 0 {
		return nil
	}
	if s.rows == 0 {
		s.cite(privacy.N9)
		if err := s.exec("accessHead", nil); err != nil {
			return err
		}
	}
	s.rows += len(s.groups)
	err := s.exec("accessRows", s.groups)
	s.groups, s.index = nil, nil
	return err
}

func (s *htmlSink) endPart(k partKind) error {
	if !s.partsOn[k] {
		return nil
	}
	none := ""
	switch {
	case k == partAccess && s.n > 0:
		if err := s.flushAccess(); err != nil {
			return err
		}
		if err := s.exec("accessEnd", struct{ Events, Rows int }{s.n, s.rows}); err != nil {
			return err
		}
	case s.n > 0:
		if err := s.exec("tableEnd", nil); err != nil {
			return err
		}
	default:
		none = partTemplates[k].none
	}
	if k == partAccess && s.chain != nil {
		// Rule G7: the head of the subject's chain, for the subject to
		// keep and check a later export against; N9 when it was pruned
		// after the audit retention.
		s.cite(privacy.G7)
		if s.chain.Anchor != nil {
			s.cite(privacy.N9)
		}
		if err := s.exec("accessChain", s.chain); err != nil {
			return err
		}
	}
	return s.exec("partEnd", none)
}

func (s *htmlSink) requests(rs []RequestData) error {
	for _, r := range rs {
		s.cite(r.Due.Rule)
		for _, st := range r.History {
			s.cite(st.Rule)
		}
	}
	return s.exec("requests", rs)
}

func (s *htmlSink) facts(f *Facts) error {
	for _, p := range f.Purposes {
		s.cite(p.Rule)
	}
	for _, r := range f.Recipients {
		s.cite(r.Rule)
	}
	for _, r := range f.Retention {
		s.cite(r.Rule)
	}
	for _, r := range f.Rights {
		s.cite(r.Rules...)
	}
	return s.exec("facts", f)
}

// end writes the rules the page named, in the catalog's order, and the
// totals.
func (s *htmlSink) end(t *Totals) error {
	var rules []privacy.RuleID
	for _, r := range privacy.Rules() {
		if s.rules[r.ID] {
			rules = append(rules, r.ID)
			delete(s.rules, r.ID)
		}
	}
	// Anything else named (the refusal of what no rule allows), after
	// the catalog's rules.
	rest := make([]privacy.RuleID, 0, len(s.rules))
	for id := range s.rules {
		rest = append(rest, id)
	}
	slices.Sort(rest)
	return s.exec("end", struct {
		Rules  []privacy.RuleID
		Totals *Totals
	}{append(rules, rest...), t})
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// fieldOrder is each category's fields in the taxonomy's order. Built
// once, never changed.
var fieldOrder = func() map[privacy.Category][]privacy.Field {
	m := map[privacy.Category][]privacy.Field{}
	for _, c := range privacy.Categories() {
		if info, ok := c.Info(); ok {
			m[c] = info.Fields
		}
	}
	return m
}()

// fieldsOf returns a record's fields in the order of its category's
// fields in the taxonomy (the order a reader expects: name before
// address), with any other field after them, by name.
func fieldsOf(r *RecordData) []privacy.Field {
	order := fieldOrder[r.Category]
	out := make([]privacy.Field, 0, len(r.Fields))
	for _, f := range order {
		if _, ok := r.Fields[f]; ok {
			out = append(out, f)
		}
	}
	if len(out) == len(r.Fields) {
		return out
	}
	n := len(out)
	for f := range r.Fields {
		if !slices.Contains(order, f) {
			out = append(out, f)
		}
	}
	slices.SortFunc(out[n:], func(a, b privacy.Field) int { return cmp.Compare(a, b) })
	return out
}
