// Command consumer is a throwaway program of HR software that installs the
// library as a dependency: it imports the front door and the SQLite
// adapter from the one module, opens a store, and takes one verb. The CI
// builds it in a module of its own, outside the repository (.ci/consumer.sh).
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

func main() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "consumer-*")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "dossiers.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	svc, err := dossierwacht.Open(ctx, store, privacy.Strict(), nil)
	if err != nil {
		log.Fatal(err)
	}
	carla := dossierwacht.NewActor(privacy.Principal{ID: "carla", Role: privacy.RoleCaseManager, Party: "arbo",
		Secrecy: privacy.SecrecyAgreement}, nil, nil)
	if err := svc.RegisterSubject(ctx, carla, privacy.Subject{ID: "anna", Employer: "bakery"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("consumer: registered a subject through the front door on SQLite")
}
