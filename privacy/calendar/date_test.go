package calendar_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

func TestNewDate(t *testing.T) {
	tests := []struct {
		y     int
		m     time.Month
		d     int
		valid bool
	}{
		{2026, time.March, 5, true},
		{2024, time.February, 29, true},
		{2026, time.February, 29, false},
		{2026, time.February, 31, false},
		{2000, time.February, 29, true},
		{1900, time.February, 29, false},
		{2026, time.April, 31, false},
		{2026, time.December, 31, true},
		{2026, 13, 1, false},
		{2026, 0, 1, false},
		{2026, time.March, 0, false},
		{0, time.January, 1, false},
		{1, time.January, 1, true},
		{9999, time.December, 31, true},
		{10000, time.January, 1, false},
	}
	for _, tt := range tests {
		d, err := calendar.NewDate(tt.y, tt.m, tt.d)
		if tt.valid {
			if err != nil || d.Year() != tt.y || d.Month() != tt.m || d.Day() != tt.d {
				t.Errorf("NewDate(%d, %d, %d) = %v, %v; want the date", tt.y, tt.m, tt.d, d, err)
			}
			continue
		}
		if !errors.Is(err, privacy.ErrInvalid) || !d.IsZero() {
			t.Errorf("NewDate(%d, %d, %d) = %v, %v; want an ErrInvalid error", tt.y, tt.m, tt.d, d, err)
		}
	}
}

func TestParseDate(t *testing.T) {
	good := []string{"2026-03-05", "2024-02-29", "0001-01-01", "9999-12-31", "0042-07-04"}
	for _, s := range good {
		d, err := calendar.ParseDate(s)
		if err != nil || d.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v; want it back", s, d, err)
		}
	}
	bad := []string{"", "2026-3-5", "2026-02-29", "1980-02-30", "2026/03/05", "0000-01-01",
		"2026-03-05T00:00:00Z", " 2026-03-05", "+026-03-05", "2026-13-01", "2026-00-10", "2026-01-00", "２０２６-03-05"}
	for _, s := range bad {
		d, err := calendar.ParseDate(s)
		if !errors.Is(err, privacy.ErrInvalid) || !d.IsZero() {
			t.Errorf("ParseDate(%q) = %v, %v; want an ErrInvalid error", s, d, err)
			continue
		}
		var e *privacy.Error
		if !errors.As(err, &e) || e.Op != "parse date" {
			t.Errorf("ParseDate(%q) error = %#v, want a *privacy.Error with Op \"parse date\"", s, err)
		}
		// A date may be a date of birth: the error does not repeat it.
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("ParseDate(%q) error %q repeats the input", s, err)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Received calendar.Date `json:"received"`
		Closed   calendar.Date `json:"closed,omitzero"`
	}
	in := doc{Received: day(t, "2026-03-05")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"received":"2026-03-05"}`; got != want {
		t.Errorf("json.Marshal = %s, want %s", got, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("json.Unmarshal(%s) = %+v, %v; want %+v", b, out, err, in)
	}
	if err := json.Unmarshal([]byte(`{"received":""}`), &out); err != nil || !out.Received.IsZero() {
		t.Errorf(`json.Unmarshal("") = %+v, %v; want the zero Date`, out, err)
	}
	if err := json.Unmarshal([]byte(`{"received":"2026-02-29"}`), &out); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("json.Unmarshal(29 February 2026) error = %v, want ErrInvalid", err)
	}
	far := calendar.Add(day(t, "9999-12-31"), privacy.Days(1))
	if _, err := far.MarshalText(); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("MarshalText(year 10000) error = %v, want ErrInvalid", err)
	}
	if b, err := (calendar.Date{}).MarshalText(); err != nil || len(b) != 0 {
		t.Errorf("MarshalText(zero) = %q, %v; want empty", b, err)
	}
	if b, err := day(t, "2026-03-05").AppendText([]byte("on ")); err != nil || string(b) != "on 2026-03-05" {
		t.Errorf("AppendText = %q, %v", b, err)
	}
}

func TestDateCompare(t *testing.T) {
	ordered := []calendar.Date{
		{}, day(t, "0001-01-01"), day(t, "2025-12-31"), day(t, "2026-01-01"),
		day(t, "2026-02-28"), day(t, "2026-03-01"), day(t, "2026-03-05"), day(t, "9999-12-31"),
	}
	for i, a := range ordered {
		for j, b := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = +1
			}
			if got := a.Compare(b); got != want {
				t.Errorf("%v.Compare(%v) = %d, want %d", a, b, got, want)
			}
			if a.Before(b) != (want < 0) || a.After(b) != (want > 0) || (a == b) != (want == 0) {
				t.Errorf("Before/After/== disagree with Compare for %v, %v", a, b)
			}
		}
	}
	shuffled := slices.Clone(ordered)
	slices.Reverse(shuffled)
	slices.SortFunc(shuffled, calendar.Date.Compare)
	if !slices.Equal(shuffled, ordered) {
		t.Errorf("SortFunc(Compare) = %v", shuffled)
	}
	seen := map[calendar.Date]bool{day(t, "2026-03-05"): true}
	if d, _ := calendar.NewDate(2026, time.March, 5); !seen[d] {
		t.Error("Date is not usable as a map key")
	}
}

func TestDateDays(t *testing.T) {
	tests := []struct {
		d    string
		n    int
		want string
		wd   time.Weekday
	}{
		{"2026-03-05", 0, "2026-03-05", time.Thursday},
		{"2026-03-05", 27, "2026-04-01", time.Wednesday},
		{"2026-03-05", -5, "2026-02-28", time.Saturday},
		{"2024-02-28", 1, "2024-02-29", time.Thursday},
		{"2026-12-31", 1, "2027-01-01", time.Friday},
		{"1970-01-01", 0, "1970-01-01", time.Thursday},
		{"2000-01-01", 366, "2001-01-01", time.Monday},
		{"0001-01-01", 0, "0001-01-01", time.Monday},
	}
	for _, tt := range tests {
		got := day(t, tt.d).AddDays(tt.n)
		if got != day(t, tt.want) {
			t.Errorf("%s.AddDays(%d) = %v, want %s", tt.d, tt.n, got, tt.want)
		}
		if got.Weekday() != tt.wd {
			t.Errorf("%v.Weekday() = %v, want %v", got, got.Weekday(), tt.wd)
		}
	}
	if got := (calendar.Date{}).AddDays(1); !got.IsZero() {
		t.Errorf("zero.AddDays(1) = %v", got)
	}
	if got := day(t, "0001-01-01").AddDays(-1 << 62); got != day(t, "0001-01-01") {
		t.Errorf("AddDays(-2^62) = %v, want 0001-01-01", got)
	}
	if got := day(t, "2026-03-05").AddDays(1 << 62); got.Year() != 1<<31-1 || got.Month() != 12 || got.Day() != 31 {
		t.Errorf("AddDays(2^62) = %v, want the last representable day", got)
	}
}

func TestDateIn(t *testing.T) {
	ams := calendar.Amsterdam()
	tests := []struct {
		t    time.Time
		loc  *time.Location
		want string
	}{
		{time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), ams, "2026-04-01"},
		{time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), nil, "2026-03-31"},
		{time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), ams, "2026-02-01"}, // CET: 00:00
		{time.Date(2026, 1, 31, 22, 59, 59, 0, time.UTC), ams, "2026-01-31"},
		{time.Date(2026, 10, 24, 21, 59, 0, 0, time.UTC), ams, "2026-10-24"}, // CEST: 23:59
		{time.Date(2026, 10, 24, 22, 0, 0, 0, time.UTC), ams, "2026-10-25"},
	}
	for _, tt := range tests {
		if got := calendar.DateIn(tt.t, tt.loc); got != day(t, tt.want) {
			t.Errorf("DateIn(%v, %v) = %v, want %s", tt.t, tt.loc, got, tt.want)
		}
	}
	d := day(t, "2026-03-29") // summer time starts at 02:00
	if got, want := d.In(ams), time.Date(2026, 3, 29, 0, 0, 0, 0, ams); !got.Equal(want) || got.Location() != ams {
		t.Errorf("In(Amsterdam) = %v, want %v", got, want)
	}
	if got := d.In(nil); !got.Equal(time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("In(nil) = %v", got)
	}
	if got := (calendar.Date{}).In(ams); !got.IsZero() {
		t.Errorf("zero.In = %v", got)
	}
	if got := calendar.DateIn(time.Time{}.Add(-48*time.Hour), nil); got != day(t, "0001-01-01") {
		t.Errorf("DateIn(year 0) = %v, want 0001-01-01", got)
	}
}
