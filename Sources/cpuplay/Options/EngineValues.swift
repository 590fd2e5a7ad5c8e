import ArgumentParser
import CPUPlayEngine

// The engine's choices a user types (`--grid auto|WxH`, `--layout`, `--pixel-priority`)
// parse themselves with the engine's own rules and messages.

extension GridRequest: CommandLineValue {
    public init(commandLine text: String) throws(ArgumentRejection) {
        do { try self.init(parsing: text.trimmingCharacters(in: .whitespaces)) } catch {
            throw ArgumentRejection(error, value: text)
        }
    }

    public var defaultValueDescription: String {
        switch self {
        case .auto: return "auto"
        case .exact(let g): return g.description
        }
    }
}

extension LayoutKind: CommandLineValue, ParsedFromText {}

extension PixelPriority: CommandLineValue {}
