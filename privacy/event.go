package privacy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"sync"
	"time"
)

// EventAction is what an audited operation did, in the terms of NEN 7513
// (rule N9). Values are stored.
type EventAction string

// The audited actions (N9).
const (
	EventCreate    EventAction = "create"
	EventRead      EventAction = "read"
	EventUpdate    EventAction = "update"
	EventDelete    EventAction = "delete"
	EventExecute   EventAction = "execute" // a disclosure, an export, a sweep
	EventSearch    EventAction = "search"
	EventEmergency EventAction = "emergency" // access under an emergency procedure
)

// Outcome is how an audited operation ended.
type Outcome string

// The outcomes.
const (
	OutcomeAllowed Outcome = "allowed"
	OutcomeDenied  Outcome = "denied"
	OutcomeFailed  Outcome = "failed"
)

// Hash is a SHA-256 digest that chains audit events (G7).
type Hash [sha256.Size]byte

// String returns h in hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText encodes h in hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText decodes h from hex.
func (h *Hash) UnmarshalText(b []byte) error {
	if len(b) != 2*len(h) {
		return &Error{Op: "decode hash", Kind: ErrInvalid, Msg: "want 64 hex digits"}
	}
	if _, err := hex.Decode(h[:], b); err != nil {
		return &Error{Op: "decode hash", Kind: ErrInvalid, Msg: "want 64 hex digits"}
	}
	return nil
}

// Event is one entry of the audit trail: who, in which role, on whose
// behalf, for which purpose, did what to which object of whose data, when,
// from where, with which outcome, under which rule and policy version (G7,
// N9, NEN 7513). Events are appended to a hash-chained, append-only log:
// Seq, Prev and Hash are set by the log when the event is appended.
type Event struct {
	Seq         uint64      `json:"seq"`
	Time        time.Time   `json:"time"` // when the event started
	Principal   PrincipalID `json:"principal"`
	Role        Role        `json:"role"`
	OnBehalfOf  PartyID     `json:"on_behalf_of,omitempty"`
	Purpose     Purpose     `json:"purpose,omitempty"`
	Subject     SubjectID   `json:"subject,omitempty"`
	Case        CaseID      `json:"case,omitempty"`
	Category    Category    `json:"category,omitempty"`
	Object      string      `json:"object,omitempty"` // a record ID or another object's ID
	Action      EventAction `json:"action"`
	Outcome     Outcome     `json:"outcome"`
	Rule        RuleID      `json:"rule"`
	Policy      string      `json:"policy"` // the policy version that decided (O16)
	AccessPoint string      `json:"access_point,omitempty"`
	Client      string      `json:"client,omitempty"`
	Prev        Hash        `json:"prev"`
	Hash        Hash        `json:"hash"`
}

// Chain returns e as the log appends it after prev: numbered seq, linked to
// prev's hash, its own hash computed over every other field. Adapters call
// it under the same lock or transaction that stores the event, so that the
// chain has no gaps or forks. It is ChainKeyed without a key.
func (e Event) Chain(seq uint64, prev Hash) Event { return e.ChainKeyed(nil, seq, prev) }

// ChainKeyed is Chain with the links computed under key (HMAC-SHA256, rule
// G7): someone who can write the database but does not hold the key cannot
// compute a valid link, so cannot rewrite, extend or re-chain the trail
// unnoticed. A nil key computes plain SHA-256, as Chain does.
//
// Each event belongs to the chain of its Subject (events about no subject
// form the service's own chain, ""); seq and prev are those of that chain,
// so that chains append without a common lock and a subject's chain can be
// verified, pruned and handed over on its own.
func (e Event) ChainKeyed(key []byte, seq uint64, prev Hash) Event {
	e.Seq = seq
	e.Time = Timestamp(e.Time)
	e.Prev = prev
	e.Hash = e.ComputeHashKeyed(key)
	return e
}

// ComputeHash returns the hash e should carry: SHA-256 over its sequence
// number, the previous hash and every field, each length-prefixed so that
// no two different events encode alike. A verifier compares it with
// e.Hash.
func (e Event) ComputeHash() Hash { return e.ComputeHashKeyed(nil) }

// ComputeHashKeyed is ComputeHash under key: HMAC-SHA256 of the same
// encoding (rule G7). A nil or empty key is plain SHA-256.
func (e Event) ComputeHashKeyed(key []byte) Hash {
	// The encoding goes to the hash in one write, from a buffer that
	// holds a usual event whole: one write per field would convert each
	// field to a fresh byte slice (issue 14 §2: an audited read appends
	// one event per record it shows). Under a key the buffer comes with
	// the pooled HMAC state: written to a hash.Hash, a buffer on the
	// stack would escape, one allocation per event.
	var out Hash
	if len(key) == 0 {
		var stack [512]byte
		return sha256.Sum256(e.appendEncoding(stack[:0]))
	}
	st := macs.get(key)
	st.buf = e.appendEncoding(st.buf[:0])
	st.h.Write(st.buf)
	// Summed into the state's buffer, which the encoding is done with:
	// summed into out, out would escape to the heap too.
	st.buf = st.h.Sum(st.buf[:0])
	copy(out[:], st.buf)
	macs.put(key, st)
	return out
}

// appendEncoding appends the encoding e's hash is computed over to b: its
// sequence number, previous hash, time and every field, each
// length-prefixed.
func (e *Event) appendEncoding(b []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, e.Seq)
	b = append(b, e.Prev[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(Timestamp(e.Time).UnixMicro()))
	for _, s := range [...]string{string(e.Principal), string(e.Role), string(e.OnBehalfOf), string(e.Purpose),
		string(e.Subject), string(e.Case), string(e.Category), e.Object, string(e.Action), string(e.Outcome),
		string(e.Rule), e.Policy, e.AccessPoint, e.Client} {
		b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// macs keeps HMAC-SHA256 states of the keys events are chained under, to
// use again: a new state per event costs two hash blocks and its
// allocations, and a sweep or an audited view chains thousands of events
// under the same key (issue 14 §2). A state is reset before it goes back,
// so it holds nothing of the event it hashed. It keeps states for a few
// keys only (a store has one); a key more starts the set over.
var macs = macPools{pools: map[string]*sync.Pool{}}

// maxMACKeys is how many keys macs keeps states for at once.
const maxMACKeys = 8

type macPools struct {
	mu    sync.RWMutex
	pools map[string]*sync.Pool
}

func (m *macPools) pool(key []byte) *sync.Pool {
	m.mu.RLock()
	p := m.pools[string(key)]
	m.mu.RUnlock()
	if p != nil {
		return p
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if p = m.pools[string(key)]; p == nil {
		if len(m.pools) == maxMACKeys {
			// Full: start over, so that the keys in use now get states
			// kept, not only the first few a process ever saw.
			clear(m.pools)
		}
		k := string(key)
		p = &sync.Pool{New: func() any { return &macState{h: hmac.New(sha256.New, []byte(k))} }}
		m.pools[k] = p
	}
	return p
}

// macState is a pooled HMAC state with the buffer events are encoded in.
type macState struct {
	h   hash.Hash
	buf []byte
}

// maxMACBuffer is the largest encoding buffer a state keeps when it goes
// back: an event with huge fields does not keep its buffer alive.
const maxMACBuffer = 4096

func (m *macPools) get(key []byte) *macState {
	if p := m.pool(key); p != nil {
		return p.Get().(*macState)
	}
	return &macState{h: hmac.New(sha256.New, key)}
}

func (m *macPools) put(key []byte, st *macState) {
	st.h.Reset()
	if cap(st.buf) > maxMACBuffer {
		st.buf = nil
	}
	if p := m.pool(key); p != nil {
		p.Put(st)
	}
}

func newHash(key []byte) hash.Hash {
	if len(key) == 0 {
		return sha256.New()
	}
	return hmac.New(sha256.New, key)
}

// Anchor is the signed starting point of a pruned audit chain (rules G7,
// N9): the chain of Subject held, up to event Seq, events whose last hash
// was Hash. Pruning deletes those events and keeps the anchor, so that what
// remains of the chain still verifies from a point nobody without the key
// could have made: MAC is HMAC-SHA256 under the chain's key over the
// chain, Seq and Hash.
type Anchor struct {
	Subject SubjectID `json:"subject"`
	Seq     uint64    `json:"seq"`
	Hash    Hash      `json:"hash"`
	MAC     Hash      `json:"mac"`
}

// Sign returns a with its MAC computed under key.
func (a Anchor) Sign(key []byte) Anchor {
	a.MAC = a.computeMAC(key)
	return a
}

// Valid reports whether a's MAC is the one key gives it.
func (a Anchor) Valid(key []byte) bool {
	m := a.computeMAC(key)
	return hmac.Equal(m[:], a.MAC[:])
}

func (a Anchor) computeMAC(key []byte) Hash {
	h := newHash(key)
	h.Write([]byte("dossierwacht audit anchor\x00"))
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(len(a.Subject)))
	h.Write(buf[:])
	h.Write([]byte(a.Subject))
	binary.BigEndian.PutUint64(buf[:], a.Seq)
	h.Write(buf[:])
	h.Write(a.Hash[:])
	var out Hash
	h.Sum(out[:0])
	return out
}
