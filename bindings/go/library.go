package libquant

/*
#cgo LDFLAGS: -lquant
#include "lqgo.h"

static lq_status lqgo_backend_get_info(size_t index, lq_backend_info *info, lqgo_error *err) {
    info->struct_size = sizeof *info;
    return lqgo_check(lq_backend_get_info(index, info), err);
}
*/
import "C"

import (
	"fmt"
	"sync"
)

// HeaderVersion is the version of the libquant.h this package was compiled
// against; Version reports the library actually loaded.
const HeaderVersion = C.LQ_VERSION_STRING

// abiVersion is the ABI generation this binding is written for.
const abiVersion = 1

// Version returns the version of the loaded libquant library, e.g. "0.2.0".
func Version() string {
	return C.GoString(C.lq_version())
}

// ABIVersion returns the ABI generation of the loaded library. This package
// works with generation 1 only; LoadModel and Quantize fail on another one.
func ABIVersion() uint32 {
	return uint32(C.lq_abi_version())
}

var (
	abiOnce sync.Once
	abiErr  error
)

// checkABI reports, once per process, whether the loaded library speaks the
// ABI this binding was written for.
func checkABI() error {
	abiOnce.Do(func() {
		if got := ABIVersion(); got != abiVersion || C.LQ_ABI_VERSION != abiVersion {
			abiErr = &Error{Op: "load library", Status: StatusUnsupported, Message: fmt.Sprintf(
				"libquant %s has ABI version %d but this Go binding needs ABI version %d (header %s)",
				Version(), got, abiVersion, HeaderVersion)}
		}
	})
	return abiErr
}

// BackendInfo describes a compute backend as this build and machine see it.
type BackendInfo struct {
	Backend   Backend // which backend
	Name      string  // "cpu", "onednn" or "vulkan"
	Available bool    // whether a context can run on it here
	Device    string  // the device it runs on when available, else ""
	Reason    string  // why it is not available, else ""
}

// Backends lists every backend libquant knows, including those this build
// lacks or this machine cannot run (with the reason).
func Backends() ([]BackendInfo, error) {
	if err := checkABI(); err != nil {
		return nil, err
	}
	n := int(C.lq_backend_count())
	out := make([]BackendInfo, 0, n)
	for i := 0; i < n; i++ {
		var info C.lq_backend_info
		var e C.lqgo_error
		if err := callError("backend info", C.lqgo_backend_get_info(C.size_t(i), &info, &e), &e); err != nil {
			return nil, err
		}
		out = append(out, BackendInfo{
			Backend:   Backend(info.backend),
			Name:      C.GoString(info.name),
			Available: info.available != 0,
			Device:    C.GoString(info.device),
			Reason:    C.GoString(info.reason),
		})
	}
	return out, nil
}
