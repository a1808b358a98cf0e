package libquant

/*
#include "lqgo.h"
*/
import "C"

// Status is a libquant status code (C's lq_status). The values are pinned by
// the C interface and never reused.
type Status int32

// The status codes of the C interface.
const (
	StatusOK              Status = C.LQ_OK                   // 0: success
	StatusInvalidArgument Status = C.LQ_ERR_INVALID_ARGUMENT // -1: a bad argument, value or option
	StatusOOM             Status = C.LQ_ERR_OOM              // -2: memory could not be allocated
	StatusIO              Status = C.LQ_ERR_IO               // -3: a file could not be opened, read, mapped or written
	StatusModelFormat     Status = C.LQ_ERR_MODEL_FORMAT     // -4: a model file is malformed
	StatusUnsupported     Status = C.LQ_ERR_UNSUPPORTED      // -5: valid input this build cannot handle
	StatusBufferTooSmall  Status = C.LQ_ERR_BUFFER_TOO_SMALL // -6: an output buffer is too small (handled by the binding)
	StatusCancelled       Status = C.LQ_ERR_CANCELLED        // -7: a callback or a cancel request stopped the work
	StatusContextFull     Status = C.LQ_ERR_CONTEXT_FULL     // -8: the tokens do not fit in the context window
	StatusNotFound        Status = C.LQ_ERR_NOT_FOUND        // -9: the key, token or item does not exist
	StatusTypeMismatch    Status = C.LQ_ERR_TYPE_MISMATCH    // -10: the item has another type than the one asked for
	StatusBackend         Status = C.LQ_ERR_BACKEND          // -11: a compute backend or its driver failed
	StatusInternal        Status = C.LQ_ERR_INTERNAL         // -99: a bug in libquant
)

// String returns the library's short description of s, e.g. "io error".
func (s Status) String() string {
	return C.GoString(C.lq_status_string(C.lq_status(s)))
}

// Error is the error returned by every failing call of this package. It
// carries the C status and the message libquant gave for the failure.
//
// Match a kind of failure with errors.Is and one of the sentinel values
// (errors.Is(err, libquant.ErrIO)), or get at the fields with errors.As.
type Error struct {
	Op      string // what was being done, e.g. "load model"
	Status  Status // the C status, never StatusOK
	Message string // libquant's message (lq_last_error_message), e.g. naming the file
}

// Error formats the error as "libquant: OP: MESSAGE".
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Status.String()
	}
	if e.Op == "" {
		return "libquant: " + msg
	}
	return "libquant: " + e.Op + ": " + msg
}

// Is reports whether target is an *Error of the same status that is a
// sentinel (no Op and no Message, as ErrIO and its siblings) or equal to e.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Status != e.Status {
		return false
	}
	return (t.Op == "" && t.Message == "") || *t == *e
}

// Sentinel errors, one per status, for errors.Is. They match every *Error
// of their status, whatever its message.
var (
	ErrInvalidArgument = &Error{Status: StatusInvalidArgument}
	ErrOOM             = &Error{Status: StatusOOM}
	ErrIO              = &Error{Status: StatusIO}
	ErrModelFormat     = &Error{Status: StatusModelFormat}
	ErrUnsupported     = &Error{Status: StatusUnsupported}
	ErrBufferTooSmall  = &Error{Status: StatusBufferTooSmall}
	ErrCancelled       = &Error{Status: StatusCancelled}
	ErrContextFull     = &Error{Status: StatusContextFull}
	ErrNotFound        = &Error{Status: StatusNotFound}
	ErrTypeMismatch    = &Error{Status: StatusTypeMismatch}
	ErrBackend         = &Error{Status: StatusBackend}
	ErrInternal        = &Error{Status: StatusInternal}
)

// ErrClosed is returned by the methods of a Model or Context after Close.
// It matches ErrInvalidArgument, the status C gives for a NULL handle.
var ErrClosed = &Error{Status: StatusInvalidArgument, Message: "use of a closed handle"}

// callError turns the result of a C wrapper into an error: nil for LQ_OK,
// else an *Error with the message the wrapper captured on its thread.
func callError(op string, status C.lq_status, e *C.lqgo_error) error {
	if status == C.LQ_OK {
		return nil
	}
	return &Error{Op: op, Status: Status(status), Message: C.GoString(&e.message[0])}
}

// argError is an error the binding detects itself before calling C.
func argError(op, message string) error {
	return &Error{Op: op, Status: StatusInvalidArgument, Message: message}
}
