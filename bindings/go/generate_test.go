package libquant

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
)

// greedyText generates the reference greedy text on a fresh context.
func greedyText(t *testing.T, m *Model) GenerateResult {
	t.Helper()
	r, err := newTestContext(t, m).Generate(context.Background(), greedyPrompt, greedyOptions())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestGenerateGreedy(t *testing.T) {
	m := loadTestModel(t)
	c := newTestContext(t, m)
	var pieces []string
	o := greedyOptions()
	o.OnText = func(piece string) bool {
		pieces = append(pieces, piece)
		return true
	}
	first, err := c.Generate(context.Background(), greedyPrompt, o)
	if err != nil {
		t.Fatal(err)
	}
	if first.GeneratedTokens == 0 || first.Text == "" || first.PromptTokens == 0 {
		t.Fatalf("nothing generated: %+v", first)
	}
	if first.StopReason != StopMaxTokens && first.StopReason != StopEndOfGeneration {
		t.Errorf("stop reason %v", first.StopReason)
	}
	if got := strings.Join(pieces, ""); got != first.Text {
		t.Errorf("streamed %q, returned %q", got, first.Text)
	}

	o.OnText = nil
	second, err := c.Generate(context.Background(), greedyPrompt, o)
	if err != nil {
		t.Fatal(err)
	}
	if second.Text != first.Text {
		t.Errorf("second greedy run differs:\n%q\n%q", second.Text, first.Text)
	}
	if second.ReusedTokens == 0 {
		t.Errorf("the prompt was not reused from the cache: %+v", second)
	}
	if other := greedyText(t, m); other.Text != first.Text {
		t.Errorf("a fresh context gives %q, want %q", other.Text, first.Text)
	}

	tokens, err := m.Tokenize(greedyPrompt, TokenizeAddSpecial)
	if err != nil {
		t.Fatal(err)
	}
	byTokens, err := c.GenerateTokens(context.Background(), tokens, o)
	if err != nil || byTokens.Text != first.Text {
		t.Errorf("GenerateTokens = %q, %v; want %q", byTokens.Text, err, first.Text)
	}
}

func TestGenerateStopString(t *testing.T) {
	m := loadTestModel(t)
	greedy := greedyText(t, m).Text
	words := strings.Fields(greedy)
	word := strings.Trim(words[len(words)/2], ".,!?")
	at := strings.Index(greedy, word)
	if word == "" || at <= 0 {
		t.Fatalf("no word to stop at in %q", greedy)
	}
	o := greedyOptions()
	o.Stop = []string{"no such stop string", word}
	r, err := newTestContext(t, m).Generate(context.Background(), greedyPrompt, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.StopReason != StopString {
		t.Errorf("stop reason %v, want %v", r.StopReason, StopString)
	}
	if want := greedy[:at]; r.Text != want {
		t.Errorf("stopped at %q: text %q, want %q", word, r.Text, want)
	}
}

func TestGenerateCallbackStop(t *testing.T) {
	m := loadTestModel(t)
	n := 0
	o := greedyOptions()
	o.OnText = func(string) bool {
		n++
		return n < 3
	}
	r, err := newTestContext(t, m).Generate(context.Background(), greedyPrompt, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.StopReason != StopCallback || n != 3 {
		t.Errorf("stop reason %v after %d pieces, want %v after 3", r.StopReason, n, StopCallback)
	}
}

func TestGenerateBadOptions(t *testing.T) {
	m := loadTestModel(t)
	c := newTestContext(t, m)
	o := greedyOptions()
	o.TopP = 2
	if _, err := c.Generate(context.Background(), greedyPrompt, o); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("TopP 2: %v, want ErrInvalidArgument", err)
	}
	if _, err := c.GenerateTokens(context.Background(), nil, greedyOptions()); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("no prompt tokens: %v, want ErrInvalidArgument", err)
	}
	if _, err := c.GenerateTokens(context.Background(), []int32{1, 99999}, greedyOptions()); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("a token outside the vocabulary: %v, want ErrInvalidArgument", err)
	}
	if r, err := c.Generate(context.Background(), greedyPrompt, greedyOptions()); err != nil || r.GeneratedTokens == 0 {
		t.Errorf("the context does not work after bad options: %+v, %v", r, err)
	}
}

func TestGenerateContextFull(t *testing.T) {
	m := loadTestModel(t)
	o := DefaultContextOptions()
	o.NCtx = 16
	o.NThreads = 2
	c, err := m.NewContext(&o)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Generate(context.Background(), strings.Repeat("Once upon a time ", 10), greedyOptions())
	if !errors.Is(err, ErrContextFull) {
		t.Errorf("a prompt longer than the context: %v, want ErrContextFull", err)
	}
	g := greedyOptions()
	g.MaxTokens = -1
	r, err := c.Generate(context.Background(), greedyPrompt, g)
	if err != nil || r.StopReason != StopContextFull || r.GeneratedTokens == 0 {
		t.Errorf("generating until the context is full: %+v, %v", r, err)
	}
}

func TestGeneratePanicInCallback(t *testing.T) {
	m := loadTestModel(t)
	want := greedyText(t, m).Text
	c := newTestContext(t, m)
	o := greedyOptions()
	n := 0
	o.OnText = func(string) bool {
		if n++; n == 2 {
			panic("boom")
		}
		return true
	}
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the callback's panic", r)
			}
		}()
		_, _ = c.Generate(context.Background(), greedyPrompt, o)
		t.Error("Generate returned instead of panicking")
	}()
	if n != 2 {
		t.Errorf("callback called %d times, want 2 (generation stops at the panic)", n)
	}
	r, err := c.Generate(context.Background(), greedyPrompt, greedyOptions())
	if err != nil || r.Text != want {
		t.Errorf("after the panic: %q, %v; want %q", r.Text, err, want)
	}
}

// TestTwoGoroutinesShareModel runs two contexts of one model at once.
func TestTwoGoroutinesShareModel(t *testing.T) {
	m := loadTestModel(t)
	want := greedyText(t, m).Text
	contexts := []*Context{newTestContext(t, m), newTestContext(t, m)}
	var wg sync.WaitGroup
	results := make([]GenerateResult, len(contexts))
	errs := make([]error, len(contexts))
	for i, c := range contexts {
		wg.Add(1)
		go func(i int, c *Context) {
			defer wg.Done()
			for j := 0; j < 3 && errs[i] == nil; j++ {
				c.Reset()
				results[i], errs[i] = c.Generate(context.Background(), greedyPrompt, greedyOptions())
			}
		}(i, c)
	}
	wg.Wait()
	for i := range contexts {
		if errs[i] != nil || results[i].Text != want {
			t.Errorf("goroutine %d: %q, %v; want %q", i, results[i].Text, errs[i], want)
		}
	}
}
