package libquant_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"libquant.org/go/libquant"
)

// modelPath is where the examples find a model: LQ_TEST_MODEL, or the one in
// the libquant repository.
func modelPath() string {
	if p := os.Getenv("LQ_TEST_MODEL"); p != "" {
		return p
	}
	return "../../models/stories260K.gguf"
}

// Load a model, make a context and generate greedily, streaming the text.
func Example() {
	model, err := libquant.LoadModel(modelPath(), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer model.Close()

	lctx, err := model.NewContext(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer lctx.Close()

	opts := libquant.DefaultGenerateOptions()
	opts.Temperature = 0 // greedy
	opts.MaxTokens = 16
	pieces := 0
	opts.OnText = func(piece string) bool {
		pieces++ // a real program would print piece here
		return true
	}
	res, err := lctx.Generate(context.Background(), "Once upon a time", &opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.StopReason, res.GeneratedTokens, pieces > 0)
	// Output: max tokens 16 true
}

// Errors carry the C status; match them with errors.Is.
func ExampleError() {
	_, err := libquant.LoadModel("/no/such/model.gguf", nil)
	var lqErr *libquant.Error
	if errors.As(err, &lqErr) {
		fmt.Println(lqErr.Status == libquant.StatusIO, errors.Is(err, libquant.ErrIO))
	}
	// Output: true true
}

// Stop a generation from another goroutine with a context.Context.
func ExampleContext_Generate_timeout() {
	model, err := libquant.LoadModel(modelPath(), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer model.Close()
	lctx, err := model.NewContext(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer lctx.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := lctx.Generate(ctx, "Once upon a time", nil)
	if errors.Is(err, context.DeadlineExceeded) {
		fmt.Println("timed out after", res.GeneratedTokens, "tokens:", res.StopReason)
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("finished:", res.StopReason != libquant.StopCancelled)
	// Output: finished: true
}
