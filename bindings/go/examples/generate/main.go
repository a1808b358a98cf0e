// Command generate streams ~64 tokens from a model: go run ./examples/generate [MODEL.gguf]
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"libquant.org/go/libquant"
)

func main() {
	path := "../models/stories260K.gguf"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	model, err := libquant.LoadModel(path, nil)
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
	opts.MaxTokens = 64
	opts.OnText = func(piece string) bool { fmt.Print(piece); return true }
	fmt.Print("Once upon a time")
	res, err := lctx.Generate(context.Background(), "Once upon a time", &opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\n[stopped: %s after %d tokens]\n", res.StopReason, res.GeneratedTokens)
}
