package sqlitestore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/internal/objectkit"
)

// TestAttack9 is the SQLite side of pgstore's TestAttack9 (rule N12):
// group figures answered while their members are erased, by DeleteSubject
// and by EraseObject: no erased ID in a history.
func TestAttack9(t *testing.T) {
	objectkit.RunGroupsVersusErasure(t, func(t *testing.T) objectkit.GroupStore { return open(t) })
}
