// ALSA's PCM API (libasound) for live sound, plus what Swift cannot call directly.
#ifndef CALSA_SHIM_H
#define CALSA_SHIM_H

#include <alsa/asoundlib.h>
#include <stdlib.h>
#include <string.h>

/// libasound prints its own diagnostics to stderr (for example "cannot find card '0'" on a
/// machine without sound); cpuplay says it once in its own words instead.
static void calsa_discard_error(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

/// Routes libasound's diagnostics to `calsa_discard_error` (the handler type is variadic,
/// which Swift cannot create).
static inline void calsa_silence_errors(void) { snd_lib_error_set_handler(calsa_discard_error); }

/// Copies the NAME of a "pcm" name hint into `out` (at most `capacity` bytes with the NUL) when
/// the device can play (IOID absent or "Output"); returns its length, or -1 (freeing what
/// libasound allocated, so Swift need not call free).
static inline int calsa_playback_hint_name(const void *hint, char *out, size_t capacity) {
    char *name = snd_device_name_get_hint(hint, "NAME");
    char *io = snd_device_name_get_hint(hint, "IOID");
    int length = -1;
    if (name != NULL && (io == NULL || strcmp(io, "Input") != 0) && strlen(name) < capacity) {
        strcpy(out, name);
        length = (int)strlen(name);
    }
    free(name);
    free(io);
    return length;
}

#endif
