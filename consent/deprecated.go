package consent

import "github.com/dossierwacht/dossierwacht/privacy"

// The names of before the pure deciders of every package were called
// Engine (access.Engine, consent.Engine, retention.Engine). They remain
// for one release, so that code written against them still builds.

// Decider is the former name of [Engine].
//
// Deprecated: use Engine.
type Decider = Engine

// NewDecider is the former name of [NewEngine].
//
// Deprecated: use NewEngine.
func NewDecider(policy *privacy.Policy) (*Engine, error) { return NewEngine(policy) }

// Decider is the former name of [Registry.Engine].
//
// Deprecated: use Registry.Engine.
func (r *Registry) Decider() *Engine { return r.Engine() }
