package libquant

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLayout compares the layout of every C struct the binding uses, as cgo
// compiled libquant.h, with what the lq_layout tool (built with the library)
// prints: every struct's size and every field's offset and size.
func TestLayout(t *testing.T) {
	tool := os.Getenv("LQ_LAYOUT_TOOL")
	if tool == "" {
		tool = filepath.Join("..", "..", "build", "bin", "lq_layout")
		if _, err := os.Stat(tool); err != nil {
			t.Skip("no layout tool: set LQ_LAYOUT_TOOL")
		}
	}
	out, err := exec.Command(tool).Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	want := make(map[string]cLayout)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		var l cLayout
		switch len(f) {
		case 2: // "lq_generate_options 120"
			l.Size = parseUintptr(t, f[1])
		case 3: // "lq_generate_options.seed 80 8"
			l.Offset, l.Size = parseUintptr(t, f[1]), parseUintptr(t, f[2])
		default:
			t.Fatalf("unexpected line from %s: %q", tool, sc.Text())
		}
		want[f[0]] = l
	}

	got := cLayouts()
	structs := make(map[string]bool)
	for name, g := range got {
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: not printed by lq_layout", name)
			continue
		}
		if g != w {
			t.Errorf("%s: binding has offset %d size %d, lq_layout offset %d size %d", name, g.Offset, g.Size, w.Offset, w.Size)
		}
		if !strings.Contains(name, ".") {
			structs[name] = true
		}
	}
	// Every field of every struct the binding uses is checked.
	for name := range want {
		if s, _, isField := strings.Cut(name, "."); isField && structs[s] {
			if _, ok := got[name]; !ok {
				t.Errorf("%s: field of a struct the binding uses is not checked", name)
			}
		}
	}
	if len(structs) == 0 {
		t.Fatal("no structs checked")
	}
}

func parseUintptr(t *testing.T, s string) uintptr {
	t.Helper()
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return uintptr(v)
}
