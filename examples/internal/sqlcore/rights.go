package sqlcore

import (
	"context"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// The rights store (package rights): the subjects' requests with their
// history, in the table requests (migration 0005 of each adapter).

// requestRow is what of a request its columns hold in another form than
// its fields: the records as a list, the history as JSON, the due date
// as text (NULL the zero date), whether it is open.
type requestRow struct {
	records, due any
	history      string
	open         bool
}

// encodeRequest checks r and encodes the columns that are not its fields
// as they are.
func encodeRequest(v Codec, op string, r rights.Request) (requestRow, error) {
	if err := sqladapter.CheckRequest(op, r); err != nil {
		return requestRow{}, err
	}
	h, err := sqladapter.EncodeHistory(op, r.History)
	if err != nil {
		return requestRow{}, err
	}
	return requestRow{records: v.Names(sqladapter.Strings(r.Records)), history: string(h),
		due: sqladapter.DateText(r.Due.Date), open: !r.Status.Final()}, nil
}

// scanRequest reads a request in RequestColumns.
func scanRequest(v Codec, row Row) (rights.Request, error) {
	var id, subject, kind, form, document, writtenRule, status, dueRule, citation, extension, policy, history string
	var r rights.Request
	var records []string
	var due *string
	var open bool
	var steps int64
	if err := row.Scan(&id, &subject, &kind, &form, v.ScanTime(&r.Received), &document, v.ScanList(&records),
		&writtenRule, v.ScanTime(&r.Written), &status, &open, &due, &dueRule, &citation, &extension, &policy,
		&steps, &history); err != nil {
		return rights.Request{}, err
	}
	r.ID, r.Subject, r.Kind, r.Form, r.Document = rights.RequestID(id), privacy.SubjectID(subject), rights.Kind(kind),
		rights.Form(form), document
	r.Records, r.WrittenRule, r.Status = sqladapter.Named[privacy.RecordID](records), privacy.RuleID(writtenRule),
		rights.Status(status)
	r.Due = rights.Due{Rule: privacy.RuleID(dueRule), Citation: citation, Extension: privacy.RuleID(extension)}
	r.Policy = policy
	var err error
	if due != nil {
		if r.Due.Date, err = sqladapter.ParseDateText(*due); err != nil {
			return rights.Request{}, err
		}
	}
	if r.History, err = sqladapter.DecodeHistory([]byte(history)); err != nil {
		return rights.Request{}, err
	}
	return r, nil
}

// CreateRequest implements rights.Store: the request and its audit events
// in one transaction.
func (s Store) CreateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	op := s.op("create request")
	row, err := encodeRequest(s.D, op, r)
	if err := checkWrite(op, err, events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		if _, err := s.Exec(ctx, tx, op, s.Q.InsertRequest, string(r.ID), string(r.Subject), string(r.Kind),
			string(r.Form), s.D.Time(r.Received), r.Document, row.records, string(r.WrittenRule), s.D.Time(r.Written),
			string(r.Status), row.open, row.due, string(r.Due.Rule), r.Due.Citation, string(r.Due.Extension), r.Policy,
			len(r.History), row.history); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Request implements rights.Store. It is not a listing read: the desk
// decides the next step on what it returns.
func (s Store) Request(ctx context.Context, id rights.RequestID) (rights.Request, error) {
	op := s.op("request")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return rights.Request{}, err
	}
	r, err := scanRequest(s.D, s.D.Reader(ctx, false).QueryRow(ctx, s.Q.Request, string(id)))
	if err != nil {
		return rights.Request{}, s.fail(op, err)
	}
	return r, nil
}

// UpdateRequest implements rights.Store: a compare-and-swap on the length
// of the history, in one statement, and the step's audit events, in one
// transaction.
func (s Store) UpdateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	op := s.op("update request")
	row, err := encodeRequest(s.D, op, r)
	if err := checkWrite(op, err, events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		n, err := s.Exec(ctx, tx, op, s.Q.UpdateRequest, string(r.Kind), string(r.Form), s.D.Time(r.Received),
			r.Document, row.records, string(r.WrittenRule), s.D.Time(r.Written), string(r.Status), row.open, row.due,
			string(r.Due.Rule), r.Due.Citation, string(r.Due.Extension), r.Policy, len(r.History), row.history,
			string(r.ID), string(r.Subject), len(r.History)-1)
		if err != nil {
			return err
		}
		if n == 1 {
			_, err := s.appendEvents(ctx, tx, op, events)
			return err
		}
		// Nothing changed: say why.
		var subject string
		var steps int64
		if err := tx.QueryRow(ctx, s.Q.RequestState, string(r.ID)).Scan(&subject, &steps); err != nil {
			return err
		}
		if int(steps)+1 != len(r.History) {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "another step landed first"}
		}
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "subject", Msg: "a request's subject does not change"}
	})
}

// SubjectRequests implements rights.Store, a listing read.
func (s Store) SubjectRequests(ctx context.Context, subject privacy.SubjectID) ([]rights.Request, error) {
	op := s.op("subject requests")
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	return s.requests(ctx, op, s.Q.SubjectRequests, string(subject))
}

// OpenRequests implements rights.Store, a listing read.
func (s Store) OpenRequests(ctx context.Context) ([]rights.Request, error) {
	return s.requests(ctx, s.op("open requests"), s.Q.OpenRequests)
}

// requests are the requests query returns, in its order.
func (s Store) requests(ctx context.Context, op, query string, args ...any) ([]rights.Request, error) {
	rows, err := s.D.Reader(ctx, true).Query(ctx, query, args...)
	out, err := collect(rows, err, scanRequest, s.D)
	if err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}
