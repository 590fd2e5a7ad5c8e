/// The one error every cpuplay module throws.
///
/// A refusal has three parts a person and a program both need: what kind of thing went wrong
/// (`kind`, for callers and tests to match), what it was about (`setting`, the value's key
/// such as `Setting.vcpus`; `subject`, its name or a file path, a tool; and `value` as typed,
/// when there is one), and one line that says all of it plus what is accepted or what to do
/// (`text`, which names settings by key; `message` says them by their plain names, the command
/// line by its options).
/// One shape for Media, Engine, Measure, Virt, Terminal and Host, so nothing downstream has to
/// learn four.
public struct CPUPlayError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, coarse enough to be stable and fine enough to act on.
    public enum Kind: String, Sendable, CaseIterable {
        /// A value the user gave (option, pattern, CPU list, count) is out of range or malformed.
        case invalidArgument
        /// An input (file, device, FIFO, /proc or /sys source) cannot be opened or read.
        case unreadableInput
        /// An input was read but its content is wrong (clip header, layout JSON, preset).
        case malformedInput
        /// Two inputs or runs cannot be compared (different grids, rates, lengths).
        case mismatch
        /// An output cannot be created, written or put in place (includes stdout).
        case writeFailed
        /// Two outputs, or an output and an input, are the same file.
        case outputConflict
        /// The platform refused something the engine needs (pinning, thread creation).
        case startFailed
        /// A system call or system file failed in a way no option can fix.
        case system
        /// An external tool (virt-xml-validate, virsh, qemu) is missing or failed to run.
        case toolFailed
        /// A check ran and reported failures (schema or libvirt validation).
        case checkFailed
    }

    public let kind: Kind
    /// The setting the error is about, when a value the user set is wrong.
    public let setting: Setting?
    /// What the error is about: a setting's name, a path, a tool name; nil when nothing names it.
    public let subject: String?
    /// The offending value as the user typed it, when there is one.
    public let value: String?
    /// What was wrong, the value, and what is accepted or what to do, naming settings by key.
    public let text: SettingText

    public init(_ kind: Kind, subject: String? = nil, value: String? = nil, _ message: String) {
        self.kind = kind
        self.setting = nil
        self.subject = subject
        self.value = value
        self.text = SettingText(verbatim: message)
    }

    /// An error about `setting` (its name is the subject unless `subject` says another), whose
    /// text may name settings by key.
    public init(_ kind: Kind, setting: Setting?, subject: String? = nil, value: String? = nil, _ text: SettingText) {
        self.kind = kind
        self.setting = setting
        self.subject = subject ?? setting?.name
        self.value = value
        self.text = text
    }

    /// One line: the text with settings by their plain names.
    public var message: String { message(naming: .plain) }

    /// One line, whatever the caller built (a typed value belongs in `quoted(_:)`), with each
    /// setting said as `names` says it.
    public func message(naming names: SettingNames) -> String { Self.oneLine(text.rendered(names)) }

    public var description: String { message }

    public static func invalidArgument(_ message: String, subject: String? = nil,
                                       value: String? = nil) -> CPUPlayError {
        CPUPlayError(.invalidArgument, subject: subject, value: value, message)
    }
    public static func invalidArgument(_ text: SettingText, setting: Setting?, value: String? = nil) -> CPUPlayError {
        CPUPlayError(.invalidArgument, setting: setting, value: value, text)
    }
    public static func unreadableInput(_ message: String, subject: String? = nil) -> CPUPlayError {
        CPUPlayError(.unreadableInput, subject: subject, message)
    }
    public static func malformedInput(_ message: String, subject: String? = nil) -> CPUPlayError {
        CPUPlayError(.malformedInput, subject: subject, message)
    }
    public static func malformedInput(_ text: SettingText, setting: Setting?) -> CPUPlayError {
        CPUPlayError(.malformedInput, setting: setting, text)
    }
    public static func mismatch(_ message: String) -> CPUPlayError { CPUPlayError(.mismatch, message) }
    public static func writeFailed(_ message: String, subject: String? = nil) -> CPUPlayError {
        CPUPlayError(.writeFailed, subject: subject, message)
    }
    public static func startFailed(_ message: String) -> CPUPlayError { CPUPlayError(.startFailed, message) }
    public static func system(_ message: String) -> CPUPlayError { CPUPlayError(.system, message) }
}
