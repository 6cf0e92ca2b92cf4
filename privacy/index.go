package privacy

// Small integer indices for the closed vocabularies, so that engines can
// compile a policy into arrays and decide without a map lookup or an
// allocation. Each Index is the position in the matching list (Categories,
// Roles, Actions, CaseKinds, PartyKinds), or -1 for a value outside it.
// Indices are for in-memory tables only: stored values are the strings.

// The sizes of the indexed vocabularies.
const (
	NumCategories = 15 // the categories a service may process: len(Categories())
	NumRoles      = 8
	NumActions    = 5
	NumCaseKinds  = 5
	NumPartyKinds = 9
)

// Index returns c's position in [Categories], or -1 for a special or
// unknown category.
func (c Category) Index() int {
	switch c {
	case CategoryIdentity:
		return 0
	case CategoryNationalID:
		return 1
	case CategoryContact:
		return 2
	case CategoryEmployment:
		return 3
	case CategoryBenefits:
		return 4
	case CategoryEducation:
		return 5
	case CategoryAbsenceFacts:
		return 6
	case CategoryAbsenceReason:
		return 7
	case CategoryStatements:
		return 8
	case CategoryWorkCapacity:
		return 9
	case CategoryExpertReport:
		return 10
	case CategoryMedical:
		return 11
	case CategoryNotes:
		return 12
	case CategoryConsultation:
		return 13
	case CategoryAppointment:
		return 14
	}
	return -1
}

// Index returns r's position in [Roles], or -1.
func (r Role) Index() int {
	switch r {
	case RoleCaseManager:
		return 0
	case RoleSupportStaff:
		return 1
	case RolePhysician:
		return 2
	case RoleEmployerContact:
		return 3
	case RoleInsurer:
		return 4
	case RoleAdministrator:
		return 5
	case RoleSubject:
		return 6
	case RolePrivacyOfficer:
		return 7
	}
	return -1
}

// Index returns a's position in [Actions], or -1.
func (a Action) Index() int {
	switch a {
	case ActionRead:
		return 0
	case ActionWrite:
		return 1
	case ActionDisclose:
		return 2
	case ActionExport:
		return 3
	case ActionErase:
		return 4
	}
	return -1
}

// Index returns k's position in [CaseKinds], or -1.
func (k CaseKind) Index() int {
	switch k {
	case CaseAbsence:
		return 0
	case CasePreventive:
		return 1
	case CaseReintegration:
		return 2
	case CaseConsultation:
		return 3
	case CasePeriodicExam:
		return 4
	}
	return -1
}

// Index returns k's position in [PartyKinds], or -1.
func (k PartyKind) Index() int {
	switch k {
	case PartyService:
		return 0
	case PartyEmployer:
		return 1
	case PartyMunicipality:
		return 2
	case PartyUWV:
		return 3
	case PartyInsurer:
		return 4
	case PartyReintegrationCompany:
		return 5
	case PartyCourt:
		return 6
	case PartyThirdParty:
		return 7
	case PartySubject:
		return 8
	}
	return -1
}
