package statement

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Area is the part of a policy a [Change] is in. Values are stable.
type Area string

// The areas, in the order [Diff] reports them.
const (
	AreaParties     Area = "parties"        // controller and processor (O3)
	AreaPurposes    Area = "purposes"       // R5, O2
	AreaAccess      Area = "access"         // who sees what (R7, O4, O9, O11, …)
	AreaDisclosures Area = "disclosures"    // what leaves on consent or without (R6, O14, N2, O11)
	AreaLegalBases  Area = "legal-bases"    // statutory disclosures (N5, N10)
	AreaRetention   Area = "retention"      // R9, O12, N7, N9
	AreaRequests    Area = "requests"       // deadlines, written form, free copies (R11, O13, G2, N8, N11)
	AreaGroupSize   Area = "min-group-size" // N12
)

// ChangeKind says whether something was added, removed or changed.
type ChangeKind string

// The kinds of change.
const (
	Added   ChangeKind = "added"
	Removed ChangeKind = "removed"
	Changed ChangeKind = "changed"
)

// Change is one difference between two versions of a policy, as a person
// reads it (rule O16: changes are dated): the sentences say from which day
// it holds.
type Change struct {
	Area Area
	Kind ChangeKind
	// Rule is the rule the changed part of the policy cites.
	Rule    privacy.RuleID
	Dutch   string
	English string
}

// Text returns the change's sentence in language l (Dutch unless l is
// [English]).
func (c Change) Text(l Language) string {
	if l == English {
		return c.English
	}
	return c.Dutch
}

// Diff returns the differences between two versions of a policy, in the
// words of a person reading the new version's statement: what a role may
// see or do (per role, category, field and action), what may be disclosed
// to whom on which basis, the legal bases, the retention periods, the
// request deadlines, the minimum group size, the purposes, the controller
// and the processor. Each sentence starts with the day the new version
// comes into force. Equal policies give no changes.
//
// Diff fails with an error matching [privacy.ErrInvalid] when either
// policy is nil or does not validate.
func Diff(from, to *privacy.Policy) ([]Change, error) {
	const op = "diff policies"
	if err := check(op, from); err != nil {
		return nil, err
	}
	if err := check(op, to); err != nil {
		return nil, err
	}
	d := differ{old: analyse(from), new: analyse(to)}
	d.whenNL = "Vanaf " + nl.date(to.Effective) + " "
	d.whenEN = "From " + en.date(to.Effective) + " "
	d.parties()
	d.purposes()
	d.access()
	d.disclosures()
	d.legalBases()
	d.retention()
	d.requests()
	d.groupSize()
	return d.out, nil
}

// RenderDiff writes the changes from one version of a policy to the next
// as a list a person reads, with the versions and the day the new one
// comes into force. Errors as for [Render] and [Diff].
func RenderDiff(w io.Writer, from, to *privacy.Policy, opts *Options) error {
	const op = "render diff"
	if w == nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil writer"}
	}
	s, err := opts.settings(op)
	if err != nil {
		return err
	}
	changes, err := Diff(from, to)
	if err != nil {
		return err
	}
	l := s.l
	c := citer{omit: s.omit}
	doc := document{
		Lang:  l.code(),
		Title: l.t("Wijzigingen", "Changes") + ": " + clean(to.TitleText().In(l.code())),
		Lead: []block{para(l.t("Van versie ", "From version ")+clean(from.Version)+l.t(" (geldig vanaf ", " (in force from ")+l.date(from.Effective)+
			l.t(") naar versie ", ") to version ")+clean(to.Version)+l.t(" (geldig vanaf ", " (in force from ")+l.date(to.Effective)+").", c.ids(privacy.O16))},
	}
	if len(changes) == 0 {
		doc.Sections = []section{{Level: 2, Title: l.t("Geen wijzigingen", "No changes"), Blocks: []block{
			para(l.t("De regels van beide versies zijn gelijk.", "The rules of both versions are the same."), "")}}}
	} else {
		items := make([]item, len(changes))
		for i, ch := range changes {
			items[i] = item{ch.Text(langOf(l)), c.ids(ch.Rule)}
		}
		doc.Sections = []section{{Level: 2, Title: l.t("Wat verandert", "What changes"), Blocks: []block{list(items...)}}}
	}
	return write(op, w, &doc, s)
}

func langOf(l lang) Language {
	if l.en {
		return English
	}
	return Dutch
}

type differ struct {
	old, new       facts
	whenNL, whenEN string
	out            []Change
}

// say adds a change; nlText and enText follow "Vanaf <date> " and
// "From <date> ".
func (d *differ) say(area Area, kind ChangeKind, rule privacy.RuleID, nlText, enText string) {
	d.out = append(d.out, Change{Area: area, Kind: kind, Rule: rule,
		Dutch: sentence(d.whenNL + nlText), English: sentence(d.whenEN + enText)})
}

func (d *differ) parties() {
	o, n := d.old.p, d.new.p
	// The texts in each language: a change in either is a change.
	oc, nc := o.ControllerText(), n.ControllerText()
	nlOf := func(t privacy.Text) string { return clean(t.In("nl")) }
	enOf := func(t privacy.Text) string { return clean(t.In("en")) }
	if oc != nc {
		d.say(AreaParties, Changed, privacy.O16,
			"is "+nlOf(nc)+" verantwoordelijk voor de verwerking (eerder: "+nlOf(oc)+")",
			enOf(nc)+" is the controller (before: "+enOf(oc)+")")
	}
	if o.Contact != n.Contact {
		d.say(AreaParties, Changed, privacy.O16, "bereikt u ons via "+nlOf(n.Contact)+" (eerder: "+nlOf(o.Contact)+")",
			"you can reach us at "+enOf(n.Contact)+" (before: "+enOf(o.Contact)+")")
	}
	if o.DPO != n.DPO {
		d.say(AreaParties, Changed, privacy.O16, "is onze functionaris voor gegevensbescherming: "+nlOf(n.DPO)+" (eerder: "+nlOf(o.DPO)+")",
			"our data protection officer is: "+enOf(n.DPO)+" (before: "+enOf(o.DPO)+")")
	}
	op, np := o.ProcessorText(), n.ProcessorText()
	switch {
	case op == np:
	case op.IsZero():
		d.say(AreaParties, Added, privacy.O3, "worden uw gegevens opgeslagen bij een externe verwerker: "+nlOf(np),
			"your data is stored by an external processor: "+enOf(np))
	case np.IsZero():
		d.say(AreaParties, Removed, privacy.O3, "slaan wij uw gegevens niet meer op bij een externe verwerker (eerder: "+nlOf(op)+")",
			"we no longer store your data with an external processor (before: "+enOf(op)+")")
	default:
		d.say(AreaParties, Changed, privacy.O3, "is "+nlOf(np)+" onze verwerker (eerder: "+nlOf(op)+")",
			enOf(np)+" is our processor (before: "+enOf(op)+")")
	}
}

func (d *differ) purposes() {
	find := func(ps []privacy.PurposeRule, p privacy.Purpose) (privacy.PurposeRule, bool) {
		for _, r := range ps {
			if r.Purpose == p {
				return r, true
			}
		}
		return privacy.PurposeRule{}, false
	}
	for _, o := range d.old.p.Purposes {
		if n, ok := find(d.new.p.Purposes, o.Purpose); !ok {
			d.say(AreaPurposes, Removed, o.Rule, "verwerken wij uw gegevens niet meer voor "+nl.purpose(o.Purpose),
				"we no longer process your data for "+en.purpose(o.Purpose))
		} else {
			if !sameSet(o.CaseKinds, n.CaseKinds) {
				d.say(AreaPurposes, Changed, n.Rule,
					"geldt het doel "+nl.purpose(n.Purpose)+" voor "+nl.caseKinds(n.CaseKinds)+" (eerder: "+nl.caseKinds(o.CaseKinds)+")",
					"the purpose "+en.purpose(n.Purpose)+" covers "+en.caseKinds(n.CaseKinds)+" (before: "+en.caseKinds(o.CaseKinds)+")")
			}
			if o.Basis != n.Basis {
				// GDPR art. 13(1)(c): the legal basis is part of what the
				// subject is told.
				d.say(AreaPurposes, Changed, n.Rule,
					"is de grondslag voor "+nl.purpose(n.Purpose)+": "+clean(n.Basis.In("nl"))+" (eerder: "+clean(o.Basis.In("nl"))+")",
					"the legal basis for "+en.purpose(n.Purpose)+" is: "+clean(n.Basis.In("en"))+" (before: "+clean(o.Basis.In("en"))+")")
			}
		}
	}
	for _, n := range d.new.p.Purposes {
		if _, ok := find(d.old.p.Purposes, n.Purpose); !ok {
			d.say(AreaPurposes, Added, n.Rule, "verwerken wij uw gegevens ook voor "+nl.purpose(n.Purpose)+", in "+nl.caseKinds(n.CaseKinds),
				"we also process your data for "+en.purpose(n.Purpose)+", in "+en.caseKinds(n.CaseKinds))
		}
	}
}

func sameSet[T cmp.Ordered](a, b []T) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

// grant is one thing a role may do: take an action on one field of one
// category.
type grant struct {
	role   privacy.Role
	cat    privacy.Category
	field  privacy.Field
	action privacy.Action
}

// variant is one way a grant is given: by a rule, in some kinds of case,
// under some conditions.
type variant struct {
	rule  privacy.RuleID
	kinds []privacy.CaseKind
	conds []privacy.Condition
}

func (v variant) sig() string {
	k := slices.Clone(v.kinds)
	c := slices.Clone(v.conds)
	slices.Sort(k)
	slices.Sort(c)
	var b strings.Builder
	for _, x := range k {
		b.WriteString(string(x))
		b.WriteByte(',')
	}
	b.WriteByte('|')
	for _, x := range c {
		b.WriteString(string(x))
		b.WriteByte(',')
	}
	return b.String()
}

// fieldsOf returns the fields of c a rule names, or all of them when it
// names none.
func fieldsOf(c privacy.Category, fs []privacy.Field) []privacy.Field {
	info, _ := c.Info()
	if len(fs) == 0 {
		return info.Fields
	}
	var out []privacy.Field
	for _, f := range info.Fields {
		if slices.Contains(fs, f) {
			out = append(out, f)
		}
	}
	return out
}

// grants expands a policy's access rules into what each role may do with
// each field. An unconditional deny rule takes away what it covers.
func grants(p *privacy.Policy) map[grant][]variant {
	m := map[grant][]variant{}
	for _, a := range p.Access {
		if a.Effect != privacy.Allow {
			continue
		}
		v := variant{a.Rule, a.CaseKinds, a.Requires}
		for _, r := range a.Roles {
			for _, c := range a.Categories {
				for _, f := range fieldsOf(c, a.Fields) {
					for _, act := range a.Actions {
						g := grant{r, c, f, act}
						m[g] = append(m[g], v)
					}
				}
			}
		}
	}
	for _, a := range p.Access {
		if a.Effect != privacy.Deny || len(a.Requires) > 0 || len(a.CaseKinds) > 0 {
			continue
		}
		for g := range m {
			if slices.Contains(a.Roles, g.role) && slices.Contains(a.Categories, g.cat) && slices.Contains(a.Actions, g.action) {
				delete(m, g)
			}
		}
	}
	return m
}

// orderOf maps each value of a list to its position, for sorting by the
// catalog's order.
func orderOf[T comparable](list []T) map[T]int {
	m := make(map[T]int, len(list))
	for i, x := range list {
		m[x] = i
	}
	return m
}

var (
	roleOrder   = orderOf(privacy.Roles())
	catOrder    = orderOf(privacy.Categories())
	actionOrder = privacy.Actions()
	actionIndex = orderOf(actionOrder)
	fieldOrder  = func() map[privacy.Field]int {
		m := map[privacy.Field]int{}
		for _, c := range privacy.Categories() {
			info, _ := c.Info()
			for _, f := range info.Fields {
				if _, ok := m[f]; !ok {
					m[f] = len(m)
				}
			}
		}
		return m
	}()
)

// rank is a value's position in order, unknown values last.
func rank[T comparable](order map[T]int, x T) int {
	if i, ok := order[x]; ok {
		return i
	}
	return len(order)
}

func compareGrants(a, b grant) int {
	return cmp.Or(
		cmp.Compare(rank(roleOrder, a.role), rank(roleOrder, b.role)),
		cmp.Compare(rank(catOrder, a.cat), rank(catOrder, b.cat)),
		cmp.Compare(rank(actionIndex, a.action), rank(actionIndex, b.action)),
		cmp.Compare(rank(fieldOrder, a.field), rank(fieldOrder, b.field)),
	)
}

// objects writes fields of one category as the object of a sentence: the
// whole category, or the fields with the category after them.
func objects(l lang, c privacy.Category, fs []privacy.Field) string {
	info, _ := c.Info()
	if len(fs) == len(info.Fields) {
		return l.t("de gegevens in de categorie ‘", "the data in the category ‘") + l.category(c) + "’"
	}
	nouns := make([]string, len(fs))
	for i, f := range fs {
		nouns[i] = l.fieldNoun(f)
	}
	return l.and(nouns) + " (" + l.category(c) + ")"
}

func (d *differ) access() {
	og, ng := grants(d.old.p), grants(d.new.p)
	type group struct {
		role  privacy.Role
		cat   privacy.Category
		rule  privacy.RuleID
		kind  ChangeKind
		acts  []privacy.Action
		field []privacy.Field
	}
	var keys []grant
	for g := range og {
		keys = append(keys, g)
	}
	for g := range ng {
		if _, ok := og[g]; !ok {
			keys = append(keys, g)
		}
	}
	slices.SortFunc(keys, compareGrants)

	// Per role, category, rule and kind of change: which fields, by action.
	type gk struct {
		role privacy.Role
		cat  privacy.Category
		rule privacy.RuleID
		kind ChangeKind
	}
	var order []gk
	byAction := map[gk]map[privacy.Action][]privacy.Field{}
	type ck struct {
		role privacy.Role
		cat  privacy.Category
	}
	var condOrder []ck
	condOld, condNew := map[ck][]variant{}, map[ck][]variant{}
	for _, g := range keys {
		o, n := og[g], ng[g]
		var k gk
		switch {
		case len(o) == 0:
			k = gk{g.role, g.cat, n[0].rule, Added}
		case len(n) == 0:
			k = gk{g.role, g.cat, o[0].rule, Removed}
		default:
			if !sameVariants(o, n) {
				c := ck{g.role, g.cat}
				if _, ok := condNew[c]; !ok {
					condOrder = append(condOrder, c)
				}
				condOld[c] = addVariants(condOld[c], o)
				condNew[c] = addVariants(condNew[c], n)
			}
			continue
		}
		if _, ok := byAction[k]; !ok {
			byAction[k] = map[privacy.Action][]privacy.Field{}
			order = append(order, k)
		}
		byAction[k][g.action] = append(byAction[k][g.action], g.field)
	}
	for _, k := range order {
		// Actions with the same fields make one sentence.
		var groups []group
		for _, act := range actionOrder {
			fs, ok := byAction[k][act]
			if !ok {
				continue
			}
			i := slices.IndexFunc(groups, func(g group) bool { return slices.Equal(g.field, fs) })
			if i < 0 {
				groups = append(groups, group{role: k.role, cat: k.cat, rule: k.rule, kind: k.kind, field: fs})
				i = len(groups) - 1
			}
			groups[i].acts = append(groups[i].acts, act)
		}
		for _, g := range groups {
			subjNL, subjEN := nl.roleSubject(g.role), en.roleSubject(g.role)
			objNL, objEN := objects(nl, g.cat, g.field), objects(en, g.cat, g.field)
			verbsNL, verbsEN := nl.and(nl.verbs(g.acts)), en.and(en.verbs(g.acts))
			if g.kind == Added {
				d.say(AreaAccess, Added, g.rule, "mag "+subjNL+" "+objNL+" "+verbsNL, subjEN+" may "+verbsEN+" "+objEN)
			} else {
				d.say(AreaAccess, Removed, g.rule, "mag "+subjNL+" "+objNL+" niet meer "+verbsNL, subjEN+" may no longer "+verbsEN+" "+objEN)
			}
		}
	}
	for _, c := range condOrder {
		o, n := condOld[c], condNew[c]
		catNL, catEN := "‘"+nl.category(c.cat)+"’", "‘"+en.category(c.cat)+"’"
		subjNL, subjEN := nl.roleSubject(c.role), en.roleSubject(c.role)
		if len(o) == 1 && len(n) == 1 && sameSet(o[0].kinds, n[0].kinds) {
			// One way before and after: name the conditions that went and
			// came.
			gone, came := minus(o[0].conds, n[0].conds), minus(n[0].conds, o[0].conds)
			for _, cond := range gone {
				d.say(AreaAccess, Changed, n[0].rule,
					"vervalt voor "+subjNL+" bij "+catNL+" de voorwaarde ‘"+nl.term(conditions, string(cond))+"’",
					"the condition ‘"+en.term(conditions, string(cond))+"’ no longer applies to "+subjEN+" for "+catEN)
			}
			for _, cond := range came {
				d.say(AreaAccess, Changed, n[0].rule,
					"geldt voor "+subjNL+" bij "+catNL+" een nieuwe voorwaarde: ‘"+nl.term(conditions, string(cond))+"’",
					"a new condition applies to "+subjEN+" for "+catEN+": ‘"+en.term(conditions, string(cond))+"’")
			}
			continue
		}
		d.say(AreaAccess, Changed, n[0].rule,
			"gelden voor "+nl.roleSubject(c.role)+" andere voorwaarden bij de categorie ‘"+nl.category(c.cat)+"’: voortaan "+describeVariants(nl, n)+" (eerder: "+describeVariants(nl, o)+")",
			"other conditions apply to "+en.roleSubject(c.role)+" for the category ‘"+en.category(c.cat)+"’: now "+describeVariants(en, n)+" (before: "+describeVariants(en, o)+")")
	}
}

// minus returns the items of a that are not in b.
func minus[T comparable](a, b []T) []T {
	var out []T
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func sameVariants(a, b []variant) bool {
	sigs := func(vs []variant) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = v.sig()
		}
		return out
	}
	return sameSet(sigs(a), sigs(b))
}

func addVariants(list, more []variant) []variant {
	for _, v := range more {
		if !slices.ContainsFunc(list, func(w variant) bool { return w.sig() == v.sig() }) {
			list = append(list, v)
		}
	}
	return list
}

func describeVariants(l lang, vs []variant) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		var parts []string
		if len(v.kinds) > 0 {
			parts = append(parts, l.t("in ", "in ")+l.caseKinds(v.kinds))
		}
		if len(v.conds) > 0 {
			parts = append(parts, l.t("mits ", "provided ")+l.conditions(v.conds))
		}
		if len(parts) == 0 {
			parts = append(parts, l.t("zonder voorwaarden", "without conditions"))
		}
		out[i] = strings.Join(parts, ", ")
	}
	return strings.Join(out, l.t("; of ", "; or "))
}

// release is one thing that may leave the service: a field of a category
// to a kind of recipient on a basis, from some roles.
type release struct {
	to    privacy.PartyKind
	basis privacy.BasisKind
	from  string
	cat   privacy.Category
	field privacy.Field
}

func releases(p *privacy.Policy) map[release]privacy.RuleID {
	m := map[release]privacy.RuleID{}
	for _, r := range p.Disclosures {
		from := slices.Clone(r.From)
		slices.Sort(from)
		var b strings.Builder
		for _, x := range from {
			b.WriteString(string(x))
			b.WriteByte(',')
		}
		for _, c := range r.Categories {
			for _, f := range fieldsOf(c, r.Fields) {
				k := release{r.Recipient, r.Basis, b.String(), c, f}
				if _, ok := m[k]; !ok {
					m[k] = r.Rule
				}
			}
		}
	}
	return m
}

func basisLabel(l lang, b privacy.BasisKind) string {
	switch b {
	case privacy.BasisConsent:
		return l.t("met uw uitdrukkelijke toestemming", "with your explicit consent")
	case privacy.BasisWrittenConsent:
		return l.t("met uw schriftelijke toestemming", "with your written consent")
	case privacy.BasisNone:
		return l.t("zonder uw toestemming", "without your consent")
	}
	return clean(string(b))
}

func fromLabel(l lang, from string) string {
	if from == "" {
		return ""
	}
	var names []string
	for _, r := range strings.Split(strings.TrimSuffix(from, ","), ",") {
		names = append(names, l.roleSubject(privacy.Role(r)))
	}
	return l.t(" door ", " by ") + l.or(names)
}

func (d *differ) disclosures() {
	or, nr := releases(d.old.p), releases(d.new.p)
	type gk struct {
		to    privacy.PartyKind
		basis privacy.BasisKind
		from  string
		cat   privacy.Category
		rule  privacy.RuleID
		kind  ChangeKind
	}
	var keys []release
	for k := range or {
		if _, ok := nr[k]; !ok {
			keys = append(keys, k)
		}
	}
	for k := range nr {
		if _, ok := or[k]; !ok {
			keys = append(keys, k)
		}
	}
	parties := orderOf(privacy.PartyKinds())
	slices.SortFunc(keys, func(a, b release) int {
		return cmp.Or(cmp.Compare(rank(parties, a.to), rank(parties, b.to)), cmp.Compare(string(a.basis), string(b.basis)),
			cmp.Compare(a.from, b.from), cmp.Compare(rank(catOrder, a.cat), rank(catOrder, b.cat)), cmp.Compare(rank(fieldOrder, a.field), rank(fieldOrder, b.field)))
	})
	var order []gk
	fields := map[gk][]privacy.Field{}
	for _, k := range keys {
		g := gk{k.to, k.basis, k.from, k.cat, "", Added}
		if r, ok := or[k]; ok {
			g.rule, g.kind = r, Removed
		} else {
			g.rule = nr[k]
		}
		if _, ok := fields[g]; !ok {
			order = append(order, g)
		}
		fields[g] = append(fields[g], k.field)
	}
	for _, g := range order {
		fs := fieldsOf(g.cat, fields[g]) // in taxonomy order
		objNL, objEN := objects(nl, g.cat, fs), objects(en, g.cat, fs)
		if g.kind == Added {
			d.say(AreaDisclosures, Added, g.rule,
				"mogen wij "+objNL+" aan "+nl.party(g.to)+" verstrekken"+fromLabel(nl, g.from)+", "+basisLabel(nl, g.basis),
				"we may disclose "+objEN+" to "+en.party(g.to)+fromLabel(en, g.from)+", "+basisLabel(en, g.basis))
		} else {
			d.say(AreaDisclosures, Removed, g.rule,
				"mogen wij "+objNL+" niet meer aan "+nl.party(g.to)+" verstrekken"+fromLabel(nl, g.from)+", "+basisLabel(nl, g.basis),
				"we may no longer disclose "+objEN+" to "+en.party(g.to)+fromLabel(en, g.from)+", "+basisLabel(en, g.basis))
		}
	}
}

func (d *differ) legalBases() {
	recipients := func(l lang, ks []privacy.PartyKind) string {
		out := make([]string, len(ks))
		for i, k := range ks {
			out[i] = l.party(k)
		}
		return l.and(out)
	}
	what := func(l lang, b privacy.LegalBasis) string {
		return clean(b.Citation) + l.t(" — aan ", " — to ") + recipients(l, b.Recipients) + ": " + l.catList(b.Categories)
	}
	for _, o := range d.old.p.LegalBases {
		n, ok := d.new.p.LegalBasis(o.ID)
		switch {
		case !ok:
			d.say(AreaLegalBases, Removed, o.Rule, "vervalt de wettelijke grondslag "+what(nl, o), "the legal basis "+what(en, o)+" no longer applies")
		case o.Citation != n.Citation || !sameSet(o.Recipients, n.Recipients) || !sameSet(o.Categories, n.Categories):
			d.say(AreaLegalBases, Changed, n.Rule, "verandert de wettelijke grondslag: voortaan "+what(nl, n)+" (eerder: "+what(nl, o)+")",
				"a legal basis changes: now "+what(en, n)+" (before: "+what(en, o)+")")
		}
	}
	for _, n := range d.new.p.LegalBases {
		if _, ok := d.old.p.LegalBasis(n.ID); !ok {
			d.say(AreaLegalBases, Added, n.Rule, "geldt een nieuwe wettelijke grondslag: "+what(nl, n), "a new legal basis applies: "+what(en, n))
		}
	}
}

func retentionKey(r privacy.RetentionRule) string {
	c := slices.Clone(r.Categories)
	k := slices.Clone(r.CaseKinds)
	slices.Sort(c)
	slices.Sort(k)
	var b strings.Builder
	for _, x := range c {
		b.WriteString(string(x))
		b.WriteByte(',')
	}
	b.WriteByte('|')
	for _, x := range k {
		b.WriteString(string(x))
		b.WriteByte(',')
	}
	b.WriteByte('|')
	b.WriteString(string(r.Trigger))
	return b.String()
}

func sameRetention(a, b privacy.RetentionRule) bool {
	return retentionKey(a) == retentionKey(b) && a.Rule == b.Rule && a.Period == b.Period &&
		a.FromYearEnd == b.FromYearEnd && a.Statutory == b.Statutory && a.Citation == b.Citation
}

func (d *differ) retention() {
	bn := &builder{facts: d.new, l: nl}
	be := &builder{facts: d.new, l: en}
	// scope writes the records a rule covers, followed by a comma when
	// the kinds of case end it, so that the trigger reads apart.
	scope := func(r privacy.RetentionRule) (string, string) {
		one := func(b *builder) string {
			cats, kinds := b.retentionParts(r)
			if kinds == "" {
				return cats
			}
			return cats + ", " + kinds + ","
		}
		return one(bn), one(be)
	}
	oldLeft := slices.Clone(d.old.p.Retention)
	newLeft := slices.Clone(d.new.p.Retention)
	// Pass 1: equal rules are no change.
	for i := 0; i < len(oldLeft); i++ {
		if j := slices.IndexFunc(newLeft, func(n privacy.RetentionRule) bool { return sameRetention(oldLeft[i], n) }); j >= 0 {
			oldLeft = slices.Delete(oldLeft, i, i+1)
			newLeft = slices.Delete(newLeft, j, j+1)
			i--
		}
	}
	// Pass 2: the same records and trigger: the period or its standing
	// changed.
	for i := 0; i < len(oldLeft); i++ {
		o := oldLeft[i]
		j := slices.IndexFunc(newLeft, func(n privacy.RetentionRule) bool { return retentionKey(n) == retentionKey(o) })
		if j < 0 {
			continue
		}
		n := newLeft[j]
		sn, se := scope(n)
		tn, te := nl.from(n), en.from(n)
		if o.FromYearEnd != n.FromYearEnd {
			d.say(AreaRetention, Changed, n.Rule,
				"loopt de bewaartermijn van "+sn+" voortaan vanaf "+tn+" (eerder: vanaf "+nl.from(o)+")",
				"the retention period of "+se+" now runs from "+te+" (before: from "+en.from(o)+")")
		}
		if o.Period != n.Period {
			d.say(AreaRetention, Changed, n.Rule,
				"gaat de bewaartermijn van "+sn+" na "+tn+" van "+nl.period(o.Period)+" naar "+nl.period(n.Period),
				"the retention period of "+se+" after "+te+" goes from "+en.period(o.Period)+" to "+en.period(n.Period))
		}
		switch {
		case !o.Statutory && n.Statutory:
			d.say(AreaRetention, Changed, n.Rule,
				"is de bewaartermijn van "+sn+" na "+tn+" een wettelijke bewaarplicht ("+clean(n.Citation)+"): een verzoek om verwijdering maakt hem niet korter",
				"the retention period of "+se+" after "+te+" is a statutory duty ("+clean(n.Citation)+"): a request for erasure does not shorten it")
		case o.Statutory && !n.Statutory:
			d.say(AreaRetention, Changed, n.Rule,
				"is de bewaartermijn van "+sn+" na "+tn+" geen wettelijke bewaarplicht meer: op uw verzoek kunnen deze gegevens eerder worden verwijderd",
				"the retention period of "+se+" after "+te+" is no longer a statutory duty: on your request the data may be erased earlier")
		case o.Citation != n.Citation:
			d.say(AreaRetention, Changed, n.Rule,
				"berust de bewaartermijn van "+sn+" na "+tn+" op "+clean(n.Citation)+" (eerder: "+clean(o.Citation)+")",
				"the retention period of "+se+" after "+te+" rests on "+clean(n.Citation)+" (before: "+clean(o.Citation)+")")
		}
		oldLeft = slices.Delete(oldLeft, i, i+1)
		newLeft = slices.Delete(newLeft, j, j+1)
		i--
	}
	for _, o := range oldLeft {
		sn, se := bn.retentionScope(o), be.retentionScope(o)
		d.say(AreaRetention, Removed, o.Rule,
			"vervalt de bewaartermijn van "+nl.period(o.Period)+" na "+nl.from(o)+" voor "+sn,
			"the retention period of "+en.period(o.Period)+" after "+en.from(o)+" for "+se+" no longer applies")
	}
	for _, n := range newLeft {
		sn, se := bn.retentionScope(n), be.retentionScope(n)
		stat, statEN := "", ""
		if n.Statutory {
			stat, statEN = " (wettelijke bewaarplicht: "+clean(n.Citation)+")", " (statutory duty: "+clean(n.Citation)+")"
		}
		d.say(AreaRetention, Added, n.Rule,
			"geldt een nieuwe bewaartermijn: "+sn+", "+nl.period(n.Period)+" na "+nl.from(n)+stat,
			"a new retention period applies: "+se+", "+en.period(n.Period)+" after "+en.from(n)+statEN)
	}
	if o, n := d.old.p.AuditRetention, d.new.p.AuditRetention; o.Period != n.Period {
		d.say(AreaRetention, Changed, n.Rule,
			"gaat de bewaartermijn van het logboek van wie uw gegevens heeft ingezien van "+nl.period(o.Period)+" naar "+nl.period(n.Period),
			"the retention period of the log of who accessed your data goes from "+en.period(o.Period)+" to "+en.period(n.Period))
	}
	d.dataRetention()
}

// dataRetention says what changed in the retention of the stored data
// besides records (Policy.Data; rules R9, O12): per kind, its period, its
// standing as a statutory duty, or its source.
func (d *differ) dataRetention() {
	period := func(l lang, p privacy.Period) string {
		if p.IsZero() {
			return l.t("geen vaste termijn", "no fixed period")
		}
		return l.period(p)
	}
	for _, k := range privacy.DataKinds() {
		o, hadOld := d.old.p.DataRule(k)
		n, hasNew := d.new.p.DataRule(k)
		if k == privacy.DataAudit || !hadOld || !hasNew {
			// Audit events are AuditRetention's (above); Validate keeps
			// every other kind covered in both versions.
			continue
		}
		kn, ke := nl.dataKind(k), en.dataKind(k)
		if o.Period != n.Period {
			d.say(AreaRetention, Changed, n.Rule,
				"gaat de bewaartermijn van "+kn+" van "+period(nl, o.Period)+" naar "+period(nl, n.Period),
				"the retention period of "+ke+" goes from "+period(en, o.Period)+" to "+period(en, n.Period))
		}
		switch {
		case !o.Statutory && n.Statutory:
			d.say(AreaRetention, Changed, n.Rule,
				"is de bewaartermijn van "+kn+" een wettelijke bewaarplicht ("+clean(n.Citation)+")",
				"the retention period of "+ke+" is a statutory duty ("+clean(n.Citation)+")")
		case o.Statutory && !n.Statutory:
			d.say(AreaRetention, Changed, n.Rule,
				"is de bewaartermijn van "+kn+" geen wettelijke bewaarplicht meer",
				"the retention period of "+ke+" is no longer a statutory duty")
		case o.Citation != n.Citation:
			d.say(AreaRetention, Changed, n.Rule,
				"berust de bewaartermijn van "+kn+" op "+clean(n.Citation)+" (eerder: "+clean(o.Citation)+")",
				"the retention period of "+ke+" rests on "+clean(n.Citation)+" (before: "+clean(o.Citation)+")")
		}
	}
}

func (d *differ) requests() {
	o, n := d.old.p.Requests, d.new.p.Requests
	find := func(ds []privacy.Deadline, rule privacy.RuleID) (privacy.Deadline, bool) {
		for _, x := range ds {
			if x.Rule == rule {
				return x, true
			}
		}
		return privacy.Deadline{}, false
	}
	for _, od := range o.Answer {
		nd, ok := find(n.Answer, od.Rule)
		switch {
		case !ok:
			d.say(AreaRequests, Removed, od.Rule,
				"vervalt de termijn van "+nl.period(od.Period)+" waarbinnen wij uw verzoek om inzage beantwoorden",
				"the period of "+en.period(od.Period)+" within which we answer your request for access no longer applies")
		case nd.Period != od.Period:
			d.say(AreaRequests, Changed, nd.Rule,
				"gaat de termijn waarbinnen wij uw verzoek om inzage beantwoorden van "+nl.period(od.Period)+" naar "+nl.period(nd.Period),
				"the period within which we answer your request for access goes from "+en.period(od.Period)+" to "+en.period(nd.Period))
		}
	}
	for _, nd := range n.Answer {
		if _, ok := find(o.Answer, nd.Rule); !ok {
			d.say(AreaRequests, Added, nd.Rule,
				"beantwoorden wij uw verzoek om inzage ook binnen "+nl.period(nd.Period),
				"we also answer your request for access within "+en.period(nd.Period))
		}
	}
	d.optionalDeadline(o.Extension, n.Extension,
		"kunnen wij de termijn voor uw verzoek", "we may extend the period for your request",
		"met ten hoogste %s verlengen", "by at most %s")
	d.optionalDeadline(o.MedicalErasure, n.MedicalErasure,
		"vernietigen wij uw medisch dossier op uw verzoek", "we destroy your medical file on your request",
		"binnen %s", "within %s")
	switch {
	case len(o.WrittenBy) == 0 && len(n.WrittenBy) > 0:
		d.say(AreaRequests, Changed, n.WrittenBy[0], "moet uw verzoek schriftelijk zijn", "your request must be in writing")
	case len(o.WrittenBy) > 0 && len(n.WrittenBy) == 0:
		d.say(AreaRequests, Changed, o.WrittenBy[0], "hoeft uw verzoek niet meer schriftelijk te zijn", "your request no longer needs to be in writing")
	}
	if o.FreeCopies != n.FreeCopies {
		d.say(AreaRequests, Changed, privacy.N11,
			"gaat het aantal gratis afschriften van "+strconv.Itoa(o.FreeCopies)+" naar "+strconv.Itoa(n.FreeCopies),
			"the number of free copies goes from "+strconv.Itoa(o.FreeCopies)+" to "+strconv.Itoa(n.FreeCopies))
	}
}

// optionalDeadline reports a deadline that may be absent: the extension
// (G2) and the destruction of a medical file (N8).
func (d *differ) optionalDeadline(o, n *privacy.Deadline, whatNL, whatEN, howNL, howEN string) {
	fill := func(s string, p string) string { return strings.Replace(s, "%s", p, 1) }
	switch {
	case o == nil && n == nil:
	case o == nil:
		d.say(AreaRequests, Added, n.Rule, whatNL+" "+fill(howNL, nl.period(n.Period)), whatEN+" "+fill(howEN, en.period(n.Period)))
	case n == nil:
		d.say(AreaRequests, Removed, o.Rule, "vervalt de termijn: "+whatNL+" "+fill(howNL, nl.period(o.Period)),
			"this no longer applies: "+whatEN+" "+fill(howEN, en.period(o.Period)))
	case o.Period != n.Period:
		d.say(AreaRequests, Changed, n.Rule, whatNL+" "+fill(howNL, nl.period(n.Period))+" (eerder: "+nl.period(o.Period)+")",
			whatEN+" "+fill(howEN, en.period(n.Period))+" (before: "+en.period(o.Period)+")")
	}
}

func (d *differ) groupSize() {
	o, n := d.old.p.MinGroupSize, d.new.p.MinGroupSize
	if o != n {
		d.say(AreaGroupSize, Changed, privacy.N12,
			"gaat de kleinste groep waarover uw werkgever cijfers krijgt van "+strconv.Itoa(o)+" naar "+strconv.Itoa(n)+" personen",
			"the smallest group your employer receives figures of goes from "+strconv.Itoa(o)+" to "+strconv.Itoa(n)+" people")
	}
}
