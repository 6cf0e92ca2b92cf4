package sqladapter

import (
	"encoding/binary"
	"maps"
	"slices"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// fieldsVersion is the first byte of every encoded field set; a later
// encoding gets a new version and the decoder reads both.
const fieldsVersion = 1

// EncodeFields encodes a record's fields as one value: a version byte, the
// number of fields, then each field name and value, length-prefixed, in name
// order. Any bytes round-trip exactly (text columns of PostgreSQL refuse NUL
// bytes and invalid UTF-8; a record's content may hold either).
func EncodeFields(m map[privacy.Field]string) []byte {
	n := 1 + binary.MaxVarintLen64
	for k, v := range m {
		n += 2*binary.MaxVarintLen64 + len(k) + len(v)
	}
	b := make([]byte, 0, n)
	b = append(b, fieldsVersion)
	b = binary.AppendUvarint(b, uint64(len(m)))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return b
}

// DecodeFields decodes what [EncodeFields] encoded. No fields decode as a
// nil map. Malformed input is an error matching privacy.ErrUnavailable: the
// stored data is damaged, which is a storage failure.
func DecodeFields(b []byte) (map[privacy.Field]string, error) {
	bad := &privacy.Error{Op: "decode fields", Kind: privacy.ErrUnavailable, Msg: "stored fields are damaged"}
	if len(b) == 0 || b[0] != fieldsVersion {
		return nil, bad
	}
	b = b[1:]
	count, k := binary.Uvarint(b)
	if k <= 0 || count > uint64(len(b)) {
		return nil, bad
	}
	b = b[k:]
	if count == 0 {
		if len(b) != 0 {
			return nil, bad
		}
		return nil, nil
	}
	m := make(map[privacy.Field]string, count)
	next := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return "", false
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, true
	}
	for range count {
		key, ok := next()
		if !ok {
			return nil, bad
		}
		val, ok := next()
		if !ok {
			return nil, bad
		}
		if _, dup := m[privacy.Field(key)]; dup {
			return nil, bad
		}
		m[privacy.Field(key)] = val
	}
	if len(b) != 0 {
		return nil, bad
	}
	return m, nil
}
