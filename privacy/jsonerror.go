package privacy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// JSONError turns an error from encoding/json's decoder into an [*Error]
// of kind [ErrInvalid] that names the path of the bad value. It never
// echoes input values or unknown keys, which may be personal data: the
// message says what is wrong and where, not what was there. An [*Error]
// returned by a type's own UnmarshalJSON or UnmarshalText keeps its
// message. Every strict decoder of the module maps its errors through it.
func JSONError(op string, err error) *Error {
	return &Error{Op: op, Kind: ErrInvalid, Path: jsonPath(err), Msg: jsonMsg(err)}
}

func jsonPath(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}

func jsonMsg(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var pe *Error
	switch {
	case errors.As(err, &te):
		return "wrong type: want " + te.Type.String()
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d", se.Offset)
	case errors.As(err, &pe):
		return pe.Msg
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated JSON"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return "unknown field"
	}
	return "malformed JSON"
}
