package access

import "github.com/dossierwacht/dossierwacht/privacy"

// Small integer indices for the closed vocabularies, so that the compiled
// policy is a nest of arrays and a decision does no map lookup for them.
// The indices are privacy's (Category.Index and the like).

const (
	numRoles   = privacy.NumRoles
	numActions = privacy.NumActions
	numCats    = privacy.NumCategories // the categories that may be processed (not the special ones)
	numKinds   = privacy.NumCaseKinds
)

const readIndex = 0

// The role indices the floors test.
const (
	riCaseManager   = 0
	riSupportStaff  = 1
	riPhysician     = 2
	riEmployer      = 3
	riInsurer       = 4
	riAdministrator = 5
	riSubject       = 6
	riOfficer       = 7
)

// Category-level facts, built once from the taxonomy and never changed.
var (
	// catList[i] is the category of index i.
	catList = privacy.Categories()
	// catFields[i] lists the fields of category i in taxonomy order; a
	// field mask has bit p set for catFields[i][p].
	catFields = func() (out [numCats][]privacy.Field) {
		for _, c := range catList {
			info, _ := c.Info()
			out[c.Index()] = info.Fields
		}
		return out
	}()
	// catHealth[i] reports whether category i is health data.
	catHealth = func() (out [numCats]bool) {
		for _, c := range catList {
			out[c.Index()] = c.Health()
		}
		return out
	}()
	// n3Mask[i] is the most an insurer may ever see of category i (N3).
	n3Mask = maskOf(privacy.InsurerMaximum())
	// n1Mask[i] is the most an employer may ever write in category i (N1):
	// the sick report's facts, master data and notes, never health data.
	n1Mask = func() [numCats]uint16 {
		m := maskOf(map[privacy.Category][]privacy.Field{privacy.CategoryAbsenceFacts: privacy.SickReportFields()})
		for _, c := range []privacy.Category{privacy.CategoryIdentity, privacy.CategoryContact,
			privacy.CategoryEmployment, privacy.CategoryNotes} {
			m[c.Index()] = fullMask(c.Index())
		}
		return m
	}()
)

// fullMask is the mask of every field of category ci.
func fullMask(ci int) uint16 { return uint16(1)<<len(catFields[ci]) - 1 }

// fieldPos returns the position of f in category ci's fields, or -1.
func fieldPos(ci int, f privacy.Field) int {
	for i, g := range catFields[ci] {
		if g == f {
			return i
		}
	}
	return -1
}

// fieldsMask returns the mask of fs within category ci; fields of other
// categories are ignored. An empty fs is every field.
func fieldsMask(ci int, fs []privacy.Field) uint16 {
	if len(fs) == 0 {
		return fullMask(ci)
	}
	var m uint16
	for _, f := range fs {
		if p := fieldPos(ci, f); p >= 0 {
			m |= 1 << p
		}
	}
	return m
}

func maskOf(cats map[privacy.Category][]privacy.Field) (out [numCats]uint16) {
	for c, fs := range cats {
		if ci := c.Index(); ci >= 0 && len(fs) > 0 {
			out[ci] = fieldsMask(ci, fs)
		}
	}
	return out
}
