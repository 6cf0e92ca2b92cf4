package calendar

import (
	"encoding/binary"
	"sync"
	"time"
)

// Amsterdam returns the time zone of the Netherlands, Europe/Amsterdam. It
// loads it from the system's time zone database (or Go's own copy, see
// [time.LoadLocation]) on first use. Where neither is available, as in a
// minimal container image, it builds the zone from the rule in force since
// 1996 instead: CET (UTC+1), with summer time CEST (UTC+2) from the last
// Sunday of March to the last Sunday of October, switching at 01:00 UTC. That
// rule gives the wrong offset for instants before 1996, which no deadline
// needs; a program that must be exact there can import [time/tzdata].
//
// Amsterdam never panics and never returns nil. Every call returns the same
// *time.Location, which is safe for concurrent use.
func Amsterdam() *time.Location { return amsterdam() }

// amsterdam holds the loaded zone. It is set once and never changes: a cache
// of a constant, not state.
var amsterdam = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		return loc
	}
	return amsterdamRule()
})

// amsterdamRule builds Europe/Amsterdam from its current rule: a TZif file
// (RFC 8536, version 2) with the single zone CET and no transitions, whose
// footer TZ string carries the summer-time rule for all instants.
func amsterdamRule() *time.Location {
	const footer = "\nCET-1CEST,M3.5.0,M10.5.0/3\n"
	var b []byte
	for range 2 { // the version 1 block, then the version 2 block
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		// isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
		for _, n := range [...]uint32{0, 0, 0, 0, 1, 4} {
			b = binary.BigEndian.AppendUint32(b, n)
		}
		b = binary.BigEndian.AppendUint32(b, 3600) // ttinfo: UTC+1,
		b = append(b, 0, 0)                        // not DST, name at 0
		b = append(b, "CET\x00"...)
	}
	b = append(b, footer...)
	loc, err := time.LoadLocationFromTZData("Europe/Amsterdam", b)
	if err != nil { // cannot happen; stay on the safe side of never panicking
		return time.FixedZone("CET", 3600)
	}
	return loc
}
