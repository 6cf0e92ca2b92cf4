package sqladapter

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"testing/fstest"
	"testing/quick"
	"time"

	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/stretchr/testify/require"
)

// TestFieldsRoundTrip: any field set, any bytes, comes back as it went in.
func TestFieldsRoundTrip(t *testing.T) {
	roundTrip := func(m map[string]string) bool {
		in := make(map[privacy.Field]string, len(m))
		for k, v := range m {
			in[privacy.Field(k)] = v
		}
		out, err := DecodeFields(EncodeFields(in))
		return err == nil && maps.Equal(in, out)
	}
	if err := quick.Check(roundTrip, &quick.Config{MaxCount: 2000}); err != nil {
		t.Error(err)
	}
	if got, err := DecodeFields(EncodeFields(nil)); err != nil || got != nil {
		t.Errorf("no fields: %v, %v; want nil", got, err)
	}
	a := EncodeFields(map[privacy.Field]string{"b": "2", "a": "1", "c": "\x00\xff"})
	b := EncodeFields(map[privacy.Field]string{"c": "\x00\xff", "a": "1", "b": "2"})
	if string(a) != string(b) {
		t.Error("the encoding depends on map order")
	}
}

func TestDecodeFieldsDamaged(t *testing.T) {
	good := EncodeFields(map[privacy.Field]string{"text": "hello", "name": "x"})
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"unknown version", append([]byte{9}, good[1:]...)},
		{"cut short", good[:len(good)-1]},
		{"trailing bytes", append(append([]byte{}, good...), 0)},
		{"count too large", []byte{1, 100}},
		{"length past the end", []byte{1, 1, 50, 'a'}},
		{"duplicate field", []byte{1, 2, 1, 'a', 0, 1, 'a', 0}},
		{"count zero with bytes", []byte{1, 0, 1}},
	} {
		if _, err := DecodeFields(tc.b); !errors.Is(err, privacy.ErrUnavailable) {
			t.Errorf("DecodeFields(%s) = %v, want ErrUnavailable", tc.name, err)
		}
	}
}

// FuzzDecodeFields: stored bytes that do not decode are an error, never a
// panic; bytes that decode re-encode to themselves.
func FuzzDecodeFields(f *testing.F) {
	f.Add(EncodeFields(map[privacy.Field]string{"text": "hello"}))
	f.Add([]byte{1, 0})
	f.Add([]byte{1, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeFields(b)
		if err != nil {
			if !errors.Is(err, privacy.ErrUnavailable) {
				t.Fatalf("DecodeFields = %v, want ErrUnavailable", err)
			}
			return
		}
		if again := EncodeFields(m); len(m) > 0 && string(again) != string(b) {
			// Field order is canonical, so only a differently ordered
			// input may differ; it must decode the same.
			m2, err := DecodeFields(again)
			if err != nil || !maps.Equal(m, m2) {
				t.Fatalf("re-encoding changed the fields: %v", err)
			}
		}
	})
}

func TestFaults(t *testing.T) {
	var f Faults
	require.NoError(t, f.Wrote("op", 100), "a disarmed counter failed")
	f.Arm(2)
	require.NoError(t, f.Wrote("op", 2), "the first 2 rows failed")
	require.NoError(t, f.Wrote("op", 0), "no rows failed")
	require.ErrorIs(t, f.Wrote("op", 1), privacy.ErrUnavailable, "row 3")
	require.NoError(t, f.Wrote("op", 1), "the failure fired twice")
	f.Arm(3)
	require.ErrorIs(t, f.Wrote("op", 4), privacy.ErrUnavailable, "a statement of 4 rows past a budget of 3")
	f.Arm(1)
	f.Arm(-1)
	require.NoError(t, f.Wrote("op", 5), "a disarmed counter failed")
}

func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		ok   bool
	}{
		{"id", CheckID("op", "id", "r-1"), true},
		{"id with space", CheckID("op", "id", "r 1"), false},
		{"text", CheckText("op", "x", "ünïcødé"), true},
		{"text with NUL", CheckText("op", "x", "a\x00"), false},
		{"invalid UTF-8", CheckText("op", "x", "\xff"), false},
		{"zero time", CheckTime("op", "t", time.Time{}), true},
		{"year 9999", CheckTime("op", "t", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)), true},
		{"year 10000", CheckTime("op", "t", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), false},
		{"record without creation time", CheckRecord("op", privacy.Record{ID: "r-1", Case: "c-1"}), false},
	} {
		if (tc.err == nil) != tc.ok || (tc.err != nil && !errors.Is(tc.err, privacy.ErrInvalid)) {
			t.Errorf("%s: %v, want ok %t or ErrInvalid", tc.name, tc.err, tc.ok)
		}
	}
}

func TestMigrations(t *testing.T) {
	ms, err := Migrations(fstest.MapFS{
		"m/0001_first.sql":  {Data: []byte("CREATE TABLE a (x int);")},
		"m/0002_second.sql": {Data: []byte("CREATE TABLE b (x int);")},
		"m/README":          {Data: []byte("not a migration")},
	}, "m")
	require.NoError(t, err)
	if d := kitdiff.Diff([]Migration{{Version: 1, Name: "first", SQL: "CREATE TABLE a (x int);"},
		{Version: 2, Name: "second", SQL: "CREATE TABLE b (x int);"}}, ms); d != "" {
		t.Errorf("Migrations mismatch (-want +got):\n%s", d)
	}
	// A gap is allowed: helpers working apart take numbers of their own.
	gap, err := Migrations(fstest.MapFS{"m/0001_a.sql": {}, "m/0060_c.sql": {}}, "m")
	if err != nil || len(gap) != 2 || gap[1].Version != 60 {
		t.Errorf("Migrations(gap) = %+v, %v", gap, err)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"same":     {"m/0001_a.sql": {}, "m/0001_b.sql": {}},
		"zero":     {"m/0000_a.sql": {}},
		"bad name": {"m/1_a.sql": {}},
		"no name":  {"m/0001_.sql": {}},
		"empty":    {"m/README": {}},
	} {
		if _, err := Migrations(fsys, "m"); err == nil {
			t.Errorf("Migrations(%s) succeeded", name)
		}
	}
}

// TestCaseHoldsG3 sorts standing holds out for the deletion of case c-1:
// the whole subject or c-1 keeps it; records a hold of the whole subject
// names are asked about; another case's hold is no matter.
func TestCaseHoldsG3(t *testing.T) {
	rs := func(ids ...privacy.RecordID) []privacy.RecordID { return ids }
	for _, tc := range []struct {
		name  string
		holds []retention.Hold
		whole bool
		named []privacy.RecordID
	}{
		{"none", nil, false, nil},
		{"subject", []retention.Hold{{Subject: "s-1"}}, true, nil},
		{"this case", []retention.Hold{{Subject: "s-1", Case: "c-1"}}, true, nil},
		{"records of this case", []retention.Hold{{Subject: "s-1", Case: "c-1", Records: rs("r-1")}}, true, nil},
		{"another case", []retention.Hold{{Subject: "s-1", Case: "c-2"}, {Subject: "s-1", Case: "c-2", Records: rs("r-1")}}, false, nil},
		{"records", []retention.Hold{{Subject: "s-1", Records: rs("r-1", "r-2")}, {Subject: "s-1", Records: rs("r-3")}},
			false, rs("r-1", "r-2", "r-3")},
		{"records, then the subject", []retention.Hold{{Subject: "s-1", Records: rs("r-1")}, {Subject: "s-1"}}, true, nil},
	} {
		whole, named := CaseHolds(tc.holds, "c-1")
		if whole != tc.whole || !slices.Equal(named, tc.named) {
			t.Errorf("CaseHolds(%s) = %t, %v; want %t, %v", tc.name, whole, named, tc.whole, tc.named)
		}
	}
	err := Held("delete case", "a legal hold keeps the case")
	if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.G3 {
		t.Errorf("Held = %v, want ErrForbidden by rule G3", err)
	}
}
