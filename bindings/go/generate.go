package libquant

/*
#include "lqgo.h"

static lq_status lqgo_generate(lq_context *context, const lq_generate_options *in, uintptr_t handle,
                               lq_generate_result *result, lqgo_error *err) {
    lq_generate_options options = *in;
    options.on_text = lqgo_text_shim;
    options.user_data = (void *)handle;
    result->struct_size = sizeof *result;
    return lqgo_check(lq_generate(context, &options, result), err);
}
*/
import "C"

import (
	"context"
	"math"
	"runtime"
	"runtime/cgo"
	"strconv"
	"time"
	"unsafe"
)

// GenerateFlags are flags of GenerateOptions (C's lq_generate_flags).
type GenerateFlags uint32

// Generate flags.
const (
	// GenerateNoSpecial does not add BOS/EOS to a text prompt.
	GenerateNoSpecial GenerateFlags = C.LQ_GENERATE_NO_SPECIAL
	// GenerateParseSpecial turns special-token text in the prompt (such as
	// "<|im_start|>") into those tokens.
	GenerateParseSpecial GenerateFlags = C.LQ_GENERATE_PARSE_SPECIAL
)

// SeedRandom as GenerateOptions.Seed asks for a random seed.
const SeedRandom uint64 = math.MaxUint64

// GenerateOptions are the sampling, stopping and streaming options of
// Context.Generate. Start from DefaultGenerateOptions: several fields have
// non-zero defaults.
//
// Sampling applies, in order: repetition, frequency and presence penalties,
// top-k, top-p, min-p, temperature. A temperature of 0 or less is greedy.
type GenerateOptions struct {
	MaxTokens        int           // tokens to generate at most; negative: until the context is full. Default 256
	Temperature      float32       // default 0.8; 0 or less: greedy
	TopK             int           // default 40; 0: off
	TopP             float32       // default 0.95; 1: off
	MinP             float32       // default 0.05; 0: off
	RepeatPenalty    float32       // default 1 (off)
	RepeatLastN      int           // recent tokens the penalties consider; default 64, -1: all
	FrequencyPenalty float32       // default 0
	PresencePenalty  float32       // default 0
	Seed             uint64        // same seed, same output; default SeedRandom
	Stop             []string      // stop strings: the text ends before the first one that appears
	Flags            GenerateFlags // how a text prompt is tokenized

	// OnText, when set, receives the generated text as it becomes ready, in
	// pieces of whole UTF-8 characters, on the goroutine that called
	// Generate. Returning false stops generation (StopCallback). It must not
	// call methods of the same Context (they would wait for Generate).
	// A panic in OnText stops generation and is raised again from Generate.
	OnText func(piece string) bool
}

// DefaultGenerateOptions returns the library's defaults
// (LQ_GENERATE_OPTIONS_INIT).
func DefaultGenerateOptions() GenerateOptions {
	var o C.lq_generate_options
	C.lqgo_generate_options_defaults(&o)
	return GenerateOptions{
		MaxTokens:        int(o.max_tokens),
		Temperature:      float32(o.temperature),
		TopK:             int(o.top_k),
		TopP:             float32(o.top_p),
		MinP:             float32(o.min_p),
		RepeatPenalty:    float32(o.repeat_penalty),
		RepeatLastN:      int(o.repeat_last_n),
		FrequencyPenalty: float32(o.frequency_penalty),
		PresencePenalty:  float32(o.presence_penalty),
		Seed:             uint64(o.seed),
		Flags:            GenerateFlags(o.flags),
	}
}

// StopReason tells why generation stopped (lq_stop_reason).
type StopReason uint32

// Reasons to stop.
const (
	StopMaxTokens       StopReason = C.LQ_STOP_MAX_TOKENS        // MaxTokens tokens were generated
	StopEndOfGeneration StopReason = C.LQ_STOP_END_OF_GENERATION // the model produced an end-of-generation token
	StopString          StopReason = C.LQ_STOP_STRING            // a stop string appeared
	StopCallback        StopReason = C.LQ_STOP_CALLBACK          // OnText returned false
	StopContextFull     StopReason = C.LQ_STOP_CONTEXT_FULL      // the context has no positions left
	StopCancelled       StopReason = C.LQ_STOP_CANCELLED         // Cancel or the context.Context stopped it
)

// String returns a short description, e.g. "max tokens".
func (r StopReason) String() string {
	switch r {
	case StopMaxTokens:
		return "max tokens"
	case StopEndOfGeneration:
		return "end of generation"
	case StopString:
		return "stop string"
	case StopCallback:
		return "callback"
	case StopContextFull:
		return "context full"
	case StopCancelled:
		return "cancelled"
	}
	return "stop reason " + strconv.FormatUint(uint64(r), 10)
}

// GenerateResult is what a generation produced.
type GenerateResult struct {
	Text             string        // the generated text (the concatenation of every OnText piece)
	StopReason       StopReason    // why it stopped
	PromptTokens     int           // tokens in the prompt
	ReusedTokens     int           // prompt tokens found already evaluated in the context
	GeneratedTokens  int           // tokens generated (end-of-generation token excluded)
	PromptDuration   time.Duration // time spent evaluating the prompt
	GenerateDuration time.Duration // time spent generating
}

// Generate generates text after a UTF-8 prompt, which is tokenized with the
// model's special tokens unless opts.Flags has GenerateNoSpecial. opts may be
// nil for DefaultGenerateOptions(). The context's cache is reused for the
// longest prefix of the prompt it already holds.
//
// Cancellation is not an error: after Cancel, Generate returns the text
// produced so far with StopCancelled and a nil error. When ctx is done before
// or during the call, it returns the partial result with StopCancelled and
// ctx.Err(). A ctx that ends after the call does not affect later calls.
// After another error (such as ErrContextFull for a prompt longer than the
// context), the result holds what was done before the failure.
func (c *Context) Generate(ctx context.Context, prompt string, opts *GenerateOptions) (GenerateResult, error) {
	cprompt := C.CString(prompt)
	defer C.free(unsafe.Pointer(cprompt))
	return c.generate(ctx, opts, func(o *C.lq_generate_options) {
		o.prompt = cprompt
		o.prompt_len = C.size_t(len(prompt))
	})
}

// GenerateTokens is Generate with a prompt given as token ids.
func (c *Context) GenerateTokens(ctx context.Context, prompt []int32, opts *GenerateOptions) (GenerateResult, error) {
	// A copy in C memory: the options struct given to C may not point at Go memory.
	var ctokens *C.int32_t
	if len(prompt) > 0 {
		ctokens = (*C.int32_t)(C.malloc(C.size_t(len(prompt)) * C.size_t(unsafe.Sizeof(C.int32_t(0)))))
		defer C.free(unsafe.Pointer(ctokens))
		dst := unsafe.Slice(ctokens, len(prompt))
		for i, t := range prompt {
			dst[i] = C.int32_t(t)
		}
	}
	return c.generate(ctx, opts, func(o *C.lq_generate_options) {
		o.prompt_tokens = ctokens
		o.n_prompt_tokens = C.size_t(len(prompt))
	})
}

func (c *Context) generate(ctx context.Context, opts *GenerateOptions, setPrompt func(*C.lq_generate_options)) (GenerateResult, error) {
	const op = "generate"
	if ctx == nil {
		ctx = context.Background()
	}
	o := DefaultGenerateOptions()
	if opts != nil {
		o = *opts
	}
	var copts C.lq_generate_options
	C.lqgo_generate_options_defaults(&copts)
	copts.flags = C.uint32_t(o.Flags)
	setPrompt(&copts)
	var err error
	if copts.max_tokens, err = toInt32(op, "MaxTokens", o.MaxTokens); err != nil {
		return GenerateResult{}, err
	}
	if copts.top_k, err = toInt32(op, "TopK", o.TopK); err != nil {
		return GenerateResult{}, err
	}
	if copts.repeat_last_n, err = toInt32(op, "RepeatLastN", o.RepeatLastN); err != nil {
		return GenerateResult{}, err
	}
	copts.temperature = C.float(o.Temperature)
	copts.top_p = C.float(o.TopP)
	copts.min_p = C.float(o.MinP)
	copts.repeat_penalty = C.float(o.RepeatPenalty)
	copts.frequency_penalty = C.float(o.FrequencyPenalty)
	copts.presence_penalty = C.float(o.PresencePenalty)
	copts.seed = C.uint64_t(o.Seed)
	if len(o.Stop) > 0 {
		stops := newCStrings(o.Stop)
		defer stops.free()
		copts.stop = stops.ptr
		copts.n_stop = C.size_t(len(o.Stop))
	}

	p, err := c.lock()
	if err != nil {
		return GenerateResult{}, err
	}
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return GenerateResult{StopReason: StopCancelled}, err
	}

	state := &callState{done: ctx.Done(), onText: o.OnText}
	handle := cgo.NewHandle(state)
	defer handle.Delete()

	var res C.lq_generate_result
	var e C.lqgo_error
	stopWatching := watchCancel(ctx, p)
	status := C.lqgo_generate(p, &copts, C.uintptr_t(handle), &res, &e)
	if fired := stopWatching(); fired && status != C.LQ_ERR_CANCELLED {
		// The request came too late to act on: withdraw it, or it would
		// cancel the next call.
		C.lq_context_clear_cancel(p) // fails only for a NULL context
	}
	runtime.KeepAlive(c)
	state.repanic()

	result := GenerateResult{
		Text:             state.text.String(),
		StopReason:       StopReason(res.stop_reason),
		PromptTokens:     int(res.n_prompt_tokens),
		ReusedTokens:     int(res.n_reused_tokens),
		GeneratedTokens:  int(res.n_generated_tokens),
		PromptDuration:   seconds(res.prompt_seconds),
		GenerateDuration: seconds(res.generate_seconds),
	}
	switch {
	case status == C.LQ_ERR_CANCELLED:
		result.StopReason = StopCancelled
		return result, ctx.Err() // nil when Cancel did it
	case status != C.LQ_OK:
		return result, callError(op, status, &e)
	case state.stoppedByDone:
		result.StopReason = StopCancelled
		return result, ctx.Err()
	}
	return result, nil
}

// watchCancel makes ctx's end cancel the C context while a call runs. The
// returned function stops the watch and reports whether lq_context_cancel
// was called; when it returns, no call to it is in progress or to come.
func watchCancel(ctx context.Context, p *C.lq_context) (stop func() (fired bool)) {
	done := ctx.Done()
	if done == nil {
		return func() bool { return false }
	}
	quit := make(chan struct{})
	result := make(chan bool, 1)
	go func() {
		select {
		case <-done:
			C.lq_context_cancel(p) // fails only for a NULL context
			result <- true
		case <-quit:
			result <- false
		}
	}()
	return func() bool {
		close(quit)
		return <-result
	}
}

// toInt32 converts an option for C, refusing values that do not fit.
func toInt32(op, name string, v int) (C.int32_t, error) {
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, argError(op, name+" out of range: "+strconv.Itoa(v))
	}
	return C.int32_t(v), nil
}

func seconds(s C.double) time.Duration {
	return time.Duration(float64(s) * float64(time.Second))
}

// cStrings is an array of C strings in C memory.
type cStrings struct {
	ptr **C.char
	n   int
}

func newCStrings(strs []string) cStrings {
	ptr := (**C.char)(C.malloc(C.size_t(len(strs)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	items := unsafe.Slice(ptr, len(strs))
	for i, s := range strs {
		items[i] = C.CString(s)
	}
	return cStrings{ptr: ptr, n: len(strs)}
}

func (s cStrings) free() {
	for _, p := range unsafe.Slice(s.ptr, s.n) {
		C.free(unsafe.Pointer(p))
	}
	C.free(unsafe.Pointer(s.ptr))
}
