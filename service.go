package dossierwacht

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync/atomic"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/dossierwacht/dossierwacht/seal"
)

// Store is what a [Service] keeps its data in: every store of the library,
// on one adapter, so that an operation and its audit event land in one
// transaction. The in-memory adapter (package memstore), SQLite
// (examples/sqlitestore) and PostgreSQL (examples/pgstore) implement it.
//
// A Service never hands its Store out: what goes through the Service is
// decided, audited and timed by it. Code that holds the Store itself holds
// the raw data, as code that holds a database/sql/driver.Conn does; keep
// it inside the adapter's set-up.
type Store interface {
	privacy.Store
	access.Store
	consent.Store
	retention.Store
	rights.Store
}

// Actor is who acts: an authenticated principal with the cases it is
// assigned to, the employers it acts for or covers, and where its request
// comes from. It is [access.Principal]; [NewActor] makes one. The library
// never authenticates (rule R12): the service vouches for the actor and
// loads its assignments from its own tables, typically once per session.
type Actor = access.Principal

// NewActor returns p as an actor assigned to cases and acting for, or
// covering, employers.
func NewActor(p privacy.Principal, cases []privacy.CaseID, employers []privacy.PartyID) *Actor {
	return access.NewPrincipal(p, cases, employers)
}

// Options configure a [Service]. A nil *Options means the defaults.
type Options struct {
	// Clock is where the Service reads the time of every operation; the
	// default is time.Now. Callers never pass a time, so that no operation
	// can be back-dated: the audit trail, the deadlines and the retention
	// clocks all run on this one clock. Tests and the compliance kit set a
	// clock of their own. The Service's time never goes back: while the
	// clock reads earlier than a time the Service handed out already, it
	// uses that time again, so that nothing is dated behind what is
	// recorded (R4, R6, G7).
	Clock func() time.Time
	// Holidays are the public holidays deadlines skip (EU Regulation
	// 1182/71 art. 3(4)); the default is the Dutch calendar.
	Holidays calendar.Holidays
	// Complaints says where a subject complains about a refusal (rule
	// G2, O15), as the notices and exports say it; the default names the
	// Autoriteit Persoonsgegevens only.
	Complaints string
	// SweepBatch is how many due records a sweep deletes per atomic step
	// of the store; the default is retention's.
	SweepBatch int
	// SweepWorkers is how many batches a sweep deletes at once
	// (retention.Options.Workers); the default is one after the other.
	SweepWorkers int
	// Vault, if set, seals the content of every record (the medical file
	// included) per subject before it reaches the store, with keys kept
	// apart from the database: erasing a subject destroys its key, so the
	// erasure reaches every backup of the database too (GDPR art. 17,
	// art. 5(1)(e); see package seal). Open wraps the store with
	// [seal.Wrap], which first finishes erasures a crash left half done.
	Vault *seal.Vault
	// Checkpoints, if set, keep the heads of the audit trail's chains
	// outside the database (rule G7; [access.NewFileCheckpoints] for a
	// file): the Service saves them as it runs ([Service.Checkpoint]) and
	// VerifyAudit checks the trail against them, so that a chain cut
	// short, removed or rewritten in the database is found.
	Checkpoints access.Checkpoints
}

// Service is the front door of the library: one value, built from a
// [Store] and a [privacy.Policy], through which every operation on the
// case data of a service runs. It plays the part that *sql.DB plays over
// database/sql/driver: the packages privacy, access, consent, retention,
// export and rights stay beside it for experts, and a user who goes
// through the Service never meets an unguarded path.
//
// Every verb takes the [Actor] and is decided against the whole picture:
// the actor's role, assignments, coverage and sign-in facts, the case, the
// consent register, the legal holds. Every verb writes its audit event
// (rules O1, G7, N9); a refusal is an error that names its rule
// ([privacy.RuleOf]). Time comes from the Service's clock, never from the
// caller.
//
// A Service is safe for concurrent use if its Store is.
type Service struct {
	policy    *privacy.Policy
	store     Store
	dossiers  *privacy.Dossiers
	guard     *access.Guard
	engine    *access.Engine
	registry  *consent.Registry
	retention *retention.Keeper
	desk      *rights.Desk
	clock     func() time.Time
	latest    atomic.Int64 // the latest time now handed out, in Unix microseconds

	checkpoints access.Checkpoints
}

// pinger is an optional extra of a Store: Open checks that the store is
// reachable before it returns.
type pinger interface {
	Ping(ctx context.Context) error
}

// Open returns the Service over store under policy ([privacy.Strict] is
// the default a service should start from). The policy is validated and
// copied: later changes to it have no effect. If the store can say whether
// it is reachable (a Ping method), Open asks it within ctx.
func Open(ctx context.Context, store Store, policy *privacy.Policy, opts *Options) (*Service, error) {
	const op = "dossierwacht: open"
	if store == nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil store"}
	}
	if opts == nil {
		opts = &Options{}
	}
	if opts.Vault != nil {
		sealed, err := seal.Wrap(ctx, store, *opts.Vault)
		if err != nil {
			return nil, err
		}
		store = sealed
	}
	dossiers, err := privacy.NewDossiers(store, policy)
	if err != nil {
		return nil, err
	}
	policy = dossiers.Policy()
	guard, err := access.New(store, dossiers, nil)
	if err != nil {
		return nil, err
	}
	registry, err := consent.New(store, policy, nil)
	if err != nil {
		return nil, err
	}
	s := &Service{policy: policy, store: store, dossiers: dossiers, guard: guard, engine: guard.Engine(),
		registry: registry, clock: opts.Clock, checkpoints: opts.Checkpoints}
	if s.clock == nil {
		s.clock = time.Now
	}
	// Rule G4: a sweep lists, for every record it deletes, the recipients
	// the disclosure log says received it, so that they can be told.
	s.retention, err = retention.New(store, policy, &retention.Options{Recipients: recipients{s}, BatchSize: opts.SweepBatch,
		Workers: opts.SweepWorkers})
	if err != nil {
		return nil, err
	}
	log := export.FromConsent(registry)
	s.desk, err = rights.New(store, dossiers, &rights.Options{
		Disclosures: log,
		Consents:    log,
		Audit:       export.FromAudit(guard),
		Retention:   export.RetentionFromStore(store, s.retention.Engine()),
		// Rules G3, O13: an erasure the desk applies goes through
		// retention, each record with its proof.
		Erasures:   s.retention,
		Holidays:   opts.Holidays,
		Complaints: opts.Complaints,
	})
	if err != nil {
		return nil, err
	}
	if p, ok := store.(pinger); ok {
		if err := p.Ping(ctx); err != nil {
			return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
		}
	}
	return s, nil
}

// Ping reports, within ctx, whether the Service's store is reachable,
// for a health check: a store that can say (a Ping method) is asked, and
// its failure is an error matching privacy.ErrUnavailable; any other store
// is taken to be reachable. Ping touches no personal data: it takes no
// actor and writes no audit event.
func (s *Service) Ping(ctx context.Context) error {
	if err := s.ready(ctx, "dossierwacht: ping"); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if p, ok := s.store.(pinger); ok {
		if err := p.Ping(ctx); err != nil {
			return &privacy.Error{Op: "dossierwacht: ping", Kind: privacy.ErrUnavailable, Err: err}
		}
	}
	return nil
}

// Policy returns a copy of the policy the Service decides under; nil for
// a Service that Open did not build.
func (s *Service) Policy() *privacy.Policy {
	if s.opened("") != nil {
		return nil
	}
	return s.policy.Clone()
}

// now is the time of an operation: the Service's clock, normalised as
// stores keep times, and never before a time it handed out already. A
// clock set back (by an operator, a faulty time server, an attacker on
// the host) would otherwise date an operation behind what is recorded: a
// record behind a case's closing (R4), a disclosure behind a revocation
// (R6), an audit event behind the one before it (G7). So the Service keeps
// the latest time it handed out and, while its clock reads earlier, hands
// out that time again: the trail stays in time order and nothing is placed
// behind it (issue 12 §3). Stores check R4 and R6 themselves as well, for
// writers that do not come through a Service.
func (s *Service) now() time.Time {
	t := privacy.Timestamp(s.clock())
	if t.IsZero() {
		return t // no time at all: the operation's validation refuses it
	}
	n := t.UnixMicro() // stores keep microseconds (privacy.Timestamp)
	for {
		last := s.latest.Load()
		if n <= last {
			return time.UnixMicro(last).UTC()
		}
		if s.latest.CompareAndSwap(last, n) {
			return t
		}
	}
}

// NewID returns a new identifier that starts with prefix (letters, digits
// and . _ : - only) and ends in 128 random bits: unguessable. IDs are
// unique across the service, so that creating an object under an ID that
// is taken fails with privacy.ErrExists (audited) — which tells the
// caller that something holds that ID. An employer that could guess the
// ID of a consultation-hour case would learn that it exists (rule O10):
// give cases and records IDs from NewID, never IDs derived from a name,
// a date or a counter.
func NewID(prefix string) string {
	var b [16]byte
	// crypto/rand.Read never returns an error: where the system's source
	// fails, it ends the program instead (Go 1.24 and later).
	_, _ = rand.Read(b[:])
	if prefix == "" {
		return hex.EncodeToString(b[:])
	}
	return prefix + "-" + hex.EncodeToString(b[:])
}
