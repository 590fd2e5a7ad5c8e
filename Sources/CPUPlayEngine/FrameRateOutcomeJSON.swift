import Foundation

extension FrameRateCalibration.Outcome {
    /// The outcome as one line of JSON (the keys of the play report's `fps_auto`): what
    /// `vm play --fps auto`'s guest sends the host.
    public var jsonLine: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// An outcome read back from `jsonLine`; nil for anything else.
    public init?(jsonLine: String) {
        guard let o = try? JSONDecoder().decode(Self.self, from: Data(jsonLine.utf8)) else { return nil }
        self = o
    }
}
