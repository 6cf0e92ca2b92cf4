package memstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/internal/objectkit"
	"github.com/dossierwacht/dossierwacht/memstore"
)

// TestAttack9 (rule N12): group figures answered while their members are
// erased, by DeleteSubject and by EraseObject: no erased ID in a history.
func TestAttack9(t *testing.T) {
	objectkit.RunGroupsVersusErasure(t, func(*testing.T) objectkit.GroupStore { return memstore.New() })
}
