package libquant

import (
	"os"
	"path/filepath"
	"testing"
)

const greedyPrompt = "Once upon a time"

// testModelPath is LQ_TEST_MODEL (set by CTest), else the model in the
// repository, else the test is skipped.
func testModelPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("LQ_TEST_MODEL"); p != "" {
		return p
	}
	p := filepath.Join("..", "..", "models", "stories260K.gguf")
	if _, err := os.Stat(p); err != nil {
		t.Skip("no test model: set LQ_TEST_MODEL")
	}
	return p
}

// loadTestModel loads the test model, closed when the test ends.
func loadTestModel(t testing.TB) *Model {
	t.Helper()
	m, err := LoadModel(testModelPath(t), nil)
	if err != nil {
		t.Fatalf("LoadModel: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// newTestContext makes a small context, closed when the test ends.
func newTestContext(t testing.TB, m *Model) *Context {
	t.Helper()
	o := DefaultContextOptions()
	o.NCtx = 256
	o.NThreads = 2
	c, err := m.NewContext(&o)
	if err != nil {
		t.Fatalf("NewContext: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// greedyOptions are the spec's greedy settings: temperature 0, seed 42, 48 tokens.
func greedyOptions() *GenerateOptions {
	o := DefaultGenerateOptions()
	o.Temperature = 0
	o.Seed = 42
	o.MaxTokens = 48
	return &o
}
