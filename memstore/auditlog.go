package memstore

import (
	"encoding/binary"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// auditLog is the hash-chained audit trail (G7, N9). Events are kept
// encoded in byte chunks, which hold no pointers: the garbage collector
// never scans them and appending needs no write barriers, so appending
// stays fast however long the trail grows, and no append ever copies the
// trail. Reading an event decodes it (one allocation for its strings).
type auditLog struct {
	chunks [][]byte
	offs   []uint64 // event i starts at chunks[offs[i]>>32][uint32(offs[i]):]
	// heads are the last event of each chain (G7): its number and hash.
	heads map[privacy.SubjectID]head
}

// head is the last event of a chain.
type head struct {
	seq  uint64
	hash privacy.Hash
}

const auditChunk = 1 << 20

func (l *auditLog) len() int { return len(l.offs) }

// The encoding of one event: its length (4 bytes), Seq (8), Time in
// microseconds since 1970 (8) with a zero-time flag (1), Prev and Hash
// (32 each), then its strings, each as a uvarint length and its bytes.
const auditFixed = 4 + 8 + 8 + 1 + 32 + 32

func eventStrings(e *privacy.Event) [14]*string {
	return [14]*string{(*string)(&e.Principal), (*string)(&e.Role), (*string)(&e.OnBehalfOf), (*string)(&e.Purpose),
		(*string)(&e.Subject), (*string)(&e.Case), (*string)(&e.Category), &e.Object, (*string)(&e.Action),
		(*string)(&e.Outcome), (*string)(&e.Rule), &e.Policy, &e.AccessPoint, &e.Client}
}

// push appends e as it is; the caller has chained it.
func (l *auditLog) push(e privacy.Event) {
	n := auditFixed
	for _, s := range eventStrings(&e) {
		n += binary.MaxVarintLen64 + len(*s)
	}
	k := len(l.chunks) - 1
	if k < 0 || len(l.chunks[k])+n > cap(l.chunks[k]) {
		l.chunks = append(l.chunks, make([]byte, 0, max(auditChunk, n)))
		k++
	}
	c := l.chunks[k]
	start := len(c)
	c = append(c, 0, 0, 0, 0)
	c = binary.BigEndian.AppendUint64(c, e.Seq)
	if e.Time.IsZero() {
		c = binary.BigEndian.AppendUint64(c, 0)
		c = append(c, 1)
	} else {
		c = binary.BigEndian.AppendUint64(c, uint64(e.Time.UnixMicro()))
		c = append(c, 0)
	}
	c = append(c, e.Prev[:]...)
	c = append(c, e.Hash[:]...)
	for _, s := range eventStrings(&e) {
		c = binary.AppendUvarint(c, uint64(len(*s)))
		c = append(c, *s...)
	}
	binary.BigEndian.PutUint32(c[start:], uint32(len(c)-start))
	l.chunks[k] = c
	l.offs = append(l.offs, uint64(k)<<32|uint64(start))
	if l.heads == nil {
		l.heads = map[privacy.SubjectID]head{}
	}
	l.heads[e.Subject] = head{seq: e.Seq, hash: e.Hash}
}

// at decodes event i.
func (l *auditLog) at(i int) privacy.Event {
	off := l.offs[i]
	c := l.chunks[off>>32][uint32(off):]
	c = c[:binary.BigEndian.Uint32(c)]
	var e privacy.Event
	e.Seq = binary.BigEndian.Uint64(c[4:])
	if c[20] == 0 {
		e.Time = time.UnixMicro(int64(binary.BigEndian.Uint64(c[12:]))).UTC()
	}
	copy(e.Prev[:], c[21:53])
	copy(e.Hash[:], c[53:85])
	c = c[auditFixed:]
	all := string(c) // one allocation for every string of the event
	pos := 0
	for _, s := range eventStrings(&e) {
		n, k := binary.Uvarint(c[pos:])
		pos += k
		*s = all[pos : pos+int(n)]
		pos += int(n)
	}
	return e
}

// subjectAt returns the subject of event i without decoding the rest.
func (l *auditLog) subjectAt(i int) privacy.SubjectID {
	off := l.offs[i]
	c := l.chunks[off>>32][uint32(off):]
	c = c[auditFixed:binary.BigEndian.Uint32(c)]
	for range 4 { // Principal, Role, OnBehalfOf, Purpose
		n, k := binary.Uvarint(c)
		c = c[k+int(n):]
	}
	n, k := binary.Uvarint(c)
	return privacy.SubjectID(c[k : k+int(n)])
}
