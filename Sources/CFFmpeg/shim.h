// FFmpeg headers for Swift, plus the macros Swift cannot import, as inline functions.
#ifndef CFFMPEG_SHIM_H
#define CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>
#include <libavutil/channel_layout.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/opt.h>

/// AVERROR_EOF: the end of a stream (decoder drained, or demuxer at end of file).
static inline int cffmpeg_averror_eof(void) { return AVERROR_EOF; }
/// AVERROR(EAGAIN): the decoder needs more input before it can output a frame.
static inline int cffmpeg_averror_eagain(void) { return AVERROR(EAGAIN); }
/// AVERROR(e) for any errno value.
static inline int cffmpeg_averror(int e) { return AVERROR(e); }
/// AV_NOPTS_VALUE: "no timestamp".
static inline int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }
/// AV_TIME_BASE (microseconds) used by AVFormatContext.duration.
static inline int cffmpeg_time_base(void) { return AV_TIME_BASE; }

#endif
