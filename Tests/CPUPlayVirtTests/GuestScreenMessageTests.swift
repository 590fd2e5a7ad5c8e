import CPUPlayGuestLink
import Testing

/// A viewer screen crosses the serial link as one line and comes back unchanged.
@Suite struct GuestScreenMessageTests {
    @Test func aScreenRoundTripsThroughOneLine() {
        let text = "│C0  ⣀⣀⢸⣿ 100%│\n  0[||| 50.0%] back\\slash\r\n\nlast \\n literal"
        let message = GuestMessage.screen(GuestScreen(frame: 42, clipFrame: 2, text: text))
        #expect(!message.line.contains("\n") && !message.line.contains("\r"))
        #expect(GuestMessage(line: Substring(message.line + "\r")) == message)
        #expect(GuestMessage(line: Substring(GuestMessage.screen(GuestScreen(frame: 0, clipFrame: 0, text: "")).line))
                == .screen(GuestScreen(frame: 0, clipFrame: 0, text: "")))
    }

    @Test func aCutOrBrokenScreenLineIsNotAMessage() {
        #expect(GuestMessage(line: "CPG1 S 1 1 ends in \\") == nil)
        #expect(GuestMessage(line: "CPG1 S 1 1 bad \\q escape") == nil)
        #expect(GuestMessage(line: "CPG1 S x 1 text") == nil)
        #expect(GuestMessage(line: "CPG1 S 1") == nil)
    }
}
