package privacy_test

import (
	"encoding/csv"
	"os"
	"slices"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// fideslangKeys reads the data categories of fideslang from the copy in
// testdata (IABTechLab/fideslang, CC BY 4.0), without the deprecated ones.
func fideslangKeys(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open("testdata/fideslang/data_categories.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	key, deprecated := slices.Index(head, "fides_key"), slices.Index(head, "version_deprecated")
	if key < 0 || deprecated < 0 {
		t.Fatalf("unexpected header %v", head)
	}
	keys := map[string]bool{}
	for _, r := range rows[1:] {
		if r[deprecated] == "" {
			keys[r[key]] = true
		}
	}
	if len(keys) < 80 {
		t.Fatalf("read %d keys, want the whole list", len(keys))
	}
	return keys
}

// TestFideslangKeysExist checks that every key the taxonomy maps to is a
// data category of fideslang, and that every category and field either has
// keys or is one of the documented gaps.
func TestFideslangKeysExist(t *testing.T) {
	keys := fideslangKeys(t)
	noKey := map[privacy.Category]bool{privacy.CategoryEducation: true, privacy.CategoryAppointment: true, privacy.CategoryTradeUnion: true}
	noFieldKey := map[privacy.Field]bool{privacy.FieldText: true, privacy.FieldNationality: true, privacy.FieldRecourse: true,
		privacy.FieldWhen: true, privacy.FieldWhere: true, privacy.FieldWith: true}
	cats := append(privacy.Categories(), privacy.SpecialCategories()...)
	for _, c := range cats {
		got := c.Fideslang()
		if len(got) == 0 != noKey[c] {
			t.Errorf("%s.Fideslang() = %v; a documented gap: %t", c, got, noKey[c])
		}
		for _, k := range got {
			if !keys[k] {
				t.Errorf("%s maps to %q, not a data category of fideslang", c, k)
			}
		}
		info, _ := c.Info()
		for _, f := range info.Fields {
			fk := f.Fideslang()
			if len(fk) == 0 != noFieldKey[f] {
				t.Errorf("%s.Fideslang() = %v; a documented gap: %t", f, fk, noFieldKey[f])
			}
			for _, k := range fk {
				if !keys[k] {
					t.Errorf("field %s maps to %q, not a data category of fideslang", f, k)
				}
				if !slices.Contains(got, k) {
					t.Errorf("field %s's key %q is not among its category %s's keys %v", f, k, c, got)
				}
			}
		}
	}
	// Health data maps to health data.
	for _, c := range cats {
		if c.Health() && !slices.Contains(c.Fideslang(), "user.health_and_medical") {
			t.Errorf("%s is data concerning health, but its keys %v lack user.health_and_medical", c, c.Fideslang())
		}
	}
	if got := privacy.Category("nonsense").Fideslang(); got != nil {
		t.Errorf("an unknown category maps to %v", got)
	}
	// The slices are copies.
	privacy.CategoryIdentity.Fideslang()[0] = "x"
	privacy.FieldName.Fideslang()[0] = "x"
	if privacy.CategoryIdentity.Fideslang()[0] == "x" || privacy.FieldName.Fideslang()[0] == "x" {
		t.Error("Fideslang returns the package's own slice")
	}
}
