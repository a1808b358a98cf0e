package libquant

import (
	"errors"
	"testing"
)

func TestTokenizeRoundTrip(t *testing.T) {
	m := loadTestModel(t)
	const text = "Once upon a time, there was a little girl."
	tokens, err := m.Tokenize(text, TokenizeAddSpecial)
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) < 2 || tokens[0] != 1 {
		t.Fatalf("Tokenize = %v, want BOS (1) first", tokens)
	}
	back, err := m.Detokenize(tokens, 0)
	if err != nil {
		t.Fatal(err)
	}
	if back != text {
		t.Errorf("Detokenize = %q, want %q", back, text)
	}

	plain, err := m.Tokenize(text, 0)
	if err != nil || len(plain) != len(tokens)-1 {
		t.Errorf("Tokenize without special tokens = %v, %v", plain, err)
	}
	var joined string
	for _, tok := range plain {
		piece, err := m.TokenToPiece(tok, 0)
		if err != nil {
			t.Fatal(err)
		}
		joined += piece
	}
	if joined != " "+text { // SentencePiece's space prefix is kept by TokenToPiece
		t.Errorf("pieces join to %q", joined)
	}
	if _, err := m.Detokenize([]int32{100000}, 0); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Detokenize of an invalid id: %v, want ErrInvalidArgument", err)
	}
	if empty, err := m.Detokenize(nil, 0); err != nil || empty != "" {
		t.Errorf("Detokenize(nil) = %q, %v", empty, err)
	}
}

func TestTokenizeLongText(t *testing.T) {
	m := loadTestModel(t)
	text := ""
	for i := 0; i < 200; i++ {
		text += "héllo wörld ✓ "
	}
	tokens, err := m.Tokenize(text, 0)
	if err != nil {
		t.Fatal(err)
	}
	back, err := m.Detokenize(tokens, 0)
	if err != nil || back != text {
		t.Errorf("round trip of a long non-ASCII text failed: %v", err)
	}
}
