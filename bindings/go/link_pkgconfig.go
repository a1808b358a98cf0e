//go:build libquant_pkgconfig

package libquant

// With -tags libquant_pkgconfig, cgo takes libquant's flags from
// `pkg-config libquant` (after CGO_CFLAGS and CGO_LDFLAGS). pkg-config gives
// no rpath: add CGO_LDFLAGS="-Wl,-rpath,$(pkg-config --variable=libdir libquant)"
// unless the library is on the loader's path.

/*
#cgo pkg-config: libquant
*/
import "C"
