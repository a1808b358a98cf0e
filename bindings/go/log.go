package libquant

/*
#include "lqgo.h"

static void lqgo_log_enable(lq_log_level max_level) {
    lq_log_set_callback(lqgo_log_shim, NULL, max_level);
}
*/
import "C"

// LogLevel is the severity of a log message (C's lq_log_level).
type LogLevel int32

// Log levels, from the most to the least severe.
const (
	LogError LogLevel = C.LQ_LOG_ERROR // something failed
	LogWarn  LogLevel = C.LQ_LOG_WARN  // something is suspicious but work goes on
	LogInfo  LogLevel = C.LQ_LOG_INFO  // progress and summaries
	LogDebug LogLevel = C.LQ_LOG_DEBUG // details for developers
)

// String returns "error", "warn", "info" or "debug".
func (l LogLevel) String() string {
	switch l {
	case LogError:
		return "error"
	case LogWarn:
		return "warn"
	case LogInfo:
		return "info"
	case LogDebug:
		return "debug"
	}
	return "unknown"
}

// SetLogCallback installs the process-wide receiver of libquant's log
// messages up to maxLevel; fn nil silences the library again (its default).
//
// fn is called on whichever thread produced the message, possibly from
// several at once and while any libquant call runs, so it must be safe for
// concurrent use and must not call into libquant. A panic in fn is dropped.
func SetLogCallback(fn func(level LogLevel, message string), maxLevel LogLevel) {
	logger.Store(logReceiver{fn: fn})
	if fn == nil {
		C.lq_log_set_callback(nil, nil, C.LQ_LOG_ERROR)
		return
	}
	C.lqgo_log_enable(C.lq_log_level(maxLevel))
}
