/// /proc/stat could not be read or parsed.
///
/// Its own type because the reader lives below every module that measures (the guest player
/// links it without FFmpeg); `description` is one complete line naming the file, what was
/// wrong and what to do, so a command prints it as is.
public struct ProcStatError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
