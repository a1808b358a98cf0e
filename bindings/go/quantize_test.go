package libquant

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestQuantize(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "q8_0.gguf")
	var progress []float32
	messages := 0
	o := DefaultQuantizeOptions()
	o.Target = "q8_0"
	o.NThreads = 2
	o.OnProgress = func(p float32) bool {
		progress = append(progress, p)
		return true
	}
	o.OnMessage = func(string) { messages++ }
	if err := Quantize(context.Background(), testModelPath(t), out, &o); err != nil {
		t.Fatal(err)
	}
	if len(progress) == 0 {
		t.Error("no progress reported")
	}
	for i, p := range progress {
		if p < 0 || p > 1 || (i > 0 && p < progress[i-1]) {
			t.Errorf("progress %v is not non-decreasing within [0,1]", progress)
			break
		}
	}
	if messages == 0 {
		t.Error("no messages")
	}

	m, err := LoadModel(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Info().TensorTypesMask&(1<<TypeQ8_0) == 0 {
		t.Errorf("no q8_0 tensor in the output: %+v", m.Info())
	}
	r, err := newTestContext(t, m).Generate(context.Background(), greedyPrompt, greedyOptions())
	if err != nil || r.GeneratedTokens == 0 || r.Text == "" {
		t.Errorf("the quantized model does not generate: %+v, %v", r, err)
	}
}

func TestQuantizeCancelled(t *testing.T) {
	in := testModelPath(t)
	check := func(name string, err error, want error) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Errorf("%s: error %v, want %v", name, err, want)
		}
	}
	noFiles := func(name, dir string) {
		t.Helper()
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) != 0 {
			t.Errorf("%s: left %v in the output folder (%v)", name, entries, err)
		}
	}

	dir := t.TempDir()
	o := DefaultQuantizeOptions()
	o.OnProgress = func(float32) bool { return false }
	check("progress returns false", Quantize(context.Background(), in, filepath.Join(dir, "out.gguf"), &o), ErrCancelled)
	noFiles("progress returns false", dir)

	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	o.OnProgress = func(float32) bool {
		if calls++; calls == 2 {
			cancel()
		}
		return true
	}
	check("context cancelled", Quantize(ctx, in, filepath.Join(dir, "out.gguf"), &o), context.Canceled)
	noFiles("context cancelled", dir)

	o.OnProgress = func(float32) bool { panic("boom") }
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the callback's panic", r)
			}
		}()
		_ = Quantize(context.Background(), in, filepath.Join(dir, "out.gguf"), &o)
	}()
	noFiles("panic", dir)

	o = DefaultQuantizeOptions()
	o.Target = "no-such-mix"
	check("unknown target", Quantize(context.Background(), in, filepath.Join(dir, "out.gguf"), &o), ErrInvalidArgument)
}
