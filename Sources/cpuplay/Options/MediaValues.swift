import ArgumentParser
import CPUPlayMedia

// The media types a user types on the command line (`--fps`, `--grid WxH`, `--levels`,
// `--fit`) parse themselves with the media module's own rules and messages.

extension FrameRate: CommandLineValue {
    public init?(argument: String) {
        guard let value = Self.parsed(argument) else { return nil }
        self = value
    }

    init(commandLine text: String) throws(ArgumentRejection) {
        do { try self.init(parsing: text) } catch { throw ArgumentRejection(error, value: text) }
    }
}

extension GridSize: CommandLineValue {
    public init?(argument: String) {
        guard let value = Self.parsed(argument) else { return nil }
        self = value
    }

    init(commandLine text: String) throws(ArgumentRejection) {
        do { try self.init(parsing: text) } catch { throw ArgumentRejection(error, value: text) }
    }
}

extension LevelRange: CommandLineValue {
    public init?(argument: String) {
        guard let value = Self.parsed(argument) else { return nil }
        self = value
    }

    init(commandLine text: String) throws(ArgumentRejection) {
        do { try self.init(parsing: text) } catch { throw ArgumentRejection(error, value: text) }
    }
}

extension Fit: CommandLineValue {
    public init?(argument: String) {
        guard let value = Self.parsed(argument) else { return nil }
        self = value
    }

    init(commandLine text: String) throws(ArgumentRejection) {
        guard let fit = Fit(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ArgumentRejection("expected stretch, crop or pad")
        }
        self = fit
    }
}
