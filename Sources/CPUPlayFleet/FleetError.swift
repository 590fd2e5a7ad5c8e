import CPUPlayCore

/// A fleet value that cannot be used is a `CPUPlayError` like every other bad value (one
/// shape: kind, subject, value, one-line message); this name keeps the fleet code readable.
public typealias FleetError = CPUPlayError

extension CPUPlayError {
    /// A fleet value that cannot be used: kind `invalidArgument`, one complete line.
    init(_ message: String) { self.init(.invalidArgument, message) }

    /// A fleet value that cannot be used, about `setting`, naming settings by key.
    init(setting: Setting?, _ text: SettingText) { self.init(.invalidArgument, setting: setting, text) }
}
