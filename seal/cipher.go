package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"strings"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// A sealed value is stored as a string, so that every adapter keeps it as
// it keeps any field value (a JSON string, a text column):
//
//	"dwseal1." + base64url(keyID[8] || nonce[12] || ciphertext || tag[16])
//
// keyID names the data key that sealed it, so that content sealed under a
// destroyed key is told apart from content under the subject's current
// key (an ID used again after an erasure gets a new key). The AAD binds
// the value to its subject, its file (records or the medical file), its
// record and its field: a value copied to another place fails to open
// (ErrTampered) instead of showing up there.
const (
	prefix   = "dwseal1."
	keyIDLen = 8
	nonceLen = 12
	tagLen   = 16
	dekLen   = 32
)

// keyID names a data key in the values it sealed.
type keyID [keyIDLen]byte

// dek is a subject's data key, unwrapped, ready to seal and open.
type dek struct {
	id     keyID
	former []string // hex IDs of the subject's destroyed keys
	aead   cipher.AEAD
}

func newDEK(id keyID, key []byte) (*dek, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &dek{id: id, aead: aead}, nil
}

// The kinds of object a sealed value belongs to, part of its AAD.
const (
	fileRecord  = "record"  // a record's field
	fileMedical = "medical" // a field of a record of the medical file
	fileRequest = "request" // a reason in a subject's request's history
	fileHold    = "hold"    // a hold's reason or lift reason
)

// place is where a value belongs: the AAD it is sealed under.
type place struct {
	subject privacy.SubjectID
	file    string // fileRecord, fileMedical, …
	object  string // the record's, request's or hold's ID
	field   string // the field's name, or the path of the text in its object
}

// recordPlace is the place of field f of record r in the file medical
// says.
func recordPlace(r *privacy.Record, medical bool, f privacy.Field) place {
	p := place{subject: r.Subject, file: fileRecord, object: string(r.ID), field: string(f)}
	if medical {
		p.file = fileMedical
	}
	return p
}

// aad appends the AAD of p to b. IDs are privacy.ValidID (no NUL), so NUL
// separates them unambiguously; the field name is last and may be
// anything.
func (p place) aad(b []byte) []byte {
	b = append(b, "dossierwacht/seal/v1\x00"...)
	b = append(b, p.file...)
	b = append(b, 0)
	b = append(b, p.subject...)
	b = append(b, 0)
	b = append(b, p.object...)
	b = append(b, 0)
	return append(b, p.field...)
}

// seal returns v sealed under k for p.
func (k *dek) seal(p place, v string) (string, error) {
	raw := make([]byte, keyIDLen+nonceLen, keyIDLen+nonceLen+len(v)+tagLen)
	copy(raw, k.id[:])
	if _, err := rand.Read(raw[keyIDLen:]); err != nil {
		return "", err
	}
	var aadBuf [256]byte
	raw = k.aead.Seal(raw, raw[keyIDLen:keyIDLen+nonceLen], []byte(v), p.aad(aadBuf[:0]))
	var b strings.Builder
	b.Grow(len(prefix) + base64.RawURLEncoding.EncodedLen(len(raw)))
	b.WriteString(prefix)
	enc := base64.NewEncoder(base64.RawURLEncoding, &b)
	_, _ = enc.Write(raw)
	_ = enc.Close()
	return b.String(), nil
}

// sealed is a decoded sealed value.
type sealed struct {
	key   keyID
	nonce []byte
	box   []byte // ciphertext and tag
}

// IsSealed reports whether v is in the form of a sealed value. A value not
// in that form was stored before sealing was switched on and is read as
// it is.
func IsSealed(v string) bool { return strings.HasPrefix(v, prefix) }

// decode parses a sealed value. A value that has the prefix but not the
// form fails with ErrTampered; it never panics, whatever v holds.
func decode(v string) (sealed, error) {
	if !IsSealed(v) {
		return sealed{}, &privacy.Error{Op: "seal: decode", Kind: ErrTampered, Msg: "not a sealed value"}
	}
	raw, err := base64.RawURLEncoding.DecodeString(v[len(prefix):])
	if err != nil || len(raw) < keyIDLen+nonceLen+tagLen {
		return sealed{}, &privacy.Error{Op: "seal: decode", Kind: ErrTampered, Msg: "malformed sealed value"}
	}
	var s sealed
	copy(s.key[:], raw)
	s.nonce = raw[keyIDLen : keyIDLen+nonceLen]
	s.box = raw[keyIDLen+nonceLen:]
	return s, nil
}

// open returns the plaintext of s under k for p.
func (k *dek) open(p place, s sealed) (string, error) {
	var aadBuf [256]byte
	out, err := k.aead.Open(s.box[:0], s.nonce, s.box, p.aad(aadBuf[:0]))
	if err != nil {
		return "", &privacy.Error{Op: "seal: open", Kind: ErrTampered, Path: truncate(p.field, 32),
			Msg: "the value does not open for its record and field"}
	}
	return string(out), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
