package access

import "github.com/dossierwacht/dossierwacht/privacy"

// NewEngineUnchecked compiles p without validating it, so that the tests
// can show the engine's own floors hold under a policy that
// [privacy.Policy.Validate] refuses (one built by hand, or loaded past a
// check).
func NewEngineUnchecked(p *privacy.Policy) *Engine { return compile(p.Clone()) }
