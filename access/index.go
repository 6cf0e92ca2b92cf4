package access

import "github.com/dossierwacht/dossierwacht/privacy"

// Small integer indices for the closed vocabularies, so that the compiled
// policy is a nest of arrays and a decision does no map lookup for them.
// The switches are checked against privacy's lists by TestIndices.

const (
	numRoles   = 7
	numActions = 5
	numCats    = 15 // the categories that may be processed (not the special ones)
	numKinds   = 5
)

func roleIndex(r privacy.Role) int {
	switch r {
	case privacy.RoleCaseManager:
		return 0
	case privacy.RoleSupportStaff:
		return 1
	case privacy.RolePhysician:
		return 2
	case privacy.RoleEmployerContact:
		return 3
	case privacy.RoleInsurer:
		return 4
	case privacy.RoleAdministrator:
		return 5
	case privacy.RoleSubject:
		return 6
	}
	return -1
}

func actionIndex(a privacy.Action) int {
	switch a {
	case privacy.ActionRead:
		return 0
	case privacy.ActionWrite:
		return 1
	case privacy.ActionDisclose:
		return 2
	case privacy.ActionExport:
		return 3
	case privacy.ActionErase:
		return 4
	}
	return -1
}

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
)

func categoryIndex(c privacy.Category) int {
	switch c {
	case privacy.CategoryIdentity:
		return 0
	case privacy.CategoryNationalID:
		return 1
	case privacy.CategoryContact:
		return 2
	case privacy.CategoryEmployment:
		return 3
	case privacy.CategoryBenefits:
		return 4
	case privacy.CategoryEducation:
		return 5
	case privacy.CategoryAbsenceFacts:
		return 6
	case privacy.CategoryAbsenceReason:
		return 7
	case privacy.CategoryStatements:
		return 8
	case privacy.CategoryWorkCapacity:
		return 9
	case privacy.CategoryExpertReport:
		return 10
	case privacy.CategoryMedical:
		return 11
	case privacy.CategoryNotes:
		return 12
	case privacy.CategoryConsultation:
		return 13
	case privacy.CategoryAppointment:
		return 14
	}
	return -1
}

func kindIndex(k privacy.CaseKind) int {
	switch k {
	case privacy.CaseAbsence:
		return 0
	case privacy.CasePreventive:
		return 1
	case privacy.CaseReintegration:
		return 2
	case privacy.CaseConsultation:
		return 3
	case privacy.CasePeriodicExam:
		return 4
	}
	return -1
}

// Category-level facts, built once from the taxonomy and never changed.
var (
	// catList[i] is the category of index i.
	catList = privacy.Categories()
	// catFields[i] lists the fields of category i in taxonomy order; a
	// field mask has bit p set for catFields[i][p].
	catFields = func() (out [numCats][]privacy.Field) {
		for _, c := range catList {
			info, _ := c.Info()
			out[categoryIndex(c)] = info.Fields
		}
		return out
	}()
	// catHealth[i] reports whether category i is health data.
	catHealth = func() (out [numCats]bool) {
		for _, c := range catList {
			out[categoryIndex(c)] = c.Health()
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
			m[categoryIndex(c)] = fullMask(categoryIndex(c))
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
		if ci := categoryIndex(c); ci >= 0 && len(fs) > 0 {
			out[ci] = fieldsMask(ci, fs)
		}
	}
	return out
}
