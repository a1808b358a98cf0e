package libquant

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// cancelAfter returns an OnText callback that, at the 5th piece, asks another
// goroutine to run cancel, waits until it has, and then asks to continue.
func cancelAfter(cancel func()) (onText func(string) bool, pieces *int) {
	request, done := make(chan struct{}), make(chan struct{})
	go func() {
		<-request
		cancel()
		close(done)
	}()
	n := 0
	return func(string) bool {
		if n++; n == 5 {
			close(request)
			<-done
		}
		return true
	}, &n
}

func checkCancelled(t *testing.T, r, full GenerateResult) {
	t.Helper()
	if r.StopReason != StopCancelled {
		t.Errorf("stop reason %v, want %v", r.StopReason, StopCancelled)
	}
	if len(r.Text) >= len(full.Text) || !strings.HasPrefix(full.Text, r.Text) || r.Text == "" {
		t.Errorf("text %q is not a proper prefix of %q", r.Text, full.Text)
	}
	if r.GeneratedTokens >= full.GeneratedTokens {
		t.Errorf("%d tokens generated, not fewer than %d", r.GeneratedTokens, full.GeneratedTokens)
	}
}

// checkWorks checks that the context generates normally again.
func checkWorks(t *testing.T, c *Context, full GenerateResult) {
	t.Helper()
	r, err := c.Generate(context.Background(), greedyPrompt, greedyOptions())
	if err != nil || r.Text != full.Text || r.StopReason != full.StopReason {
		t.Errorf("the next call gives %q (%v), %v; want %q", r.Text, r.StopReason, err, full.Text)
	}
}

func TestCancelFromAnotherGoroutine(t *testing.T) {
	m := loadTestModel(t)
	full := greedyText(t, m)
	c := newTestContext(t, m)
	o := greedyOptions()
	var n *int
	o.OnText, n = cancelAfter(c.Cancel)
	r, err := c.Generate(context.Background(), greedyPrompt, o)
	if err != nil {
		t.Fatalf("cancelled generation returned error %v", err)
	}
	checkCancelled(t, r, full)
	if *n < 5 {
		t.Errorf("only %d pieces", *n)
	}
	checkWorks(t, c, full)
}

func TestCancelWithContext(t *testing.T) {
	m := loadTestModel(t)
	full := greedyText(t, m)
	c := newTestContext(t, m)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := greedyOptions()
	o.OnText, _ = cancelAfter(cancel)
	r, err := c.Generate(ctx, greedyPrompt, o)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	checkCancelled(t, r, full)
	// The request made by the context's end must not cancel this call.
	checkWorks(t, c, full)
	checkWorks(t, c, full)

	// A context that is already done: nothing runs.
	r, err = c.Generate(ctx, greedyPrompt, greedyOptions())
	if !errors.Is(err, context.Canceled) || r.StopReason != StopCancelled || r.GeneratedTokens != 0 {
		t.Errorf("done context: %+v, %v", r, err)
	}
	checkWorks(t, c, full)
}

// TestCancelPending pins the documented C semantics of Cancel: with no call
// running, it cancels the next one, and only that one.
func TestCancelPending(t *testing.T) {
	m := loadTestModel(t)
	full := greedyText(t, m)
	c := newTestContext(t, m)
	c.Cancel()
	r, err := c.Generate(context.Background(), greedyPrompt, greedyOptions())
	if err != nil || r.StopReason != StopCancelled || r.Text != "" {
		t.Errorf("after a pending Cancel: %+v, %v", r, err)
	}
	checkWorks(t, c, full)
}
