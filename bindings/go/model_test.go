package libquant

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	if got := Version(); got != HeaderVersion {
		t.Errorf("Version() = %q, header %q", got, HeaderVersion)
	}
	if got := ABIVersion(); got != 1 {
		t.Errorf("ABIVersion() = %d, want 1", got)
	}
	if err := checkABI(); err != nil {
		t.Error(err)
	}
}

func TestLoadAndInfo(t *testing.T) {
	var progress []float32
	m, err := LoadModel(testModelPath(t), &ModelOptions{OnProgress: func(p float32) bool {
		progress = append(progress, p)
		return true
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	info := m.Info()
	if info.Architecture != "llama" || info.NVocab != 512 {
		t.Errorf("Info() = %+v, want architecture llama and 512 tokens", info)
	}
	if info.NParams == 0 || info.NLayer == 0 || info.NEmbd == 0 || info.NHead == 0 || info.NHeadKV == 0 || info.NCtxTrain == 0 {
		t.Errorf("Info() has zero hyper-parameters: %+v", info)
	}
	if len(progress) == 0 {
		t.Error("no load progress reported")
	}
	for i, p := range progress {
		if p < 0 || p > 1 || (i > 0 && p < progress[i-1]) {
			t.Errorf("load progress %v is not non-decreasing in [0,1]", progress)
			break
		}
	}

	if arch, err := m.Meta("general.architecture"); err != nil || arch != "llama" {
		t.Errorf("Meta(general.architecture) = %q, %v", arch, err)
	}
	if _, err := m.Meta("no.such.key"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Meta(no.such.key) error = %v, want ErrNotFound", err)
	}
	keys, err := m.MetaKeys()
	if err != nil || len(keys) == 0 || !contains(keys, "general.architecture") {
		t.Errorf("MetaKeys() = %q, %v", keys, err)
	}

	v, err := m.Vocab()
	if err != nil {
		t.Fatal(err)
	}
	if v.NTokens != 512 || v.BOS != 1 || v.Model != "llama" || !v.AddBOS {
		t.Errorf("Vocab() = %+v", v)
	}
}

func TestLoadErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.gguf")
	_, err := LoadModel(missing, nil)
	var lqErr *Error
	if !errors.As(err, &lqErr) {
		t.Fatalf("missing file: error %v (%T) is not an *Error", err, err)
	}
	if lqErr.Status != StatusIO || int(lqErr.Status) != -3 || !errors.Is(err, ErrIO) || errors.Is(err, ErrModelFormat) {
		t.Errorf("missing file: status %d (%v), want IO (-3)", lqErr.Status, lqErr.Status)
	}
	if !strings.Contains(lqErr.Message, missing) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: message %q does not name %s", lqErr.Message, missing)
	}

	notGGUF := filepath.Join(t.TempDir(), "text.gguf")
	if err := os.WriteFile(notGGUF, []byte(strings.Repeat("this is not a model file\n", 16)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadModel(notGGUF, nil)
	if !errors.Is(err, ErrModelFormat) || !errors.As(err, &lqErr) || lqErr.Status != -4 || lqErr.Message == "" {
		t.Errorf("non-GGUF file: error %v, want MODEL_FORMAT (-4) with a message", err)
	}
}

func TestLoadCancelledByProgress(t *testing.T) {
	_, err := LoadModel(testModelPath(t), &ModelOptions{OnProgress: func(float32) bool { return false }})
	if !errors.Is(err, ErrCancelled) {
		t.Errorf("error %v, want ErrCancelled", err)
	}
}

func TestBadContextOptions(t *testing.T) {
	m := loadTestModel(t)
	o := DefaultContextOptions()
	o.KVType = 12345
	c, err := m.NewContext(&o)
	if err == nil {
		c.Close()
		t.Fatal("kv type 12345: no error")
	}
	var lqErr *Error
	if !errors.As(err, &lqErr) || !(errors.Is(err, ErrInvalidArgument) || errors.Is(err, ErrUnsupported)) || lqErr.Message == "" {
		t.Errorf("kv type 12345: error %v, want InvalidArgument or Unsupported with a message", err)
	}
	o = DefaultContextOptions()
	o.NCtx = -1
	if _, err := m.NewContext(&o); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("NCtx -1: error %v, want ErrInvalidArgument", err)
	}
}

func TestContextInfo(t *testing.T) {
	m := loadTestModel(t)
	c := newTestContext(t, m)
	info, err := c.Info()
	if err != nil {
		t.Fatal(err)
	}
	if info.NCtx != 256 || info.NThreads != 2 || info.NVocab != 512 || info.KVType != TypeF16 || info.Backend != BackendCPU || info.NPast != 0 {
		t.Errorf("Info() = %+v", info)
	}
	if _, err := c.Generate(context.Background(), greedyPrompt, greedyOptions()); err != nil {
		t.Fatal(err)
	}
	if info, _ = c.Info(); info.NPast == 0 {
		t.Errorf("NPast = 0 after generating")
	}
	if err := c.Reset(); err != nil {
		t.Fatal(err)
	}
	if info, _ = c.Info(); info.NPast != 0 {
		t.Errorf("NPast = %d after Reset", info.NPast)
	}
}

func TestClose(t *testing.T) {
	m, err := LoadModel(testModelPath(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := m.NewContext(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Closing the model first is allowed: it is freed with its last context.
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Tokenize("x", 0); !errors.Is(err, ErrClosed) {
		t.Errorf("Tokenize after Close: %v, want ErrClosed", err)
	}
	if _, err := m.NewContext(nil); !errors.Is(err, ErrClosed) || !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("NewContext after Close: %v, want ErrClosed", err)
	}
	if r, err := c.Generate(context.Background(), greedyPrompt, greedyOptions()); err != nil || r.GeneratedTokens == 0 {
		t.Errorf("Generate on a context of a closed model: %+v, %v", r, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	c.Cancel() // a no-op now
	if _, err := c.Generate(context.Background(), greedyPrompt, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Generate after Close: %v, want ErrClosed", err)
	}
	if m.Info().Architecture != "llama" {
		t.Errorf("Info after Close lost the summary")
	}
}

func TestBackends(t *testing.T) {
	backends, err := Backends()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range backends {
		if b.Backend == BackendCPU {
			if !b.Available || b.Name != "cpu" {
				t.Errorf("CPU backend: %+v", b)
			}
			return
		}
	}
	t.Errorf("no CPU backend in %+v", backends)
}

func TestLogCallback(t *testing.T) {
	messages := make(chan string, 64)
	SetLogCallback(func(level LogLevel, message string) {
		if level <= LogInfo {
			select {
			case messages <- message:
			default:
			}
		}
	}, LogInfo)
	defer SetLogCallback(nil, LogError)
	m := loadTestModel(t)
	m.Close()
	SetLogCallback(nil, LogError)
	close(messages)
	n := 0
	for range messages {
		n++
	}
	if n == 0 {
		t.Error("no log message while loading a model at level info")
	}
}

func TestErrorFormatting(t *testing.T) {
	e := &Error{Op: "load model", Status: StatusIO, Message: "cannot open 'x'"}
	if got, want := e.Error(), "libquant: load model: cannot open 'x'"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, ErrIO) || errors.Is(e, ErrCancelled) || errors.Is(ErrIO, e) {
		t.Error("errors.Is does not match by status against sentinels only")
	}
	if StatusCancelled.String() == "" || TypeQ8_0.String() != "q8_0" || StopCancelled.String() != "cancelled" {
		t.Error("String methods")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
