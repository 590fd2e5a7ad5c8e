import CPUPlayEngine
import CPUPlayLoad

/// What the guest player sends back as its report: the play figures (the keys of `play
/// --report`'s figures) and, under `correction`, what `--correct` did in the guest (per CPU
/// mean and final correction, bias before and after; null for an open-loop run), so `vm play`
/// reports the guest's closed loop as `play --correct` reports the host's.
struct GuestPlayReport: Encodable {
    var figures: PlaybackFigures
    var correction: CorrectionReport?

    enum Keys: String, CodingKey { case correction }

    /// Hand-written: the figures' keys flat beside `correction`, which is null for an open-loop run.
    func encode(to encoder: any Encoder) throws {
        try figures.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeOrNull(correction, forKey: .correction)
    }
}
