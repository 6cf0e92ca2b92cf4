// Package compliancetest is the compliance kit: it plays one or more
// scenarios per rule of the catalog (R1–R13, O1–O16, G1–G8, N1–N12)
// against a system that keeps the case data of an occupational-health,
// absence or reintegration service, and says, rule by rule, where the
// system breaks the law. It is to an HR system what testing/fstest is to
// a file system.
//
// # Testing your own system
//
// Implement [System] over your system — a dozen lines of glue per method
// that map the library's vocabulary ([privacy.Principal],
// [privacy.Record], [privacy.Category], …) onto your own API — and run
// the kit from a test:
//
//	func TestCompliance(t *testing.T) {
//		compliancetest.Run(t, func(t *testing.T) compliancetest.System {
//			return myglue.New(t) // a new, empty system per scenario
//		})
//	}
//
// Each scenario runs in a subtest named "<rule>/<name>", so that
//
//	go test -run 'TestCompliance/O10/'
//
// checks one rule, and a failure reads as a sentence that names it:
//
//	O10: the employer learned of a consultation-hour visit without the employee's consent
//
// [Scenarios] lists the scenarios for a runner of your own; each [Scenario]
// is a plain function of a context and a System, so a test can also play
// one scenario against a deliberately broken system and see it fail.
//
// # The library as reference
//
// [NewLibrarySystem] is the library itself behind the same interface,
// through its front door ([github.com/dossierwacht/dossierwacht.Service]):
// each method is a few lines that take one verb of the Service with the
// actor the scenario names, the kit's time set as the Service's clock. It
// passes the whole kit on the in-memory adapter, and on any adapter that
// implements [LibraryStores] (the front door's Store):
//
//	compliancetest.Run(t, func(t *testing.T) compliancetest.System {
//		sys, _ := compliancetest.NewLibrarySystem(store, privacy.Strict())
//		return sys
//	})
//
// # What the scenarios assume
//
// The scenarios are written for a service that applies both regulations
// at once, the stricter rule winning: the library's [privacy.Strict]
// policy. They play in a small world — an employer, its employee, a
// municipality's client, the service's case manager, physician, support
// staff and administrator, an absence insurer, UWV, a reintegration
// company, a lawyer — on fixed dates from Monday 3 March 2025, and name
// legal bases by the IDs of the ready policies ("suwi-54-3c",
// "suwi-73-4", "bw-7-658a-5", "arbowet-14"). Retention is checked by
// sweeping at chosen times and reading the subject's export; the export
// must be the documented JSON form of package export (schema
// dossierwacht.export/v1).
//
// A scenario checks what the rule forbids and, where a rule would be
// trivially met by refusing everything, that the system still does what
// the rule allows (the assigned case manager reads the case, a written
// consent lets a disclosure through). A step the rules allow that the
// system refuses fails the scenario as a setup failure: the scenario
// could not show that the rule holds.
//
// Rules marked as text in the catalog (R1, R10, R13, O3, O15) are
// information for the data subject: their scenarios read the privacy
// statement the system publishes ([System.Publish]) and check that it
// tells what the rule must tell, in Dutch or English.
package compliancetest
