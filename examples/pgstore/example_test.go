package pgstore_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// ExampleOpen opens a store on PostgreSQL and keeps a case file in it. It
// needs a server, so it is compiled but not run; the package's tests run
// the same calls against one.
func ExampleOpen() {
	ctx := context.Background()
	store, err := pgstore.Open(ctx, os.Getenv("DOSSIERWACHT_POSTGRES_DSN"), &pgstore.Options{Schema: "dossierwacht"})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	dossiers, err := privacy.NewDossiers(store, privacy.Strict())
	if err != nil {
		log.Fatal(err)
	}
	cases, err := dossiers.SubjectCases(pgstore.WithReplica(ctx), "employee-1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(cases), "cases")
}

// ExampleGrants prints the statements that keep the medical file apart
// (rule O6): an application role without it, a physicians' role with it.
func ExampleGrants() {
	grants, err := pgstore.Grants("dossierwacht", "app", "physician")
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range grants {
		fmt.Println(g + ";")
	}
	// Output:
	// GRANT USAGE ON SCHEMA "dossierwacht" TO "app";
	// GRANT SELECT ON "dossierwacht".schema_migrations TO "app";
	// GRANT SELECT, INSERT, UPDATE, DELETE ON "dossierwacht".subjects, "dossierwacht".cases, "dossierwacht".records TO "app";
	// GRANT SELECT ON "dossierwacht".audit_events, "dossierwacht".audit_anchors TO "app";
	// GRANT EXECUTE ON FUNCTION "dossierwacht".append_chained(bigint[], timestamptz[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], bytea[], bytea[]) TO "app", "physician";
	// GRANT EXECUTE ON FUNCTION "dossierwacht".chain_head_locked(text) TO "app", "physician";
	// GRANT EXECUTE ON FUNCTION "dossierwacht".prune_chain(text, bigint, bytea, bytea) TO "app";
	// GRANT EXECUTE ON FUNCTION "dossierwacht".prune_legacy(timestamptz) TO "app";
	// GRANT EXECUTE ON FUNCTION "dossierwacht".lock_cases(text[]) TO "app", "physician";
	// GRANT EXECUTE ON FUNCTION "dossierwacht".case_dated_after(text, timestamptz) TO "app";
	// GRANT SELECT, INSERT, UPDATE ON "dossierwacht".holds, "dossierwacht".erasures TO "app";
	// GRANT SELECT, INSERT ON "dossierwacht".proofs TO "app";
	// GRANT SELECT ON "dossierwacht".object_proofs TO "app";
	// GRANT SELECT, INSERT, UPDATE ON "dossierwacht".consent_grants, "dossierwacht".requests TO "app";
	// GRANT SELECT, INSERT ON "dossierwacht".disclosures TO "app";
	// GRANT SELECT, INSERT ON "dossierwacht".access_groups TO "app";
	// GRANT SELECT, INSERT, UPDATE ON "dossierwacht".consent_coverage TO "app";
	// GRANT USAGE ON SCHEMA "dossierwacht", "dossierwacht_medical" TO "physician";
	// GRANT SELECT ON "dossierwacht".schema_migrations TO "physician";
	// GRANT SELECT (id) ON "dossierwacht".cases TO "physician";
	// GRANT SELECT, INSERT, UPDATE, DELETE ON "dossierwacht_medical".records TO "physician";
	// GRANT SELECT (subject_id, case_id, records, lifted) ON "dossierwacht".holds TO "physician";
	// GRANT EXECUTE ON FUNCTION "dossierwacht".lock_subject(text) TO "physician";
	// GRANT EXECUTE ON FUNCTION "dossierwacht".case_of_subject(text, text) TO "app", "physician";
	// GRANT SELECT, INSERT, UPDATE ON "dossierwacht".consent_grants TO "physician";
	// GRANT SELECT, INSERT ON "dossierwacht".disclosures TO "physician";
}

func ExampleEraserGrants() {
	grants, err := pgstore.EraserGrants("dossierwacht", "eraser")
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range grants {
		fmt.Println(g + ";")
	}
	// Output:
	// GRANT DELETE ON "dossierwacht".holds, "dossierwacht".erasures, "dossierwacht".consent_grants, "dossierwacht".requests, "dossierwacht".disclosures TO "eraser";
	// GRANT SELECT, INSERT ON "dossierwacht".object_proofs TO "eraser";
	// GRANT EXECUTE ON FUNCTION "dossierwacht".forget_in_groups(text, text) TO "eraser";
	// GRANT EXECUTE ON FUNCTION "dossierwacht".lock_groups_of(text[]) TO "eraser";
}
