package statement

import (
	"bytes"
	"html/template"
)

// page is the standalone HTML page every document is laid out in.
// html/template escapes every string from the document for its context.
var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.55;color:#1b1b1b;background:#fff;margin:0}
main{max-width:46rem;margin:0 auto;padding:2rem 1.25rem 4rem}
h1{font-size:1.7rem;line-height:1.25}
h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1.08rem;margin-top:1.5rem}
li{margin:.3rem 0}
table{border-collapse:collapse;width:100%;font-size:.93rem}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.lead{color:#444}
.rules{color:#767676;font-size:.8em;white-space:nowrap}
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{range .Lead}}<p class="lead">{{.Text}}{{template "cite" .Cite}}</p>
{{end}}
{{- range .Sections}}{{template "section" .}}{{end -}}
</main>
</body>
</html>
{{define "section"}}<section>
{{if eq .Level 2}}<h2>{{.Title}}</h2>{{else}}<h3>{{.Title}}</h3>{{end}}
{{range .Blocks}}{{template "block" .}}{{end}}
{{- range .Subs}}{{template "section" .}}{{end -}}
</section>
{{end}}
{{define "cite"}}{{with .}} <span class="rules">{{.}}</span>{{end}}{{end}}
{{define "block"}}
{{- if .IsPara}}<p>{{.Text}}{{template "cite" .Cite}}</p>
{{else if .IsList}}<ul>
{{range .Items}}<li>{{.Text}}{{template "cite" .Cite}}</li>
{{end}}</ul>
{{else if .IsTable}}<table>
<thead><tr>{{range .Head}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{end}}
{{- end}}`))

func htmlPage(buf *bytes.Buffer, d *document) error {
	start := buf.Len()
	if err := page.Execute(buf, d); err != nil {
		return err
	}
	// The template's definitions leave blank lines after </html>.
	trimmed := bytes.TrimRight(buf.Bytes()[start:], "\n")
	buf.Truncate(start + len(trimmed))
	buf.WriteByte('\n')
	return nil
}
