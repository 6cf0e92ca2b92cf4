package export_test

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/stretchr/testify/require"
)

// storeChain reads the head and the events of the subject's chain from
// the world's store.
func storeChain(t *testing.T, w *world, subject privacy.SubjectID) (access.Checkpoint, []privacy.Event) {
	t.Helper()
	h, _, err := w.Store.ChainHead(w.Ctx, subject)
	require.NoError(t, err)
	var es []privacy.Event
	for e, err := range w.Store.SubjectEvents(w.Ctx, subject, 1) {
		require.NoError(t, err)
		es = append(es, e)
	}
	return h, es
}

// TestExportChainHeadG7N9R11G1: the subject's export (R11, G1) carries
// the head of their own audit chain (G7), equal to the store's head when
// the export was made, and its access log (N9) is that chain's events in
// order, each with its links; VerifyAccessLog proves the list whole, and
// a list cut short, cut in the middle, reordered or edited fails it,
// naming the event.
func TestExportChainHeadG7N9R11G1(t *testing.T) {
	w := fullWorld(t)
	doc, raw := w.Export(t, nil)
	head, events := storeChain(t, w, anna)
	c := doc.AccessLog.Chain
	require.NotNil(t, c, "G7: the export carries no head of the subject's chain")
	require.Equal(t, head, access.Checkpoint{Seq: c.Seq, Hash: c.Hash}, "G7: the export's head is not the store's")
	require.False(t, c.Keyed)
	require.Nil(t, c.Anchor)
	require.Len(t, doc.AccessLog.Entries, len(events), "N9: the access log is not the subject's whole chain")
	for i, e := range events {
		a := doc.AccessLog.Entries[i]
		if a.Seq != e.Seq || a.Hash != e.Hash || a.Prev != e.Prev || a.Client != e.Client {
			t.Fatalf("N9: entry %d is event %d (%s), want %d (%s)", i, a.Seq, a.Hash, e.Seq, e.Hash)
		}
	}
	require.Contains(t, string(raw), `"chain":{"seq":`+strconv.FormatUint(c.Seq, 10)+`,"hash":"`+c.Hash.String()+`"}`)
	got, err := doc.VerifyAccessLog(nil, access.Checkpoint{})
	require.NoError(t, err, "G7: the whole chain does not verify")
	require.Equal(t, head, got)
	// The subject keeps the head; a later export still carries it.
	later, _ := w.Export(t, nil)
	_, err = later.VerifyAccessLog(nil, got)
	require.NoError(t, err, "G7: a later export does not pass the head kept from the first")
	require.Greater(t, later.AccessLog.Chain.Seq, got.Seq, "the later export's own event is on the chain")

	for _, tc := range []struct {
		name    string
		edit    func([]export.AccessEntry) []export.AccessEntry
		seq     uint64
		problem access.Problem
	}{
		{"G7_N9_last_entry_cut", func(a []export.AccessEntry) []export.AccessEntry { return a[:len(a)-1] }, c.Seq, access.ProblemTruncated},
		{"G7_N9_every_entry_cut", func(a []export.AccessEntry) []export.AccessEntry { return nil }, 1, access.ProblemTruncated},
		{"G7_N9_middle_entry_cut", func(a []export.AccessEntry) []export.AccessEntry { return slices.Delete(a, 2, 3) }, 3, access.ProblemMissing},
		{"G7_N9_two_entries_swapped", func(a []export.AccessEntry) []export.AccessEntry { a[1], a[2] = a[2], a[1]; return a }, 2, access.ProblemReordered},
		{"G7_N9_entry_edited", func(a []export.AccessEntry) []export.AccessEntry { a[1].Principal = "nobody"; return a }, 2, access.ProblemAltered},
		{"G7_N9_denial_turned_into_allowed", func(a []export.AccessEntry) []export.AccessEntry {
			a[len(a)-1].Outcome = privacy.OutcomeDenied
			return a
		}, c.Seq, access.ProblemAltered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cut := *doc
			cut.AccessLog.Entries = tc.edit(slices.Clone(doc.AccessLog.Entries))
			_, err := cut.VerifyAccessLog(nil, access.Checkpoint{})
			var ce *access.ChainError
			require.ErrorIs(t, err, access.ErrTampered)
			require.ErrorAs(t, err, &ce)
			require.Equal(t, privacy.G7, privacy.RuleOf(err))
			require.Equal(t, access.ChainError{Chain: anna, Seq: tc.seq, Problem: tc.problem}, access.ChainError{Chain: ce.Chain, Seq: ce.Seq, Problem: ce.Problem}, "%v", ce)
		})
	}

	t.Run("G7_export_without_a_head_is_not_verified", func(t *testing.T) {
		old := *doc
		old.AccessLog.Chain = nil
		_, err := old.VerifyAccessLog(nil, access.Checkpoint{})
		require.ErrorIs(t, err, privacy.ErrInvalid)
	})

	t.Run("G5_encoded_again_byte_for_byte", func(t *testing.T) {
		var buf bytes.Buffer
		require.NoError(t, doc.Encode(&buf))
		require.Equal(t, string(raw), buf.String())
	})

	t.Run("G7_anchor_after_the_head_refused", func(t *testing.T) {
		bad := *doc
		bad.AccessLog.Chain = &export.ChainHead{Seq: 2, Anchor: &export.ChainAnchor{Seq: 3}}
		require.ErrorIs(t, bad.Validate(), privacy.ErrInvalid)
	})
}

// TestExportChainPageG7N9: the page names the head of the subject's chain
// (its number and check value, rule G7) in the reader's language, and
// the rule in its list.
func TestExportChainPageG7N9(t *testing.T) {
	w := newWorld(t, nil)
	for _, tc := range []struct {
		lang export.Lang
		word string
	}{{export.Dutch, "controlegetal"}, {export.English, "check value"}} {
		page := w.Page(t, anna, tc.lang)
		head, _, err := w.Store.ChainHead(w.Ctx, anna)
		require.NoError(t, err)
		i := strings.Index(page, `<p id="access-chain">`)
		require.GreaterOrEqual(t, i, 0, "%s: the page does not name the chain's head", tc.lang)
		p := page[i : i+strings.Index(page[i:], "</p>")]
		require.Contains(t, p, tc.word)
		require.Contains(t, p, " "+strconv.FormatUint(head.Seq, 10)+",")
		require.Contains(t, p, head.Hash.String())
		require.Contains(t, page, `id="rule-G7"`)
	}
}

// shifted is an audit source whose head and events a test changes.
type shifted struct {
	src    *export.ChainHead
	events func(context.Context, privacy.SubjectID) iter.Seq2[privacy.Event, error]
}

func (s shifted) SubjectEvents(ctx context.Context, subject privacy.SubjectID) iter.Seq2[privacy.Event, error] {
	return s.events(ctx, subject)
}

func (s shifted) SubjectChain(context.Context, privacy.SubjectID) (*export.ChainHead, error) {
	return s.src, nil
}

// TestExportChainStreamG7: the export writes the subject's chain up to
// the head it read first (events appended since are left for the next
// export), and refuses to hand over a head its events do not reach: a
// trail cut in the database fails the export with ErrTampered (G7).
func TestExportChainStreamG7(t *testing.T) {
	w := newWorld(t, nil)
	_, events := storeChain(t, w, anna)
	require.Greater(t, len(events), 3)
	all := func(es []privacy.Event) func(context.Context, privacy.SubjectID) iter.Seq2[privacy.Event, error] {
		return func(context.Context, privacy.SubjectID) iter.Seq2[privacy.Event, error] {
			return func(yield func(privacy.Event, error) bool) {
				for _, e := range es {
					if !yield(e, nil) {
						return
					}
				}
			}
		}
	}
	export1 := func(t *testing.T, src shifted) (*export.Document, error) {
		wr, err := export.NewWriter(w.Dossiers, &export.Options{Audit: src})
		require.NoError(t, err)
		sub, err := w.Dossiers.Subject(w.Ctx, anna)
		require.NoError(t, err)
		var buf bytes.Buffer
		if _, err := wr.Write(w.Ctx, &buf, &export.Job{Act: subjectAct(anna, t0.Add(48*time.Hour)), Subject: sub}); err != nil {
			return nil, err
		}
		return export.Decode(&buf)
	}
	at := func(i int) *export.ChainHead { return &export.ChainHead{Seq: events[i].Seq, Hash: events[i].Hash} }

	t.Run("G7_events_after_the_head_left_out", func(t *testing.T) {
		doc, err := export1(t, shifted{at(2), all(events)})
		require.NoError(t, err)
		require.Len(t, doc.AccessLog.Entries, 3)
		_, err = doc.VerifyAccessLog(nil, access.Checkpoint{})
		require.NoError(t, err)
	})
	t.Run("G7_trail_cut_in_the_database_fails_the_export", func(t *testing.T) {
		_, err := export1(t, shifted{at(len(events) - 1), all(events[:len(events)-1])})
		require.ErrorIs(t, err, access.ErrTampered)
		_, err = export1(t, shifted{at(len(events) - 1), all(slices.Delete(slices.Clone(events), 1, 2))})
		require.ErrorIs(t, err, access.ErrTampered)
	})
	t.Run("G7_another_subjects_event_fails_the_export", func(t *testing.T) {
		other := events[1]
		other.Subject = "employee-bob"
		_, err := export1(t, shifted{at(len(events) - 1), all(slices.Insert(slices.Clone(events), 1, other))})
		require.ErrorIs(t, err, access.ErrTampered)
	})
	t.Run("N9_source_error_passed_on", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := export1(t, shifted{at(0), func(context.Context, privacy.SubjectID) iter.Seq2[privacy.Event, error] {
			return func(yield func(privacy.Event, error) bool) { yield(privacy.Event{}, boom) }
		}})
		require.ErrorIs(t, err, boom)
	})
}
