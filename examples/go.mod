module github.com/dossierwacht/dossierwacht/examples

go 1.26

require github.com/dossierwacht/dossierwacht v0.0.0

replace github.com/dossierwacht/dossierwacht => ../
