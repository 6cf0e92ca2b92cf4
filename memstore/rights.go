package memstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// rightsBook keeps the data subjects' requests (package rights).
type rightsBook struct {
	requests  map[rights.RequestID]rights.Request
	bySubject map[privacy.SubjectID][]rights.RequestID
}

func (b *rightsBook) init() {
	b.requests = map[rights.RequestID]rights.Request{}
	b.bySubject = map[privacy.SubjectID][]rights.RequestID{}
}

var _ rights.Store = (*Store)(nil)

// CreateRequest implements [rights.Store]: the request and its audit
// events land together.
func (s *Store) CreateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	const op = "create request"
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.rights.requests[r.ID]; ok {
		return exists(op)
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	s.rights.requests[r.ID] = r.Clone()
	s.rights.bySubject[r.Subject] = append(s.rights.bySubject[r.Subject], r.ID)
	s.applyEvents(events)
	return nil
}

// Request implements [rights.Store].
func (s *Store) Request(ctx context.Context, id rights.RequestID) (rights.Request, error) {
	if err := ctxErr(ctx, "request"); err != nil {
		return rights.Request{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.rights.requests[id]
	if !ok {
		return rights.Request{}, notFound("request")
	}
	return r.Clone(), nil
}

// UpdateRequest implements [rights.Store]: the stored request must have
// exactly one step fewer than r. The request and its audit events land
// together.
func (s *Store) UpdateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	const op = "update request"
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	old, ok := s.rights.requests[r.ID]
	if !ok {
		return notFound(op)
	}
	if len(old.History)+1 != len(r.History) {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Msg: "another step landed first"}
	}
	if old.Subject != r.Subject {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Msg: "a request's subject does not change"}
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	s.rights.requests[r.ID] = r.Clone()
	s.applyEvents(events)
	return nil
}

// SubjectRequests implements [rights.Store].
func (s *Store) SubjectRequests(ctx context.Context, subject privacy.SubjectID) ([]rights.Request, error) {
	if err := ctxErr(ctx, "subject requests"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]rights.Request, 0, len(s.rights.bySubject[subject]))
	for _, id := range s.rights.bySubject[subject] {
		out = append(out, s.rights.requests[id].Clone())
	}
	slices.SortFunc(out, func(a, b rights.Request) int {
		return cmp.Or(a.Received.Compare(b.Received), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// OpenRequests implements [rights.Store].
func (s *Store) OpenRequests(ctx context.Context) ([]rights.Request, error) {
	if err := ctxErr(ctx, "open requests"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []rights.Request
	for _, r := range s.rights.requests {
		if !r.Status.Final() {
			out = append(out, r.Clone())
		}
	}
	slices.SortFunc(out, func(a, b rights.Request) int {
		return cmp.Or(a.Due.Date.Compare(b.Due.Date), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}
