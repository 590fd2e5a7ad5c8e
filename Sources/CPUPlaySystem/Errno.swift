import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An errno value: what a failed system call said, with the C library's text for it.
///
/// The one typed form of errno in cpuplay (as swift-system's `Errno`): system calls go through
/// `SystemCall`, which reads errno once and throws this; callers turn it into a `CPUPlayError`
/// that names the file or the operation with `CPUPlayError.system(_:_:)`.
public struct Errno: Error, Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public let rawValue: CInt

    public init(rawValue: CInt) { self.rawValue = rawValue }
    public init(_ rawValue: CInt) { self.rawValue = rawValue }

    /// The calling thread's errno right now (read it before any other call can change it).
    public static var current: Errno { Errno(errno) }

    public static let interrupted = Errno(EINTR)
    public static let wouldBlock = Errno(EAGAIN)
    public static let noSuchFile = Errno(ENOENT)
    public static let permissionDenied = Errno(EACCES)
    public static let notPermitted = Errno(EPERM)
    public static let isDirectory = Errno(EISDIR)
    public static let timedOut = Errno(ETIMEDOUT)
    public static let invalidArgument = Errno(EINVAL)
    public static let addressInUse = Errno(EADDRINUSE)
    public static let fileTooLarge = Errno(EFBIG)

    /// The C library's text alone: "No such file or directory".
    public var message: String { String(cString: strerror(rawValue)) }

    /// "No such file or directory (errno 2)".
    public var description: String { "\(String(cString: strerror(rawValue))) (errno \(rawValue))" }
}

/// So an `Errno` caught as a plain `Error` reads as the C library's text in
/// `localizedDescription`, not as "The operation could not be completed".
extension Errno: LocalizedError {
    public var errorDescription: String? { description }
}
