package seal

import (
	"context"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// ErasedText is what a sealed free text of an erased subject reads as: the
// reasons in the history of a request and of a hold outlive the subject
// (they are the accountability of what was done, the erasure included),
// their text does not.
const ErasedText = "[erased]"

// sealText seals a free text of subject for p. A text of a subject that
// has no key and does not exist (a request filed for someone the service
// does not know), or whose key was destroyed (the answer to an erasure
// request, written after the erasure), is kept as it is: there is no key
// of that person to seal it with, and staff write it about the request.
func (s *Store) sealText(ctx context.Context, op string, p place, v string) (string, error) {
	if v == "" || !privacy.ValidID(string(p.subject)) {
		return v, nil
	}
	k, err := s.key(ctx, op, p.subject, false)
	if errors.Is(err, ErrErased) {
		e, gerr := s.keys.Get(ctx, p.subject)
		switch {
		case gerr == nil && e.Destroyed():
			return v, nil // erased: see above
		case errors.Is(gerr, privacy.ErrNotFound):
			if _, serr := s.Backend.Subject(ctx, p.subject); errors.Is(serr, privacy.ErrNotFound) {
				return v, nil // not a subject of the service: see above
			} else if serr != nil {
				return "", serr
			}
			k, err = s.key(ctx, op, p.subject, true)
		case gerr != nil:
			return "", gerr
		}
	}
	if err != nil {
		return "", err
	}
	sv, err := k.seal(p, v)
	if err != nil {
		return "", unavailable("seal: "+op, err)
	}
	return sv, nil
}

// openText opens a free text sealed for p; a text of an erased subject
// reads as ErasedText.
func (s *Store) openText(ctx context.Context, op string, p place, v string) (string, error) {
	if !IsSealed(v) {
		return v, nil
	}
	sv, err := decode(v)
	if err != nil {
		return "", err
	}
	k, err := s.key(ctx, op, p.subject, false)
	if errors.Is(err, ErrErased) {
		return ErasedText, nil
	}
	if err != nil {
		return "", err
	}
	if sv.key != k.id {
		if slices.Contains(k.former, hex.EncodeToString(sv.key[:])) {
			return ErasedText, nil
		}
		return "", &privacy.Error{Op: "seal: " + op, Kind: ErrTampered, Path: truncate(p.field, 32),
			Msg: "the text was sealed for another subject"}
	}
	return k.open(p, sv)
}

func requestPlace(r *rights.Request, i int) place {
	return place{subject: r.Subject, file: fileRequest, object: string(r.ID), field: "history." + strconv.Itoa(i) + ".reason"}
}

// sealRequest returns a copy of r with the reasons of its history sealed.
func (s *Store) sealRequest(ctx context.Context, op string, r rights.Request) (rights.Request, error) {
	r = r.Clone()
	for i := range r.History {
		v, err := s.sealText(ctx, op, requestPlace(&r, i), r.History[i].Reason)
		if err != nil {
			return rights.Request{}, err
		}
		r.History[i].Reason = v
	}
	return r, nil
}

// openLenient is openText for a listing: a text that fails
// authentication (ErrTampered) reads as UnreadableText.
func (s *Store) openLenient(ctx context.Context, op string, p place, v string, lenient bool) (string, error) {
	t, err := s.openText(ctx, op, p, v)
	if lenient && errors.Is(err, ErrTampered) {
		return UnreadableText, nil
	}
	return t, err
}

// openRequest opens the reasons of r's history in place; lenient in a
// listing (see [UnreadableText]).
func (s *Store) openRequest(ctx context.Context, op string, r *rights.Request, lenient bool) error {
	for i := range r.History {
		v, err := s.openLenient(ctx, op, requestPlace(r, i), r.History[i].Reason, lenient)
		if err != nil {
			return err
		}
		r.History[i].Reason = v
	}
	return nil
}

// CreateRequest implements rights.Store: the reasons of the history are
// sealed with the subject's key.
func (s *Store) CreateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	sr, err := s.sealRequest(ctx, "create request", r)
	if err != nil {
		return err
	}
	return s.Backend.CreateRequest(ctx, sr, events)
}

// UpdateRequest implements rights.Store, sealing as CreateRequest.
func (s *Store) UpdateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	sr, err := s.sealRequest(ctx, "update request", r)
	if err != nil {
		return err
	}
	return s.Backend.UpdateRequest(ctx, sr, events)
}

// Request implements rights.Store: the reasons come back opened.
func (s *Store) Request(ctx context.Context, id rights.RequestID) (rights.Request, error) {
	r, err := s.Backend.Request(ctx, id)
	if err != nil {
		return rights.Request{}, err
	}
	if err := s.openRequest(ctx, "read request", &r, false); err != nil {
		return rights.Request{}, err
	}
	return r, nil
}

// SubjectRequests implements rights.Store, opening as Request.
func (s *Store) SubjectRequests(ctx context.Context, subject privacy.SubjectID) ([]rights.Request, error) {
	rs, err := s.Backend.SubjectRequests(ctx, subject)
	return s.openRequests(ctx, "read subject requests", rs, err)
}

// OpenRequests implements rights.Store, opening as Request.
func (s *Store) OpenRequests(ctx context.Context) ([]rights.Request, error) {
	rs, err := s.Backend.OpenRequests(ctx)
	return s.openRequests(ctx, "read open requests", rs, err)
}

func (s *Store) openRequests(ctx context.Context, op string, rs []rights.Request, err error) ([]rights.Request, error) {
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if err := s.openRequest(ctx, op, &rs[i], true); err != nil {
			return nil, err
		}
	}
	return rs, nil
}

func holdPlace(h *retention.Hold, field string) place {
	return place{subject: h.Subject, file: fileHold, object: string(h.ID), field: field}
}

// PlaceHold implements retention.Store: the hold's reason is sealed with
// the subject's key. It is ordered with erasures in this process, so that
// a hold and an erasure of one subject never interleave between the
// erasure's check of the holds and its destruction of the key.
func (s *Store) PlaceHold(ctx context.Context, h retention.Hold, e privacy.Event) error {
	h = h.Clone()
	var err error
	if h.Reason, err = s.sealText(ctx, "place hold", holdPlace(&h, "reason"), h.Reason); err != nil {
		return err
	}
	if h.LiftReason, err = s.sealText(ctx, "place hold", holdPlace(&h, "lift-reason"), h.LiftReason); err != nil {
		return err
	}
	s.life.Lock()
	defer s.life.Unlock()
	return s.Backend.PlaceHold(ctx, h, e)
}

// LiftHold implements retention.Store, sealing the reason of the lifting.
func (s *Store) LiftHold(ctx context.Context, id retention.HoldID, by privacy.PrincipalID, at time.Time, reason string, e privacy.Event) error {
	if h, err := s.Backend.Hold(ctx, id); err == nil {
		if reason, err = s.sealText(ctx, "lift hold", holdPlace(&h, "lift-reason"), reason); err != nil {
			return err
		}
	}
	return s.Backend.LiftHold(ctx, id, by, at, reason, e)
}

// openHold opens h's reasons in place; lenient in a dossier and a sweep's
// candidates (rule O12: a sweep is not stopped by one reason it need not
// read; see [UnreadableText]).
func (s *Store) openHold(ctx context.Context, op string, h *retention.Hold, lenient bool) error {
	var err error
	if h.Reason, err = s.openLenient(ctx, op, holdPlace(h, "reason"), h.Reason, lenient); err != nil {
		return err
	}
	h.LiftReason, err = s.openLenient(ctx, op, holdPlace(h, "lift-reason"), h.LiftReason, lenient)
	return err
}

// Hold implements retention.Store: the reasons come back opened.
func (s *Store) Hold(ctx context.Context, id retention.HoldID) (retention.Hold, error) {
	h, err := s.Backend.Hold(ctx, id)
	if err != nil {
		return retention.Hold{}, err
	}
	if err := s.openHold(ctx, "read hold", &h, false); err != nil {
		return retention.Hold{}, err
	}
	return h, nil
}

// Dossier implements retention.Store: the holds' reasons come back opened.
func (s *Store) Dossier(ctx context.Context, id privacy.SubjectID) (retention.Dossier, error) {
	d, err := s.Backend.Dossier(ctx, id)
	if err != nil {
		return retention.Dossier{}, err
	}
	for i := range d.Holds {
		if err := s.openHold(ctx, "read dossier", &d.Holds[i], true); err != nil {
			return retention.Dossier{}, err
		}
	}
	return d, nil
}

// Candidates implements retention.Store, opening as Dossier.
func (s *Store) Candidates(ctx context.Context, q retention.Query) ([]retention.Dossier, error) {
	ds, err := s.Backend.Candidates(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		for j := range ds[i].Holds {
			if err := s.openHold(ctx, "read candidates", &ds[i].Holds[j], true); err != nil {
				return nil, err
			}
		}
	}
	return ds, nil
}
