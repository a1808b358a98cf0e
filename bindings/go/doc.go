// Package libquant runs quantized language models (GGUF files) on the local
// machine through libquant's C interface: load a model, tokenize, generate
// text with streaming and cancellation, and quantize model files.
//
//	model, err := libquant.LoadModel("stories260K.gguf", nil)
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer model.Close()
//	lctx, err := model.NewContext(nil)
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer lctx.Close()
//	opts := libquant.DefaultGenerateOptions()
//	opts.MaxTokens = 64
//	opts.OnText = func(piece string) bool { fmt.Print(piece); return true }
//	res, err := lctx.Generate(ctx, "Once upon a time", &opts)
//
// # Building
//
// The package uses cgo and links with -lquant. For an installed libquant
// (/usr/local) nothing needs to be set. Otherwise point cgo at the header
// and the library, and embed the library's folder as an rpath so that
// programs run without LD_LIBRARY_PATH:
//
//	CGO_CFLAGS="-I$LIBQUANT_INCLUDE_DIR"
//	CGO_LDFLAGS="-L$LIBQUANT_LIB_DIR -Wl,-rpath,$LIBQUANT_LIB_DIR"
//
// or, with libquant.pc on PKG_CONFIG_PATH, CGO_CFLAGS=$(pkg-config --cflags
// libquant) and CGO_LDFLAGS=$(pkg-config --libs libquant). LoadModel,
// Quantize and Backends fail with ErrUnsupported when the library found at
// run time has another ABI version than this package.
//
// # Concurrency
//
// A Model is immutable and may be used by any number of goroutines at once.
// A Context is for one goroutine at a time (its methods take a mutex, so
// concurrent calls wait instead of corrupting it); use one Context per
// goroutine to generate in parallel from one Model. Context.Cancel may be
// called from any goroutine.
//
// Callbacks (GenerateOptions.OnText, the OnProgress and OnMessage options)
// run on the goroutine that made the call and must not call methods of the
// object they report on. A panic in one of them stops the work and is raised
// again from the call once the C side has returned and everything is cleaned
// up. They must not call runtime.Goexit (t.FailNow, t.Fatal), which cannot
// unwind through C.
//
// # Errors
//
// Every failing call returns an *Error with the C status (Status) and
// libquant's message, fetched on the thread that made the call. Test for a
// kind of failure with errors.Is and a sentinel: errors.Is(err, ErrIO),
// errors.Is(err, ErrCancelled). Cancellation of a generation is not an error:
// see Context.Generate.
//
// # Freeing
//
// Model and Context implement io.Closer; Close them when done (a finalizer
// frees forgotten ones, but only when the garbage collector runs). A Context
// keeps its Model alive: closing a Model whose contexts are still open defers
// freeing it until the last of them is closed.
package libquant
