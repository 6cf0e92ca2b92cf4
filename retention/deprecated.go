package retention

import "github.com/dossierwacht/dossierwacht/privacy"

// The names of before the pure deciders of every package were called
// Engine (access.Engine, consent.Engine, retention.Engine) and the
// retention of a service its Keeper ("retention.Retention" said one thing
// twice). They remain for one release, so that code written against them
// still builds.

// Rules is the former name of [Engine].
//
// Deprecated: use Engine.
type Rules = Engine

// NewRules is the former name of [NewEngine].
//
// Deprecated: use NewEngine.
func NewRules(policy *privacy.Policy) (*Engine, error) { return NewEngine(policy) }

// Retention is the former name of [Keeper].
//
// Deprecated: use Keeper.
type Retention = Keeper

// Rules is the former name of [Keeper.Engine].
//
// Deprecated: use Keeper.Engine.
func (r *Keeper) Rules() *Engine { return r.Engine() }
