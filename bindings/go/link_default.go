//go:build !libquant_pkgconfig

package libquant

// Where cgo looks for libquant by default: first the paths in CGO_CFLAGS and
// CGO_LDFLAGS (which cgo puts before these), then the install prefix
// /usr/local, then the compiler's and linker's own search paths. The rpath
// lets programs find /usr/local/lib/libquant.so.1 without LD_LIBRARY_PATH.
// Build with -tags libquant_pkgconfig to ask pkg-config instead.

/*
#cgo CFLAGS: -I/usr/local/include
#cgo LDFLAGS: -L/usr/local/lib -Wl,-rpath,/usr/local/lib
*/
import "C"
