package libquant

/*
#include "lqgo.h"

static lq_status lqgo_quantize(const char *input, const char *output, const lq_quantize_options *in,
                               uintptr_t handle, int with_messages, lqgo_error *err) {
    lq_quantize_options options = *in;
    options.progress = lqgo_progress_shim;
    options.progress_user_data = (void *)handle;
    if (with_messages) {
        options.on_message = lqgo_message_shim;
        options.message_user_data = (void *)handle;
    }
    return lqgo_check(lq_quantize(input, output, &options), err);
}
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"unsafe"
)

// QuantMethod is how weights are rounded (C's lq_quant_method).
type QuantMethod uint32

// Quantization methods. All but QuantRTN need calibration text.
const (
	QuantRTN         QuantMethod = C.LQ_QUANT_RTN         // round to nearest (the default)
	QuantGPTQ        QuantMethod = C.LQ_QUANT_GPTQ        // GPTQ
	QuantAWQ         QuantMethod = C.LQ_QUANT_AWQ         // activation-aware weight quantization
	QuantImportance  QuantMethod = C.LQ_QUANT_IMPORTANCE  // round to nearest weighted by mean squared inputs
	QuantSmoothQuant QuantMethod = C.LQ_QUANT_SMOOTHQUANT // SmoothQuant, for W8A8 execution
)

// QuantizeFlags are flags of QuantizeOptions (C's lq_quantize_flags).
type QuantizeFlags uint32

// Quantize flags.
const (
	QuantizeGPTQNoActOrder QuantizeFlags = C.LQ_QUANTIZE_GPTQ_NO_ACT_ORDER // GPTQ: keep the stored order of blocks
	QuantizeExhaustive     QuantizeFlags = C.LQ_QUANTIZE_EXHAUSTIVE        // RTN: exhaustive scale search (much slower)
	QuantizeSmooth         QuantizeFlags = C.LQ_QUANTIZE_SMOOTH            // SmoothQuant smoothing before rounding
)

// QuantizeOptions are the options of Quantize. Start from
// DefaultQuantizeOptions; in a zero value, "" strings and zero numbers also
// mean the defaults.
type QuantizeOptions struct {
	// Target is a mix or type name ("q8_0", "q4_k_m", "lq-int4", "q4_k",
	// ...; see lq_quantize_options in libquant.h); "" means "q8_0".
	Target             string
	Method             QuantMethod   // how weights are rounded; default QuantRTN
	TensorTypes        string        // overrides "PATTERN=TYPE,PATTERN=TYPE" on tensor names, or ""
	CalibrationPath    string        // calibration text for GPTQ, AWQ, importance and SmoothQuant
	CalibrationSamples int           // calibration sequences; 0: 64
	CalibrationCtx     int           // tokens per calibration sequence; 0: 256
	NThreads           int           // threads; 0: all hardware threads
	Flags              QuantizeFlags // bitwise OR of Quantize* flags
	TokenizerPath      string        // for llama2.c inputs: their tokenizer.bin
	SmoothAlpha        float32       // SmoothQuant's migration strength in (0, 1]; 0: 0.5

	// OnProgress, when set, is called as work proceeds with the fraction done
	// (0 to 1), on the goroutine that called Quantize. Returning false
	// cancels: Quantize fails with ErrCancelled and leaves no output file.
	OnProgress func(progress float32) bool
	// OnMessage, when set, receives a line per tensor and warnings.
	OnMessage func(line string)
}

// DefaultQuantizeOptions returns the library's defaults
// (LQ_QUANTIZE_OPTIONS_INIT): Q8_0, round to nearest.
func DefaultQuantizeOptions() QuantizeOptions {
	var o C.lq_quantize_options
	C.lqgo_quantize_options_defaults(&o)
	return QuantizeOptions{
		Target:             C.GoString(o.target),
		Method:             QuantMethod(o.method),
		CalibrationSamples: int(o.calibration_samples),
		CalibrationCtx:     int(o.calibration_ctx),
		NThreads:           int(o.n_threads),
		Flags:              QuantizeFlags(o.flags),
		SmoothAlpha:        float32(o.smooth_alpha),
	}
}

// Quantize writes a quantized copy of the model file input (GGUF or a
// llama2.c checkpoint) to the GGUF file output. opts may be nil for
// DefaultQuantizeOptions(). The output is written under a temporary name and
// renamed into place at the end, so a failed or cancelled run leaves none.
//
// When ctx is done before or during the work, Quantize stops at the next
// progress report and returns ctx.Err(). When OnProgress returns false it
// returns an error matching ErrCancelled. A panic in OnProgress or OnMessage
// stops the work and is raised again from Quantize.
func Quantize(ctx context.Context, input, output string, opts *QuantizeOptions) error {
	const op = "quantize"
	if err := checkABI(); err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	o := DefaultQuantizeOptions()
	if opts != nil {
		o = *opts
	}
	var copts C.lq_quantize_options
	C.lqgo_quantize_options_defaults(&copts)
	copts.method = C.uint32_t(o.Method)
	var strs []*C.char
	defer func() {
		for _, s := range strs {
			C.free(unsafe.Pointer(s))
		}
	}()
	cstring := func(s string) *C.char {
		if s == "" {
			return nil
		}
		p := C.CString(s)
		strs = append(strs, p)
		return p
	}
	if o.Target != "" {
		copts.target = cstring(o.Target)
	}
	copts.tensor_types = cstring(o.TensorTypes)
	copts.calibration_path = cstring(o.CalibrationPath)
	copts.tokenizer_path = cstring(o.TokenizerPath)
	var err error
	if o.CalibrationSamples != 0 {
		if copts.calibration_samples, err = toUint32(op, "CalibrationSamples", o.CalibrationSamples); err != nil {
			return err
		}
	}
	if o.CalibrationCtx != 0 {
		if copts.calibration_ctx, err = toUint32(op, "CalibrationCtx", o.CalibrationCtx); err != nil {
			return err
		}
	}
	if copts.n_threads, err = toUint32(op, "NThreads", o.NThreads); err != nil {
		return err
	}
	copts.flags = C.uint32_t(o.Flags)
	copts.smooth_alpha = C.float(o.SmoothAlpha)
	cinput := cstring(input)
	coutput := cstring(output)
	if err := ctx.Err(); err != nil {
		return err
	}

	state := &callState{done: ctx.Done(), onProgress: o.OnProgress, onMessage: o.OnMessage}
	handle := cgo.NewHandle(state)
	defer handle.Delete()
	withMessages := C.int(0)
	if o.OnMessage != nil {
		withMessages = 1
	}
	var e C.lqgo_error
	status := C.lqgo_quantize(cinput, coutput, &copts, C.uintptr_t(handle), withMessages, &e)
	state.repanic()
	if status == C.LQ_ERR_CANCELLED && state.stoppedByDone {
		return ctx.Err()
	}
	return callError(op, status, &e)
}
