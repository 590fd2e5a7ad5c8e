/// A feed-forward plan of one CPU's duties over a whole clip, from the levels it must show and
/// how far its readings are shifted from its frames.
///
/// `shift` is (mean read lag - mean pulse lateness) / frame period. With one pulse a frame
/// at the frame's start (no PWM slices):
/// - shift r > 0 (reads lag the pulses): the first r of each pulse falls into the previous
///   frame's reading, so reading_k = max(0, d_k - r) + min(d_k+1, r). It depends on the next
///   frame, which the clip says: planned backwards from the last frame;
/// - shift -s < 0 (pulses start after the read): a pulse longer than 1 - s spills its tail
///   into the next reading: reading_k = min(d_k, 1 - s) + max(0, d_k-1 - (1 - s)); planned
///   forwards.
/// Dark and full frames stay as they are (as `DutyController.duty` keeps them); where the
/// wanted reading cannot be reached the duty closest to the level is kept.
struct FeedForwardPlan {
    let shift: Double

    func duties(levels l: [Double]) -> [Double] {
        guard l.count > 1, shift != 0 else { return l }
        return shift > 0 ? backwards(l, r: min(shift, 0.95)) : forwards(l, s: min(-shift, 0.95))
    }

    private func backwards(_ l: [Double], r: Double) -> [Double] {
        var d = l
        var inflow = 0.0   // after the last frame the CPU idles
        for k in stride(from: l.count - 1, through: 0, by: -1) {
            if l[k] > 0 && l[k] < 1 {
                let x = l[k] - inflow
                // x <= 0: any duty up to r reads the same here; keep the one closest to the level.
                d[k] = x <= 0 ? min(l[k], r) : min(1, x + r)
            }
            inflow = min(d[k], r)
        }
        return d
    }

    private func forwards(_ l: [Double], s: Double) -> [Double] {
        var d = l
        var spill = 0.0
        for k in l.indices {
            if l[k] > 0 && l[k] < 1 {
                let y = l[k] - spill
                // y >= 1 - s: this frame reads its most; the duty past it is the next frame's spill.
                d[k] = y >= 1 - s ? max(l[k], 1 - s) : max(0, y)
            }
            spill = max(0, d[k] - (1 - s))
        }
        return d
    }
}
