package export

import (
	"context"
	"iter"
	"slices"
	"strings"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// ConsentLog is the [DisclosureSource] and [ConsentSource] of package
// consent: the subject's disclosure log (G1, G4) and grants with their
// revocations (R6, O14), as the export shows them.
type ConsentLog struct {
	reg *consent.Registry
}

// FromConsent returns the export's view of a consent registry.
func FromConsent(reg *consent.Registry) *ConsentLog { return &ConsentLog{reg: reg} }

var (
	_ DisclosureSource = (*ConsentLog)(nil)
	_ ConsentSource    = (*ConsentLog)(nil)
)

// SubjectDisclosures implements [DisclosureSource].
func (l *ConsentLog) SubjectDisclosures(ctx context.Context, id privacy.SubjectID) iter.Seq2[Disclosure, error] {
	return func(yield func(Disclosure, error) bool) {
		ds, err := l.reg.Disclosures(ctx, id)
		if err != nil {
			yield(Disclosure{}, err)
			return
		}
		for _, d := range ds {
			out := Disclosure{ID: string(d.ID), Time: d.At, Recipient: d.Recipient.Party, RecipientKind: d.Recipient.Kind,
				Case: d.Case, Basis: d.Basis, LegalBasis: d.LegalBasis, Rule: d.Rule, By: d.By}
			grants := make([]string, len(d.Grants))
			for i, g := range d.Grants {
				grants[i] = string(g)
			}
			out.Grant = strings.Join(grants, ",")
			for _, it := range d.Items {
				if !slices.Contains(out.Categories, it.Category) {
					out.Categories = append(out.Categories, it.Category)
				}
				if it.Record != "" {
					out.Records = append(out.Records, it.Record)
				}
			}
			if !yield(out, nil) {
				return
			}
		}
	}
}

// SubjectConsents implements [ConsentSource].
func (l *ConsentLog) SubjectConsents(ctx context.Context, id privacy.SubjectID) iter.Seq2[Consent, error] {
	return func(yield func(Consent, error) bool) {
		gs, err := l.reg.Grants(ctx, id)
		if err != nil {
			yield(Consent{}, err)
			return
		}
		for _, g := range gs {
			out := Consent{ID: string(g.ID), Recipient: g.Recipient.Party, RecipientKind: g.Recipient.Kind, Case: g.Case,
				Categories: slices.Clone(g.Categories), Purpose: g.Purpose, Written: g.Written(), Document: g.Document,
				Granted: g.Given, Expires: g.Until, Revoked: g.Revoked, Rule: privacy.R6}
			switch {
			case slices.Contains(g.Categories, privacy.CategoryConsultation):
				out.Rule = privacy.O10 // the employer learns of a consultation only with approval
			case g.Written():
				out.Rule = privacy.O14
			}
			if !yield(out, nil) {
				return
			}
		}
	}
}
