import CPUPlayCore
import Foundation
import Testing
@testable import CPUPlayEngine

/// A pin loss in the reports: its keys come from the shared encoder's snake_case strategy (no
/// `CodingKeys`), and a pin never given back is `null`, not a missing key.
@Suite struct PinLossJSONTests {
    @Test func keysAreSnakeCaseAndAMissingRepinIsNull() throws {
        let encoder = JSONOutput.encoder(pretty: false)
        let lost = PinLoss(cpu: 3, x: 1, y: 0, lostAtFrame: 7, repinnedAtFrame: nil)
        #expect(String(decoding: try encoder.encode(lost), as: UTF8.self)
                == #"{"cpu":3,"lost_at_frame":7,"repinned_at_frame":null,"x":1,"y":0}"#)
        let back = PinLoss(cpu: 3, x: 1, y: 0, lostAtFrame: 7, repinnedAtFrame: 9)
        #expect(String(decoding: try encoder.encode(back), as: UTF8.self)
                == #"{"cpu":3,"lost_at_frame":7,"repinned_at_frame":9,"x":1,"y":0}"#)
    }
}
