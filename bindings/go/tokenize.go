package libquant

/*
#include "lqgo.h"

static lq_status lqgo_tokenize(const lq_model *model, const char *text, size_t text_len, uint32_t flags,
                               int32_t *tokens, size_t capacity, size_t *n_tokens, lqgo_error *err) {
    return lqgo_check(lq_tokenize(model, text, text_len, flags, tokens, capacity, n_tokens), err);
}

static lq_status lqgo_detokenize(const lq_model *model, const int32_t *tokens, size_t n_tokens, uint32_t flags,
                                 char *text, size_t capacity, size_t *needed, lqgo_error *err) {
    return lqgo_check(lq_detokenize(model, tokens, n_tokens, flags, text, capacity, needed), err);
}

static lq_status lqgo_token_to_piece(const lq_model *model, int32_t token, uint32_t flags, char *piece,
                                     size_t capacity, size_t *needed, lqgo_error *err) {
    return lqgo_check(lq_token_to_piece(model, token, flags, piece, capacity, needed), err);
}
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// TokenizeFlags are flags of Model.Tokenize (C's lq_tokenize_flags).
type TokenizeFlags uint32

// Tokenize flags.
const (
	// TokenizeAddSpecial adds BOS and EOS as the model's metadata says.
	TokenizeAddSpecial TokenizeFlags = C.LQ_TOKENIZE_ADD_SPECIAL
	// TokenizeParseSpecial turns the text of control tokens ("<s>",
	// "<|im_start|>") into those tokens. Off by default, so that user text
	// cannot forge them.
	TokenizeParseSpecial TokenizeFlags = C.LQ_TOKENIZE_PARSE_SPECIAL
)

// DetokenizeFlags are flags of Model.Detokenize and Model.TokenToPiece
// (C's lq_detokenize_flags).
type DetokenizeFlags uint32

// Detokenize flags.
const (
	// DetokenizeRenderSpecial writes the text of control, unknown and unused
	// tokens; by default they give no text.
	DetokenizeRenderSpecial DetokenizeFlags = C.LQ_DETOKENIZE_RENDER_SPECIAL
	// DetokenizeKeepLeadingSpace keeps the space a SentencePiece vocabulary
	// puts in front of text: use it when the tokens continue earlier text.
	DetokenizeKeepLeadingSpace DetokenizeFlags = C.LQ_DETOKENIZE_KEEP_LEADING_SPACE
)

// Tokenize turns UTF-8 text into token ids. Any bytes are accepted; see the
// C documentation of lq_tokenize for how invalid UTF-8 is encoded.
func (m *Model) Tokenize(text string, flags TokenizeFlags) ([]int32, error) {
	p, err := m.acquire()
	if err != nil {
		return nil, err
	}
	defer m.mu.RUnlock()

	ctext := C.CString(text) // copies every byte, NULs included; the length is explicit
	defer C.free(unsafe.Pointer(ctext))
	tokens := make([]int32, len(text)+4) // enough for nearly all text
	for {
		var n C.size_t
		var e C.lqgo_error
		status := C.lqgo_tokenize(p, ctext, C.size_t(len(text)), C.uint32_t(flags),
			(*C.int32_t)(unsafe.Pointer(&tokens[0])), C.size_t(len(tokens)), &n, &e)
		if status == C.LQ_ERR_BUFFER_TOO_SMALL && int(n) > len(tokens) {
			tokens = make([]int32, int(n))
			continue
		}
		if err := callError("tokenize", status, &e); err != nil {
			return nil, err
		}
		runtime.KeepAlive(m)
		if int(n) < len(tokens)/2 { // do not keep a large, mostly unused array alive
			return append([]int32(nil), tokens[:n]...), nil
		}
		return tokens[:n:n], nil
	}
}

// Detokenize turns token ids back into UTF-8 text. For SentencePiece and
// byte-level BPE vocabularies it gives back exactly the text Tokenize was
// given (with the same special-token handling).
func (m *Model) Detokenize(tokens []int32, flags DetokenizeFlags) (string, error) {
	p, err := m.acquire()
	if err != nil {
		return "", err
	}
	defer m.mu.RUnlock()

	var ptr *C.int32_t
	if len(tokens) > 0 {
		ptr = (*C.int32_t)(unsafe.Pointer(&tokens[0]))
	}
	s, err := readString("detokenize", 4*len(tokens)+16, func(buf *C.char, capacity C.size_t, needed *C.size_t, e *C.lqgo_error) C.lq_status {
		return C.lqgo_detokenize(p, ptr, C.size_t(len(tokens)), C.uint32_t(flags), buf, capacity, needed, e)
	})
	runtime.KeepAlive(tokens)
	runtime.KeepAlive(m)
	return s, err
}

// TokenToPiece returns the bytes one token stands for, with no space
// removed. A piece may be part of a UTF-8 character (byte tokens), so it is
// not always valid UTF-8 on its own. flags may be DetokenizeRenderSpecial.
func (m *Model) TokenToPiece(token int32, flags DetokenizeFlags) (string, error) {
	p, err := m.acquire()
	if err != nil {
		return "", err
	}
	defer m.mu.RUnlock()
	s, err := readString("token to piece", 32, func(buf *C.char, capacity C.size_t, needed *C.size_t, e *C.lqgo_error) C.lq_status {
		return C.lqgo_token_to_piece(p, C.int32_t(token), C.uint32_t(flags), buf, capacity, needed, e)
	})
	runtime.KeepAlive(m)
	return s, err
}
