module github.com/dossierwacht/dossierwacht

go 1.26
