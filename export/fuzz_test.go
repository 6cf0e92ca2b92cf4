package export_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// FuzzExportRoundTrip: Decode never panics, refuses bad input with
// ErrInvalid, and whatever it accepts encodes and decodes back to the same
// value and the same bytes (G5).
func FuzzExportRoundTrip(f *testing.F) {
	for _, o := range []*worldOptions{nil, {NoSources: true}} {
		w := newWorld(f, o)
		w.File(f, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
		_, raw := w.Export(f, &rights.ExportOptions{Release: &rights.MedicalRelease{Physician: assigned(physician)}})
		f.Add(raw)
		_, raw = w.Export(f, nil)
		f.Add(raw)
	}
	// A small valid export: the fuzzer mutates short inputs best.
	var small bytes.Buffer
	if err := (&export.Document{Schema: export.Schema, Generated: t0, Policy: export.PolicyRef{Name: "p", Version: "1", Effective: t0},
		Subject: export.SubjectData{ID: anna, Created: t0}, Medical: export.MedicalAccess{Rule: privacy.O13}}).Encode(&small); err != nil {
		f.Fatal(err)
	}
	f.Add(small.Bytes())
	f.Add([]byte(`{"schema":"dossierwacht.export/v1"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, in []byte) {
		e1, err := export.Decode(bytes.NewReader(in))
		if err != nil {
			if !errors.Is(err, privacy.ErrInvalid) {
				t.Fatalf("Decode: %v, want ErrInvalid", err)
			}
			return
		}
		var b1 bytes.Buffer
		if err := e1.Encode(&b1); err != nil {
			t.Fatalf("Encode(decoded): %v", err)
		}
		e2, err := export.Decode(bytes.NewReader(b1.Bytes()))
		if err != nil {
			t.Fatalf("Decode(Encode(decoded)): %v\n%s", err, b1.Bytes())
		}
		if !reflect.DeepEqual(e1, e2) {
			t.Fatalf("round trip changed the export:\n%+v\n%+v", e1, e2)
		}
		var b2 bytes.Buffer
		if err := e2.Encode(&b2); err != nil || !bytes.Equal(b1.Bytes(), b2.Bytes()) {
			t.Fatalf("encoding is not stable (%v):\n%s\n%s", err, b1.Bytes(), b2.Bytes())
		}
		for _, lang := range []export.Lang{export.Dutch, export.English} {
			if err := e1.WriteHTML(discard{}, lang); err != nil {
				t.Fatalf("WriteHTML(%s): %v", lang, err)
			}
		}
	})
}
