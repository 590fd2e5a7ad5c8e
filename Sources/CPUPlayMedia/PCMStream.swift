import CFFmpeg
import CPUPlayCore

/// Decoded, resampled samples of a soundtrack for a list of clip-time stretches, read in
/// order: exactly round(end * rate) - round(start * rate) sample frames per stretch, with
/// silence wherever the source has no sound (before its audio starts, after it ends).
///
/// This is what keeps sound on the picture's clock: the count of samples, not the decoder's
/// idea of time, decides where each stretch begins, so a loop or a cut never drifts.
public final class PCMStream {
    public let format: PCMFormat
    private let reader: SoundtrackReader
    private let stretches: [(start: Double, end: Double)]
    private let decoder: CodecContext
    private let packet: Packet
    private let frame: Frame
    private var swr: OpaquePointer?
    private var stretchIndex = -1
    /// Sample frames still to deliver in the current stretch, and its start in samples.
    private var remaining = 0
    private var cursor = 0
    /// Resampled samples not yet delivered (per plane) and the sample index of the first.
    private var pending: [[UInt8]]
    private var pendingFrames = 0
    private var pendingStart = 0
    /// Sample index (at the output rate) of the next resampled output; nil until the first frame.
    private var decodedPosition: Int?
    private var sourceEnded = false
    private var totalEmitted = 0

    /// Samples of `reader` for the clip-time stretches `stretches` (seconds), as `format`.
    public init(reader: SoundtrackReader, format: PCMFormat,
                stretches: [(start: Double, end: Double)]) throws(CPUPlayError) {
        self.reader = reader
        self.format = format
        self.stretches = stretches
        decoder = try CodecContext(codec: reader.codec)
        let c = decoder.pointer
        var r = avcodec_parameters_to_context(c, reader.stream.pointee.codecpar)
        guard r >= 0 else {
            throw .unreadableInput("input \(CPUPlayError.quoted(reader.path)): cannot set up its audio decoder: "
                + "\(ffmpegErrorText(r))")
        }
        c.pointee.pkt_timebase = reader.stream.pointee.time_base
        r = avcodec_open2(c, reader.codec, nil)
        guard r >= 0 else {
            throw .unreadableInput("input \(CPUPlayError.quoted(reader.path)): cannot open its \(reader.codecName) "
                + "decoder: \(ffmpegErrorText(r))")
        }
        packet = try Packet()
        frame = try Frame()
        pending = Array(repeating: [], count: format.planeCount)
    }

    deinit { swr_free(&swr) }

    /// Sample frames delivered so far.
    public var framesRead: Int { totalEmitted }

    /// Fills `planes` (one per plane, each resized to frames * bytesPerFramePerPlane) with up
    /// to `maxFrames` sample frames; returns how many, 0 at the end of the last stretch.
    public func read(maxFrames: Int, into planes: inout [[UInt8]]) throws(CPUPlayError) -> Int {
        let bpf = format.bytesPerFramePerPlane
        if planes.count != format.planeCount { planes = Array(repeating: [], count: format.planeCount) }
        for p in planes.indices { planes[p].removeAll(keepingCapacity: true) }
        var filled = 0
        while filled < maxFrames {
            if remaining == 0 {
                guard try startNextStretch() else { break }
                continue
            }
            if pendingFrames == 0, !sourceEnded { try decodeMore(); continue }
            let want = min(maxFrames - filled, remaining)
            let n: Int
            if pendingFrames == 0 || pendingStart > cursor {
                // No sound here in the source: silence up to its next sample.
                n = pendingFrames == 0 ? want : min(want, pendingStart - cursor)
                for p in planes.indices { appendSilence(&planes[p], frames: n) }
            } else if pendingStart + pendingFrames <= cursor {
                dropPending(pendingFrames)
                continue
            } else {
                if pendingStart < cursor { dropPending(cursor - pendingStart) }
                n = min(want, pendingFrames)
                for p in planes.indices { planes[p].append(contentsOf: pending[p][0..<n * bpf]) }
                dropPending(n)
            }
            filled += n
            cursor += n
            remaining -= n
        }
        totalEmitted += filled
        return filled
    }

    private func appendSilence(_ plane: inout [UInt8], frames: Int) {
        let unsigned = format.sampleFormat == AV_SAMPLE_FMT_U8 || format.sampleFormat == AV_SAMPLE_FMT_U8P
        plane.append(contentsOf: repeatElement(unsigned ? 0x80 : 0, count: frames * format.bytesPerFramePerPlane))
    }

    private func dropPending(_ n: Int) {
        let bytes = n * format.bytesPerFramePerPlane
        for p in pending.indices { pending[p].removeFirst(bytes) }
        pendingFrames -= n
        pendingStart += n
    }

    private func sampleIndex(_ seconds: Double) -> Int { Int((seconds * Double(format.sampleRate)).rounded()) }

    /// Moves to the next stretch, seeking the source when it does not continue the last one.
    private func startNextStretch() throws(CPUPlayError) -> Bool {
        stretchIndex += 1
        guard stretchIndex < stretches.count else { return false }
        let s = stretches[stretchIndex]
        let start = sampleIndex(s.start), end = sampleIndex(s.end)
        remaining = max(0, end - start)
        let continues = stretchIndex > 0 && sampleIndex(stretches[stretchIndex - 1].end) == start
        if !continues || decodedPosition == nil {
            try seek(toSeconds: s.start)
        }
        cursor = start
        return true
    }

    private func seek(toSeconds t: Double) throws(CPUPlayError) {
        let tb = reader.stream.pointee.time_base
        // A little before the point: decoders need a frame or two to settle.
        let first = reader.stream.pointee.start_time == cffmpeg_nopts_value() ? 0 : reader.stream.pointee.start_time
        let target = max(first, Int64(((reader.clipOrigin + t - 0.5) * Double(tb.den) / Double(tb.num)).rounded(.down)))
        if decodedPosition != nil || t > 0 {
            if av_seek_frame(reader.input.pointer, reader.streamIndex, target, AVSEEK_FLAG_BACKWARD) < 0 {
                avformat_seek_file(reader.input.pointer, reader.streamIndex, Int64.min, target, target, 0)
            }
            avcodec_flush_buffers(decoder.pointer)
        }
        swr_free(&swr)
        for p in pending.indices { pending[p].removeAll(keepingCapacity: true) }
        pendingFrames = 0
        decodedPosition = nil
        sourceEnded = false
    }

    /// Decodes packets until at least one frame was resampled into `pending`, or the end.
    private func decodeMore() throws(CPUPlayError) {
        let c = decoder.pointer
        while true {
            let rr = avcodec_receive_frame(c, frame.pointer)
            if rr >= 0 {
                defer { av_frame_unref(frame.pointer) }
                try resample(frame.pointer)
                if pendingFrames > 0 { return }
                continue
            }
            if rr == cffmpeg_averror_eof() { sourceEnded = true; try flushResampler(); return }
            if rr != cffmpeg_averror_eagain() {
                throw .unreadableInput("input \(CPUPlayError.quoted(reader.path)): audio decoding failed "
                    + "(\(ffmpegErrorText(rr)))")
            }
            let r = av_read_frame(reader.input.pointer, packet.pointer)
            if r < 0 {
                _ = avcodec_send_packet(c, nil)
                continue
            }
            defer { av_packet_unref(packet.pointer) }
            guard packet.pointer.pointee.stream_index == reader.streamIndex else { continue }
            let s = avcodec_send_packet(c, packet.pointer)
            if s < 0 && s != cffmpeg_averror_eagain() && s != cffmpeg_averror_eof() {
                // A damaged audio packet: skip it (the count of samples keeps the timing).
                continue
            }
        }
    }

    private func resample(_ f: UnsafeMutablePointer<AVFrame>) throws(CPUPlayError) {
        if swr == nil {
            var out = AVChannelLayout()
            av_channel_layout_default(&out, Int32(format.channels))
            var inLayout = f.pointee.ch_layout
            if inLayout.nb_channels == 0 {
                av_channel_layout_default(&inLayout,
                                          max(1, reader.stream.pointee.codecpar.pointee.ch_layout.nb_channels))
            }
            let r = swr_alloc_set_opts2(&swr, &out, format.sampleFormat, Int32(format.sampleRate),
                                        &inLayout, AVSampleFormat(rawValue: f.pointee.format), f.pointee.sample_rate,
                                            0, nil)
            guard r >= 0, swr_init(swr) >= 0 else {
                throw .unreadableInput("input \(CPUPlayError.quoted(reader.path)): cannot convert its audio "
                    + "(\(reader.codecName), \(f.pointee.sample_rate) Hz) to \(format.sampleRate) Hz")
            }
            if decodedPosition == nil {
                let tb = reader.stream.pointee.time_base
                var pts = f.pointee.best_effort_timestamp
                if pts == cffmpeg_nopts_value() { pts = 0 }
                let seconds = Double(pts) * Double(tb.num) / Double(tb.den) - reader.clipOrigin
                decodedPosition = sampleIndex(seconds)
            }
        }
        let input = UnsafeMutablePointer<UnsafePointer<UInt8>?>(OpaquePointer(f.pointee.extended_data))
        try convert(input: input, count: f.pointee.nb_samples)
    }

    private func flushResampler() throws(CPUPlayError) {
        guard swr != nil else { return }
        try convert(input: nil, count: 0)
    }

    private func convert(input: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int32) throws(CPUPlayError) {
        let capacity = Int(swr_get_out_samples(swr, count)) + 32
        guard capacity > 0 else { return }
        let bpf = format.bytesPerFramePerPlane
        let buffers = (0..<format.planeCount).map { _ in
            UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * bpf)
        }
        defer { for b in buffers { b.deallocate() } }
        var pointers: [UnsafeMutablePointer<UInt8>?] = buffers + Array(repeating: nil, count: max(0, 8 - buffers.count))
        let produced = pointers.withUnsafeMutableBufferPointer { outs in
            swr_convert(swr, outs.baseAddress, Int32(capacity), input, count)
        }
        guard produced >= 0 else {
            throw .unreadableInput("input \(CPUPlayError.quoted(reader.path)): audio resampling failed "
                + "(\(ffmpegErrorText(produced)))")
        }
        let n = Int(produced)
        guard n > 0 else { return }
        if pendingFrames == 0 { pendingStart = decodedPosition ?? 0 }
        for p in buffers.indices {
            pending[p].append(contentsOf: UnsafeBufferPointer(start: buffers[p], count: n * bpf))
        }
        pendingFrames += n
        decodedPosition = (decodedPosition ?? 0) + n
    }
}
