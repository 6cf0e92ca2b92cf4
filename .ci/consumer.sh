#!/usr/bin/env bash
# Builds and runs a throwaway consumer module outside the repository that
# requires this module as a dependency and imports the front door and the
# SQLite adapter (issue: HR software can install it). The module is
# required at v0.0.0 and replaced by this checkout, as `go get` of a
# published version would resolve it; its own go.sum is made by
# `go mod tidy` from the module cache or the Go module proxy.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$repo/.ci/consumer/main.go" "$tmp/main.go"
cd "$tmp"
cat > go.mod <<MOD
module example.com/hrsoftware

go 1.26

require github.com/dossierwacht/dossierwacht v0.0.0

replace github.com/dossierwacht/dossierwacht => $repo
MOD
go mod tidy >/dev/null
# The consumer's build holds the SQLite driver, not PostgreSQL's: module
# graph pruning keeps an adapter's driver out of a build that does not
# import it.
if go list -deps . | grep -q '^github.com/jackc/pgx'; then
  echo "consumer: the build pulls in pgx without importing pgstore" >&2
  exit 1
fi
go run .
