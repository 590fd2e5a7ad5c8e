/// Decides which output frames each source frame fills when a stream changes frame rate.
///
/// Output frame k, due at k / rate, shows the latest source frame whose presentation time is
/// at or before that (within a small tolerance for rounded timestamps); each source frame is
/// given the first output slot that may show it, and output frame k is the latest source
/// frame whose slot is <= k. Missing slots repeat the previous frame, several frames in one
/// slot keep the last. A source frame's output slots are known as soon as the next frame's
/// slot is, before the frame itself is rendered: so a decoder can skip the downsampling of
/// frames that are never shown.
package struct FrameSlots: Sendable {
    private var hasPending = false
    /// The next output slot to fill.
    package private(set) var nextSlot = 0

    package init() {}

    /// A new source frame whose first slot is `slot`: returns the output slots the previous
    /// source frame fills (empty when it is never shown), and makes the new frame the pending one.
    package mutating func add(slot: Int) -> Range<Int> {
        var shown = nextSlot..<nextSlot
        if hasPending, nextSlot < slot {
            shown = nextSlot..<slot
            nextSlot = slot
        }
        hasPending = true
        return shown
    }

    /// The stream ended at `endSlot`: returns the slots the pending frame fills. A last frame
    /// that falls after the last output time is dropped, but a stream always gets one frame.
    package mutating func finish(endSlot: Int) -> Range<Int> {
        guard hasPending else { return nextSlot..<nextSlot }
        hasPending = false
        let end = max(endSlot, 1, nextSlot)
        defer { nextSlot = end }
        return nextSlot..<end
    }

    /// The first output frame that shows a source frame at `seconds` after the first frame:
    /// output frame k (at k / rate) shows the latest source frame whose time is at most
    /// k / rate + `tolerance`. The tolerance absorbs timestamps rounded to a coarse time
    /// base (a 30000/1001 frame stored as 67 ms in a 1/1000 base is really at 66.73 ms).
    package static func slot(seconds: Double, tolerance: Double, rate: FrameRate) -> Int {
        let x = ((seconds - tolerance) * rate.framesPerSecond).rounded(.up)
        return x <= 0 ? 0 : x >= Double(Int.max / 2) ? Int.max / 2 : Int(x)
    }

    /// The tolerance for a stream: one tick of its time base, at most a quarter output period.
    package static func tolerance(timeBase: Double, rate: FrameRate) -> Double {
        min(timeBase, 0.25 / rate.framesPerSecond)
    }
}

/// `FrameSlots` for frames that are already rendered: holds the pending frame (one grid frame)
/// and emits each frame once per output slot it fills.
package struct FrameRateResampler {
    private var slots = FrameSlots()
    private var pending: [UInt8] = []
    package var nextSlot: Int { slots.nextSlot }

    package init() {}

    /// Adds a frame whose first output slot is `slot`; emits the frames now final.
    package mutating func add<E: Error>(slot: Int, frame: UnsafeBufferPointer<UInt8>,
                                        emit: (UnsafeBufferPointer<UInt8>) throws(E) -> Void) throws(E) {
        let shown = slots.add(slot: slot)
        try emitPending(shown.count, emit)
        pending.removeAll(keepingCapacity: true)
        pending.append(contentsOf: frame)
    }

    /// Emits the pending frame up to (not including) `endSlot`.
    package mutating func finish<E: Error>(endSlot: Int,
                                           emit: (UnsafeBufferPointer<UInt8>) throws(E) -> Void) throws(E) {
        try emitPending(slots.finish(endSlot: endSlot).count, emit)
    }

    private func emitPending<E: Error>(_ times: Int, _ emit: (UnsafeBufferPointer<UInt8>) throws(E) -> Void) throws(E) {
        guard times > 0 else { return }
        try pending.withUnsafeBufferPointer { (p) throws(E) in
            for _ in 0..<times { try emit(p) }
        }
    }
}
