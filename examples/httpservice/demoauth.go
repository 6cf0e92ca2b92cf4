package main

// STAND-IN: replace with your own authentication; the library never
// authenticates (rule R12).
//
// This file is the only place where the service decides who is calling, and
// it does so with no security at all: whoever sends the header
// X-Demo-Principal: employer-contact-bert IS employer-contact-bert. It exists so that the example runs
// without an identity provider. A real service puts its own sign-in here
// (sessions, OIDC, mutual TLS, …), records whether the caller signed in with
// more than one factor (rule N6), and loads the principal's assignments and
// employers from its own tables (rules R7, O4, O11). Everything after this
// file trusts the principal it returns.

import (
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// DemoHeader is the request header that names the calling principal.
// STAND-IN: replace with your own authentication (rule R12).
const DemoHeader = "X-Demo-Principal"

// DemoAuth is a STAND-IN for the caller's own authentication: replace it
// with your own; the library never authenticates (rule R12). It looks the
// principal named by the [DemoHeader] header up in a fixed table built at
// start-up and believes the header without any proof. Never deploy it.
//
// DemoAuth is immutable after [NewDemoAuth] and safe for concurrent use.
type DemoAuth struct {
	// STAND-IN: a fixed table instead of an identity provider (R12).
	principals map[privacy.PrincipalID]*dossierwacht.Actor
}

// NewDemoAuth returns a STAND-IN authenticator over a fixed table of
// principals (replace it with your own authentication; rule R12). Each
// principal is validated; IDs must be unique.
func NewDemoAuth(principals ...*dossierwacht.Actor) (*DemoAuth, error) {
	a := &DemoAuth{principals: make(map[privacy.PrincipalID]*dossierwacht.Actor, len(principals))}
	for i, p := range principals {
		if p == nil {
			return nil, &privacy.Error{Op: "httpservice: demo auth", Kind: privacy.ErrInvalid, Path: fmt.Sprintf("principals[%d]", i), Msg: "nil principal"}
		}
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if _, dup := a.principals[p.ID]; dup {
			return nil, &privacy.Error{Op: "httpservice: demo auth", Kind: privacy.ErrExists, Path: fmt.Sprintf("principals[%d]", i), Msg: "duplicate principal " + string(p.ID)}
		}
		a.principals[p.ID] = p
	}
	return a, nil
}

// Authenticate returns the principal named by the request's [DemoHeader]
// header. STAND-IN: it checks nothing but that the name is in the table;
// replace it with your own authentication (rule R12). A missing or unknown
// name fails with an error matching [privacy.ErrNotFound].
func (a *DemoAuth) Authenticate(r *http.Request) (*dossierwacht.Actor, error) {
	const op = "httpservice: authenticate"
	id := r.Header.Get(DemoHeader)
	if id == "" {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrNotFound, Rule: privacy.R12, Msg: "no principal"}
	}
	p, ok := a.principals[privacy.PrincipalID(id)]
	if !ok {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrNotFound, Rule: privacy.R12, Msg: "unknown principal"}
	}
	// A copy, so that the handler may set where the request comes from
	// (AccessPoint, Client) without touching the table; the sets are
	// shared and only read.
	cp := *p
	return &cp, nil
}

// IDs returns the principals' IDs, sorted: the names the stand-in accepts.
func (a *DemoAuth) IDs() []privacy.PrincipalID {
	return slices.Sorted(maps.Keys(a.principals))
}
