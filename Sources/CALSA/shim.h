// ALSA's PCM API (libasound) for live sound, plus what Swift cannot call directly.
#ifndef CALSA_SHIM_H
#define CALSA_SHIM_H

#include <alsa/asoundlib.h>

/// libasound prints its own diagnostics to stderr (for example "cannot find card '0'" on a
/// machine without sound); cpuplay says it once in its own words instead.
static void calsa_discard_error(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

/// Routes libasound's diagnostics to `calsa_discard_error` (the handler type is variadic,
/// which Swift cannot create).
static inline void calsa_silence_errors(void) { snd_lib_error_set_handler(calsa_discard_error); }

#endif
