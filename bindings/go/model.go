package libquant

/*
#include "lqgo.h"

static lq_status lqgo_model_load(lq_model **out, const char *path, const lq_model_options *in, uintptr_t handle,
                                 lqgo_error *err) {
    lq_model_options options = *in;
    if (handle) {
        options.progress = lqgo_progress_shim;
        options.progress_user_data = (void *)handle;
    }
    return lqgo_check(lq_model_load(out, path, &options), err);
}

static lq_status lqgo_model_get_info(const lq_model *model, lq_model_info *info, lqgo_error *err) {
    info->struct_size = sizeof *info;
    return lqgo_check(lq_model_get_info(model, info), err);
}

static lq_status lqgo_model_get_vocab_info(const lq_model *model, lq_vocab_info *info, lqgo_error *err) {
    info->struct_size = sizeof *info;
    return lqgo_check(lq_model_get_vocab_info(model, info), err);
}

static lq_status lqgo_model_meta_string(const lq_model *model, const char *key, char *buf, size_t capacity,
                                        size_t *needed, lqgo_error *err) {
    return lqgo_check(lq_model_meta_string(model, key, buf, capacity, needed), err);
}

static lq_status lqgo_model_meta_count(const lq_model *model, size_t *count, lqgo_error *err) {
    return lqgo_check(lq_model_meta_count(model, count), err);
}

static lq_status lqgo_model_meta_key(const lq_model *model, size_t index, char *buf, size_t capacity,
                                     size_t *needed, lqgo_error *err) {
    return lqgo_check(lq_model_meta_key(model, index, buf, capacity, needed), err);
}
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"unsafe"
)

// ModelFlags are flags of ModelOptions (C's lq_model_flags).
type ModelFlags uint32

// Model loading flags.
const (
	ModelNoMmap       ModelFlags = C.LQ_MODEL_NO_MMAP       // read the file into memory instead of mapping it
	ModelVocabOnly    ModelFlags = C.LQ_MODEL_VOCAB_ONLY    // metadata and vocabulary only: tokenize without weights
	ModelMetadataOnly ModelFlags = C.LQ_MODEL_METADATA_ONLY // validate and read metadata only (any architecture)
)

// ModelOptions are the options of LoadModel. The zero value is the default.
type ModelOptions struct {
	Flags ModelFlags // bitwise OR of Model* flags
	// OnProgress, when set, is called while the model loads with the fraction
	// done (0 to 1), on the goroutine that called LoadModel. Returning false
	// cancels the load, which then fails with ErrCancelled.
	OnProgress func(progress float32) bool
}

// ModelInfo summarises a model.
type ModelInfo struct {
	Architecture    string // general.architecture, e.g. "llama"; "" when absent
	Name            string // general.name; "" when absent
	GGUFVersion     int    // GGUF version of the file (2 or 3)
	NParams         uint64 // number of weights (elements of all tensors)
	NTensorBytes    uint64 // bytes of tensor data
	TensorTypesMask uint64 // bit t set when a tensor of TensorType t is present
	NTensors        int    // number of tensors
	NVocab          int    // vocabulary size; 0 when the file has none
	NCtxTrain       int    // context length the model was trained for; 0 when unknown
	NEmbd           int    // embedding width; 0 when unknown
	NLayer          int    // transformer blocks; 0 when unknown
	NHead           int    // attention query heads; 0 when unknown
	NHeadKV         int    // attention key/value heads; 0 when unknown
}

// VocabInfo describes a model's vocabulary. Token ids are -1 when the
// vocabulary has no such token.
type VocabInfo struct {
	Model          string // tokenizer.ggml.model: "llama", "gpt2" or "bert"
	Pre            string // the pre-tokenizer ("llama3", "qwen2", ...) or ""
	NTokens        int    // valid ids are 0 .. NTokens-1
	BOS, EOS       int32  // beginning and end of sequence
	EOT, EOM       int32  // end of turn, end of message
	UNK, SEP, PAD  int32  // unknown, separator, padding
	CLS, Mask      int32  // classification, mask
	FIMPre, FIMSuf int32  // fill-in-the-middle prefix and suffix
	FIMMid, FIMPad int32  // fill-in-the-middle middle and padding
	FIMRep, FIMSep int32  // fill-in-the-middle repository name and file separator
	AddBOS         bool   // TokenizeAddSpecial puts BOS first
	AddEOS         bool   // TokenizeAddSpecial puts EOS last
	AddSpacePrefix bool   // SentencePiece puts a space in front of the text
}

// Model is a loaded model: weights, hyper-parameters, vocabulary and
// metadata. It is immutable and safe for concurrent use by any number of
// goroutines and contexts.
//
// Close releases it. A Model that still has open contexts is released when
// the last of them is closed; a Model that becomes unreachable without Close
// is released by a finalizer, but memory-mapped weights are large: call Close.
type Model struct {
	// mu is held shared by every call that uses p and exclusively to free it.
	mu       sync.RWMutex
	p        *C.lq_model
	closed   bool         // Close was called (p may live on for open contexts)
	contexts atomic.Int32 // open contexts made from this model
	info     ModelInfo
}

// LoadModel loads a GGUF model file. opts may be nil for the defaults.
//
// A missing or unreadable file fails with ErrIO, a malformed one with
// ErrModelFormat, an unsupported architecture or type with ErrUnsupported.
// A panic in opts.OnProgress cancels the load and is raised again here.
func LoadModel(path string, opts *ModelOptions) (*Model, error) {
	if err := checkABI(); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &ModelOptions{}
	}
	var copts C.lq_model_options
	C.lqgo_model_options_defaults(&copts)
	copts.flags = C.uint32_t(opts.Flags)

	var handle C.uintptr_t
	var state *callState
	if opts.OnProgress != nil {
		state = &callState{onProgress: opts.OnProgress}
		h := cgo.NewHandle(state)
		defer h.Delete()
		handle = C.uintptr_t(h)
	}

	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var p *C.lq_model
	var e C.lqgo_error
	err := callError("load model", C.lqgo_model_load(&p, cpath, &copts, handle, &e), &e)
	if state != nil && state.panicked {
		C.lq_model_free(p) // NULL unless the load ignored the callback's stop
		state.repanic()
	}
	if err != nil {
		return nil, err
	}

	var info C.lq_model_info
	if err := callError("model info", C.lqgo_model_get_info(p, &info, &e), &e); err != nil {
		C.lq_model_free(p)
		return nil, err
	}
	m := &Model{p: p, info: ModelInfo{
		Architecture:    C.GoString(info.architecture),
		Name:            C.GoString(info.name),
		GGUFVersion:     int(info.gguf_version),
		NParams:         uint64(info.n_params),
		NTensorBytes:    uint64(info.n_tensor_bytes),
		TensorTypesMask: uint64(info.tensor_types_mask),
		NTensors:        int(info.n_tensors),
		NVocab:          int(info.n_vocab),
		NCtxTrain:       int(info.n_ctx_train),
		NEmbd:           int(info.n_embd),
		NLayer:          int(info.n_layer),
		NHead:           int(info.n_head),
		NHeadKV:         int(info.n_head_kv),
	}}
	runtime.SetFinalizer(m, (*Model).Close)
	return m, nil
}

// Info returns the model's summary (read once at load; valid after Close).
func (m *Model) Info() ModelInfo {
	return m.info
}

// Close releases the model, at once or, if contexts made from it are still
// open, when the last of them is closed. Using the Model afterwards gives
// ErrClosed. Close is idempotent and always returns nil.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	runtime.SetFinalizer(m, nil)
	m.freeIfUnused()
	return nil
}

// freeIfUnused frees p once the model is closed and has no contexts; m.mu
// must be held exclusively.
func (m *Model) freeIfUnused() {
	if m.closed && m.contexts.Load() == 0 && m.p != nil {
		C.lq_model_free(m.p)
		m.p = nil
	}
}

// acquire takes a shared hold on the C model for one call; the caller must
// call m.mu.RUnlock when done.
func (m *Model) acquire() (*C.lq_model, error) {
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return nil, ErrClosed
	}
	return m.p, nil
}

// release drops a context's reference (see NewContext).
func (m *Model) release() {
	m.mu.Lock()
	m.contexts.Add(-1)
	m.freeIfUnused()
	m.mu.Unlock()
}

// Vocab describes the model's vocabulary. It fails with ErrNotFound when the
// model has none (a file without one, or loaded with ModelMetadataOnly).
func (m *Model) Vocab() (VocabInfo, error) {
	p, err := m.acquire()
	if err != nil {
		return VocabInfo{}, err
	}
	defer m.mu.RUnlock()
	var v C.lq_vocab_info
	var e C.lqgo_error
	if err := callError("vocab info", C.lqgo_model_get_vocab_info(p, &v, &e), &e); err != nil {
		return VocabInfo{}, err
	}
	runtime.KeepAlive(m)
	return VocabInfo{
		Model: C.GoString(v.model), Pre: C.GoString(v.pre), NTokens: int(v.n_tokens),
		BOS: int32(v.bos), EOS: int32(v.eos), EOT: int32(v.eot), EOM: int32(v.eom),
		UNK: int32(v.unk), SEP: int32(v.sep), PAD: int32(v.pad), CLS: int32(v.cls), Mask: int32(v.mask),
		FIMPre: int32(v.fim_pre), FIMSuf: int32(v.fim_suf), FIMMid: int32(v.fim_mid),
		FIMPad: int32(v.fim_pad), FIMRep: int32(v.fim_rep), FIMSep: int32(v.fim_sep),
		AddBOS: v.add_bos != 0, AddEOS: v.add_eos != 0, AddSpacePrefix: v.add_space_prefix != 0,
	}, nil
}

// Meta returns a metadata entry as text: strings as they are, numbers and
// booleans in decimal, arrays as JSON. A missing key gives ErrNotFound.
func (m *Model) Meta(key string) (string, error) {
	p, err := m.acquire()
	if err != nil {
		return "", err
	}
	defer m.mu.RUnlock()
	ckey := C.CString(key)
	defer C.free(unsafe.Pointer(ckey))
	s, err := readString("metadata "+key, 256, func(buf *C.char, capacity C.size_t, needed *C.size_t, e *C.lqgo_error) C.lq_status {
		return C.lqgo_model_meta_string(p, ckey, buf, capacity, needed, e)
	})
	runtime.KeepAlive(m)
	return s, err
}

// MetaKeys returns the keys of every metadata entry, in file order.
func (m *Model) MetaKeys() ([]string, error) {
	p, err := m.acquire()
	if err != nil {
		return nil, err
	}
	defer m.mu.RUnlock()
	var count C.size_t
	var e C.lqgo_error
	if err := callError("metadata count", C.lqgo_model_meta_count(p, &count, &e), &e); err != nil {
		return nil, err
	}
	keys := make([]string, 0, int(count))
	for i := C.size_t(0); i < count; i++ {
		key, err := readString("metadata key", 64, func(buf *C.char, capacity C.size_t, needed *C.size_t, e *C.lqgo_error) C.lq_status {
			return C.lqgo_model_meta_key(p, i, buf, capacity, needed, e)
		})
		if err != nil {
			return nil, err
		}
		keys = append(keys, key)
	}
	runtime.KeepAlive(m)
	return keys, nil
}

// readString runs a C call that writes NUL-terminated text into a caller
// buffer, growing the buffer to *needed when it reports
// LQ_ERR_BUFFER_TOO_SMALL. The text may contain NUL bytes: its length is
// needed-1.
func readString(op string, guess int, call func(buf *C.char, capacity C.size_t, needed *C.size_t, e *C.lqgo_error) C.lq_status) (string, error) {
	buf := make([]byte, guess)
	for {
		var needed C.size_t
		var e C.lqgo_error
		status := call((*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &needed, &e)
		if status == C.LQ_ERR_BUFFER_TOO_SMALL && int(needed) > len(buf) {
			buf = make([]byte, int(needed))
			continue
		}
		if err := callError(op, status, &e); err != nil {
			return "", err
		}
		if needed == 0 {
			return "", nil
		}
		return string(buf[:needed-1]), nil
	}
}
