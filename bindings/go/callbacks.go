package libquant

// This file holds the Go functions C calls back. A file with //export may
// only have declarations in its preamble; the C shims that adapt libquant's
// callback types to these functions are in lqgo.h.

/*
#include <stddef.h>
#include <stdint.h>
*/
import "C"

import (
	"runtime/cgo"
	"strings"
	"sync/atomic"
)

// callState is the Go side of one C call that takes callbacks. C only sees a
// runtime/cgo.Handle of it (as an integer in user_data), which the caller
// deletes when the call has returned; no Go pointer is ever stored in C memory.
type callState struct {
	// done is the call's ctx.Done() (nil when it cannot be cancelled).
	done <-chan struct{}
	// stoppedByDone records that a callback stopped the work because done
	// was closed.
	stoppedByDone bool

	onText     func(piece string) bool
	text       strings.Builder // every piece of generated text, in order
	onProgress func(progress float32) bool
	onMessage  func(line string)

	// A panic in one of the caller's callbacks, recovered so that it does not
	// unwind through C; repanic raises it again once C has returned.
	panicked   bool
	panicValue interface{}
}

// isDone reports, without blocking, whether the call's context is done.
func (s *callState) isDone() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// guard runs the caller's callback f. A panic in f is recorded (and f counts
// as having asked to stop) instead of unwinding into C.
func (s *callState) guard(f func() bool) (cont bool) {
	returned := false
	defer func() {
		if !returned {
			s.panicked = true
			s.panicValue = recover()
			cont = false
		}
	}()
	cont = f()
	returned = true
	return cont
}

// repanic raises a panic recovered in a callback again, in the goroutine of
// the caller, after the C call has returned and everything was cleaned up.
func (s *callState) repanic() {
	if s.panicked {
		panic(s.panicValue)
	}
}

func stateOf(handle C.uintptr_t) *callState {
	return cgo.Handle(handle).Value().(*callState)
}

// stop and cont are the values C's callbacks return.
const (
	cont C.int32_t = 0
	stop C.int32_t = 1
)

//export lqgoOnText
func lqgoOnText(text *C.char, length C.size_t, token C.int32_t, handle C.uintptr_t) C.int32_t {
	s := stateOf(handle)
	if s.panicked {
		return stop
	}
	piece := C.GoStringN(text, C.int(length))
	s.text.WriteString(piece)
	if s.onText != nil && !s.guard(func() bool { return s.onText(piece) }) {
		if s.isDone() {
			s.stoppedByDone = true
		}
		return stop
	}
	// Checked after the caller's callback, which may have waited for the
	// cancellation: the next token is then never started.
	if s.isDone() {
		s.stoppedByDone = true
		return stop
	}
	return cont
}

//export lqgoOnProgress
func lqgoOnProgress(progress C.float, handle C.uintptr_t) C.int32_t {
	s := stateOf(handle)
	if s.panicked {
		return stop
	}
	if s.isDone() {
		s.stoppedByDone = true
		return stop
	}
	if s.onProgress != nil && !s.guard(func() bool { return s.onProgress(float32(progress)) }) {
		return stop
	}
	return cont
}

//export lqgoOnMessage
func lqgoOnMessage(line *C.char, handle C.uintptr_t) {
	s := stateOf(handle)
	if s.panicked || s.onMessage == nil {
		return
	}
	text := C.GoString(line)
	s.guard(func() bool { s.onMessage(text); return true })
}

// logReceiver holds the function installed by SetLogCallback.
type logReceiver struct {
	fn func(level LogLevel, message string)
}

var logger atomic.Value // of logReceiver

//export lqgoOnLog
func lqgoOnLog(level C.int32_t, message *C.char) {
	r, _ := logger.Load().(logReceiver)
	if r.fn == nil {
		return
	}
	// The message may come from any thread, in the middle of any call: a
	// panic has nowhere to go and is dropped.
	defer func() { _ = recover() }()
	r.fn(LogLevel(level), C.GoString(message))
}
