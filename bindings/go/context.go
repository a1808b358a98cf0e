package libquant

/*
#include "lqgo.h"

static lq_status lqgo_context_create(lq_context **out, const lq_model *model, const lq_context_options *options,
                                     lqgo_error *err) {
    return lqgo_check(lq_context_create(out, model, options), err);
}

static lq_status lqgo_context_get_info(const lq_context *context, lq_context_info *info, lqgo_error *err) {
    info->struct_size = sizeof *info;
    return lqgo_check(lq_context_get_info(context, info), err);
}

static lq_status lqgo_context_reset(lq_context *context, lqgo_error *err) {
    return lqgo_check(lq_context_reset(context), err);
}

static lq_status lqgo_context_truncate(lq_context *context, uint32_t n_keep, lqgo_error *err) {
    return lqgo_check(lq_context_truncate(context, n_keep), err);
}
*/
import "C"

import (
	"math"
	"runtime"
	"strconv"
	"sync"
)

// ContextOptions are the options of Model.NewContext. Start from
// DefaultContextOptions: the zero value asks for an F32 cache (TypeF32 is 0),
// where the library's default is F16.
type ContextOptions struct {
	NCtx     int        // context length in tokens; 0: the model's training length, at most 4096
	NBatch   int        // tokens per forward pass; 0: 512
	NThreads int        // threads; 0: all hardware threads
	KVType   TensorType // key/value cache type: TypeF16 (default), TypeF32 or TypeQ8_0
	Backend  Backend    // BackendCPU (default), BackendAuto picks the best available
}

// DefaultContextOptions returns the library's defaults (LQ_CONTEXT_OPTIONS_INIT).
func DefaultContextOptions() ContextOptions {
	var o C.lq_context_options
	C.lqgo_context_options_defaults(&o)
	return ContextOptions{
		NCtx:     int(o.n_ctx),
		NBatch:   int(o.n_batch),
		NThreads: int(o.n_threads),
		KVType:   TensorType(o.kv_type),
		Backend:  Backend(o.backend),
	}
}

// ContextInfo describes a context.
type ContextInfo struct {
	NCtx     int        // context length in tokens
	NPast    int        // positions in use (tokens evaluated and kept)
	NBatch   int        // tokens per forward pass
	NThreads int        // threads used
	NVocab   int        // logits per token
	KVType   TensorType // type of the key/value cache
	Backend  Backend    // the backend in use (never BackendAuto)
	KVBytes  uint64     // memory of the key/value cache
}

// Context is the mutable state of running a model on one sequence: its
// key/value cache, working buffers and threads.
//
// A Context is meant to be used by one goroutine at a time; its methods lock
// a mutex, so concurrent calls wait for each other instead of corrupting it.
// Cancel is the exception: call it from any goroutine to stop the running
// call. For parallel generation, make one Context per goroutine; they may
// share one Model.
//
// A Context keeps its Model alive. Close releases it; an unreachable Context
// is released by a finalizer, but its cache can be large: call Close.
type Context struct {
	mu       sync.Mutex // serialises the calls on the context
	cancelMu sync.Mutex // held by Cancel and by Close around p
	p        *C.lq_context
	model    *Model
}

// NewContext creates a context for the model. opts may be nil for
// DefaultContextOptions().
//
// An unknown cache type or backend fails with ErrInvalidArgument or
// ErrUnsupported (with the reason in the message).
func (m *Model) NewContext(opts *ContextOptions) (*Context, error) {
	const op = "create context"
	o := DefaultContextOptions()
	if opts != nil {
		o = *opts
	}
	var copts C.lq_context_options
	C.lqgo_context_options_defaults(&copts)
	var err error
	if copts.n_ctx, err = toUint32(op, "NCtx", o.NCtx); err != nil {
		return nil, err
	}
	if copts.n_batch, err = toUint32(op, "NBatch", o.NBatch); err != nil {
		return nil, err
	}
	if copts.n_threads, err = toUint32(op, "NThreads", o.NThreads); err != nil {
		return nil, err
	}
	copts.kv_type = C.uint32_t(o.KVType)
	copts.backend = C.uint32_t(o.Backend)

	mp, err := m.acquire()
	if err != nil {
		return nil, err
	}
	defer m.mu.RUnlock()
	var p *C.lq_context
	var e C.lqgo_error
	if err := callError(op, C.lqgo_context_create(&p, mp, &copts, &e), &e); err != nil {
		return nil, err
	}
	m.contexts.Add(1) // under m.mu, so Close cannot free the model now
	c := &Context{p: p, model: m}
	runtime.SetFinalizer(c, (*Context).Close)
	return c, nil
}

// Model returns the model the context was made from (nil after Close).
func (c *Context) Model() *Model {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.model
}

// Close releases the context, waiting for a call running on it to return.
// Using the Context afterwards gives ErrClosed. Close is idempotent and
// always returns nil.
func (c *Context) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.p == nil {
		return nil
	}
	runtime.SetFinalizer(c, nil)
	c.cancelMu.Lock()
	C.lq_context_free(c.p)
	c.p = nil
	c.cancelMu.Unlock()
	c.model.release()
	c.model = nil
	return nil
}

// lock takes the context's mutex for one call; the caller unlocks c.mu.
func (c *Context) lock() (*C.lq_context, error) {
	c.mu.Lock()
	if c.p == nil {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	return c.p, nil
}

// Cancel asks the generation running on the context to stop; it then
// returns its partial result with StopCancelled and a nil error. Cancel may be
// called from any goroutine. It keeps the C semantics: when no call is
// running, the request stays pending and cancels the next Generate. Cancel on
// a closed Context does nothing.
func (c *Context) Cancel() {
	c.cancelMu.Lock()
	defer c.cancelMu.Unlock()
	if c.p != nil {
		C.lq_context_cancel(c.p) // fails only for a NULL context
	}
}

// Info describes the context.
func (c *Context) Info() (ContextInfo, error) {
	p, err := c.lock()
	if err != nil {
		return ContextInfo{}, err
	}
	defer c.mu.Unlock()
	var info C.lq_context_info
	var e C.lqgo_error
	if err := callError("context info", C.lqgo_context_get_info(p, &info, &e), &e); err != nil {
		return ContextInfo{}, err
	}
	return ContextInfo{
		NCtx:     int(info.n_ctx),
		NPast:    int(info.n_past),
		NBatch:   int(info.n_batch),
		NThreads: int(info.n_threads),
		NVocab:   int(info.n_vocab),
		KVType:   TensorType(info.kv_type),
		Backend:  Backend(info.backend),
		KVBytes:  uint64(info.kv_bytes),
	}, nil
}

// Reset forgets every position: the next generation starts from an empty
// cache (Generate otherwise reuses the longest cached prefix of its prompt).
func (c *Context) Reset() error {
	p, err := c.lock()
	if err != nil {
		return err
	}
	defer c.mu.Unlock()
	var e C.lqgo_error
	return callError("reset context", C.lqgo_context_reset(p, &e), &e)
}

// Truncate forgets the positions from nKeep on, to rewind a sequence.
func (c *Context) Truncate(nKeep int) error {
	const op = "truncate context"
	n, err := toUint32(op, "nKeep", nKeep)
	if err != nil {
		return err
	}
	p, err := c.lock()
	if err != nil {
		return err
	}
	defer c.mu.Unlock()
	var e C.lqgo_error
	return callError(op, C.lqgo_context_truncate(p, n, &e), &e)
}

// toUint32 converts a count for C, refusing values that do not fit.
func toUint32(op, name string, v int) (C.uint32_t, error) {
	if v < 0 || uint64(v) > math.MaxUint32 {
		return 0, argError(op, name+" out of range: "+strconv.Itoa(v))
	}
	return C.uint32_t(v), nil
}
