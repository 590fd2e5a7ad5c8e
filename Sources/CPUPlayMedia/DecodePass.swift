import CPUPlayClip
import CPUPlayCore
import CFFmpeg

/// One run of `VideoDecoder.decode`: reads the stream's packets, decodes them, and shows each
/// decoded frame in the output slots `FrameSlots` gives it, until the stream ends or the sink
/// has enough.
///
/// A decoded frame is held until the next one shows which slots it fills, and area-averaged
/// only if it fills any; when the output rate is below the source's, packets whose frame no
/// slot shows are decoded with AVDISCARD_NONREF.
final class DecodePass {
    private let decoder: VideoDecoder
    private let context: CodecContext
    private let grid: GridSize
    private let rate: FrameRate
    private let options: ConversionOptions
    private let sink: any FrameSink
    private let afterFrame: (() -> Void)?

    private let packet: Packet
    private let frame: Frame
    /// The last decoded frame, not yet averaged.
    private let held: Frame
    private var holding = false
    private let gray = GrayConverter()
    private let tickSeconds: Double
    private let tolerance: Double
    private let nominalTicks: Int64
    private let mayDiscard: Bool

    private var counts = DecodeCounts()
    private var slots = FrameSlots()
    private var sampler: AreaDownsampler?
    private var curves: [Bool: LevelCurve] = [:]
    private var cell: [UInt8]
    private var origin: Int64?
    private var lastPts: Int64 = 0
    private var lastDuration: Int64 = 0
    private var satisfied = false

    init(decoder: VideoDecoder, context: CodecContext, grid: GridSize, rate: FrameRate, options: ConversionOptions,
         sink: any FrameSink, afterFrame: (() -> Void)?) throws(CPUPlayError) {
        self.decoder = decoder
        self.context = context
        self.grid = grid
        self.rate = rate
        self.options = options
        self.sink = sink
        self.afterFrame = afterFrame
        packet = try Packet()
        frame = try Frame()
        held = try Frame()
        let tb = decoder.stream.pointee.time_base
        let tbNum = Int64(max(tb.num, 1)), tbDen = Int64(max(tb.den, 1))
        tickSeconds = Double(tbNum) / Double(tbDen)
        tolerance = FrameSlots.tolerance(timeBase: tickSeconds, rate: rate)
        let native = decoder.nativeRate.framesPerSecond
        nominalTicks = max(1, Int64((Double(tbDen) / Double(tbNum) / native).rounded()))
        mayDiscard = rate.framesPerSecond < native
        cell = [UInt8](repeating: 0, count: grid.cellCount)
    }

    /// Decodes until the sink has enough or the stream ends, then shows the last frame.
    func run() throws(CPUPlayError) -> DecodeCounts {
        try readPackets()
        if satisfied { return counts }
        // Drain: a NULL packet makes the decoder return the frames it still holds.
        context.pointer.pointee.skip_frame = AVDISCARD_DEFAULT
        _ = avcodec_send_packet(context.pointer, nil)
        try receiveAll()
        if satisfied { return counts }
        guard counts.framesDecoded > 0, origin != nil else {
            throw .unreadableInput("input \(quotedPath): its video stream has no frames")
        }
        try emitHeld(slots.finish(endSlot: slot(lastPts + lastDuration)))
        return counts
    }

    private var quotedPath: String { CPUPlayError.quoted(decoder.path) }

    /// Sends the video stream's packets to the decoder and takes the frames it returns.
    private func readPackets() throws(CPUPlayError) {
        let c = context.pointer
        while !satisfied {
            let rr = av_read_frame(decoder.input.pointer, packet.pointer)
            if rr == cffmpeg_averror_eof() { return }
            if rr < 0 {
                throw .unreadableInput("input \(quotedPath) is damaged or truncated: reading stopped after "
                    + "\(counts.framesDecoded) frames (\(ffmpegErrorText(rr)))")
            }
            defer { av_packet_unref(packet.pointer) }
            guard packet.pointer.pointee.stream_index == decoder.streamIndex else { continue }
            // A damaged file is refused rather than turned into a clip with a silent gap; what
            // counts as damaged must not depend on the thread count, so both the demuxer's
            // corrupt flag and the decoder's refusal of a packet are errors.
            counts.packetsRead += 1
            if packet.pointer.pointee.flags & AV_PKT_FLAG_CORRUPT != 0 {
                throw .unreadableInput("input \(quotedPath) is damaged or truncated: video packet "
                    + "\(counts.packetsRead) is corrupt (after \(counts.framesDecoded) frames)")
            }
            let unseen = packetIsUnseen()
            c.pointee.skip_frame = unseen ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
            if unseen { counts.packetsMarkedUnseen += 1 }
            let s = avcodec_send_packet(c, packet.pointer)
            if s < 0 && s != cffmpeg_averror_eagain() {
                throw .unreadableInput("input \(quotedPath) is damaged or truncated: video packet "
                    + "\(counts.packetsRead) cannot be decoded (\(ffmpegErrorText(s)))")
            }
            try receiveAll()
        }
    }

    private func receiveAll() throws(CPUPlayError) {
        while !satisfied {
            let rr = avcodec_receive_frame(context.pointer, frame.pointer)
            if rr == cffmpeg_averror_eagain() || rr == cffmpeg_averror_eof() { return }
            if rr < 0 {
                throw .unreadableInput("input \(quotedPath) is damaged or truncated: decoding failed after "
                    + "\(counts.framesDecoded) frames (\(ffmpegErrorText(rr)))")
            }
            defer { av_frame_unref(frame.pointer) }
            try takeFrame()
        }
    }

    private func slot(_ pts: Int64) -> Int {
        FrameSlots.slot(seconds: Double(pts - origin!) * tickSeconds, tolerance: tolerance, rate: rate)
    }

    /// True when no output slot shows the frame of the packet about to be sent: its first
    /// slot is also the next frame's (timestamps are only trusted once the origin is known).
    private func packetIsUnseen() -> Bool {
        let p = packet.pointer.pointee
        guard mayDiscard, origin != nil, p.pts != cffmpeg_nopts_value(), p.pts >= origin!,
              p.flags & AV_PKT_FLAG_KEY == 0 else { return false }
        let duration = p.duration > 0 ? p.duration : nominalTicks
        return slot(p.pts) == slot(p.pts + duration)
    }

    /// Shows the held frame in the slots the new frame leaves it, then holds the new frame.
    private func takeFrame() throws(CPUPlayError) {
        let f = frame.pointer.pointee
        guard f.width > 0, f.height > 0 else { return }
        var pts = f.best_effort_timestamp
        if pts == cffmpeg_nopts_value() { pts = origin == nil ? 0 : lastPts + max(lastDuration, nominalTicks) }
        if origin == nil { origin = pts }
        try emitHeld(slots.add(slot: slot(pts)))
        av_frame_unref(held.pointer)
        av_frame_move_ref(held.pointer, frame.pointer)
        holding = true
        lastPts = max(pts, lastPts)
        lastDuration = f.pkt_duration > 0 ? f.pkt_duration : nominalTicks
        counts.framesDecoded += 1
        afterFrame?()
    }

    /// Shows the held frame in `shown` output slots (averaging it only if it is shown at all).
    private func emitHeld(_ shown: Range<Int>) throws(CPUPlayError) {
        guard holding, !shown.isEmpty, !satisfied else { return }
        try average()
        for _ in shown {
            let demand = try cell.withUnsafeBufferPointer { (b) throws(CPUPlayError) in try sink.take(b) }
            counts.framesProduced += 1
            if demand == .enough { satisfied = true; return }
        }
    }

    /// Area-averages the held frame into `cell`: from its Y plane when it has a plain one,
    /// else from its grey conversion.
    private func average() throws(CPUPlayError) {
        let f = held.pointer.pointee
        if sampler == nil || sampler!.sourceWidth != Int(f.width) || sampler!.sourceHeight != Int(f.height) {
            sampler = AreaDownsampler(sourceWidth: Int(f.width), sourceHeight: Int(f.height), grid: grid,
                                      fit: options.fit)
        }
        let sampler = sampler!
        let fmt = AVPixelFormat(rawValue: f.format)
        let fullRange = VideoDecoder.isFullRange(format: fmt, range: f.color_range)
        if VideoDecoder.hasPlainLumaPlane(fmt), let y = f.data.0 {
            let curve = levelCurve(fullRange: fullRange)
            cell.withUnsafeMutableBufferPointer { out in
                sampler.downsample(plane: y, linesize: Int(f.linesize.0), curve: curve, into: out.baseAddress!)
            }
        } else {
            try gray.convert(held.pointer, sourceFullRange: fullRange)
            let curve = levelCurve(fullRange: true)
            gray.plane.withUnsafeBufferPointer { p in
                cell.withUnsafeMutableBufferPointer { out in
                    sampler.downsample(plane: p.baseAddress!, linesize: gray.width, curve: curve,
                                       into: out.baseAddress!)
                }
            }
        }
        counts.framesDownsampled += 1
    }

    /// The level curve for a luma range (built once per range).
    private func levelCurve(fullRange: Bool) -> LevelCurve {
        if let curve = curves[fullRange] { return curve }
        let curve = LevelCurve(options: options, darkIsBusy: true, limitedRange: !fullRange)
        curves[fullRange] = curve
        return curve
    }
}
