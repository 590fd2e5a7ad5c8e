import CPUPlayCore
import CPUPlaySystem

/// A file opened once and read forward through a buffer, so a clip is parsed frame by frame
/// (constant memory) and a FIFO or a pipe is read exactly once.
final class BufferedInput {
    /// The name used in error messages (the path as given).
    let name: String
    private let file: FileDescriptor?
    private var buffer: [UInt8]
    private var start = 0, end = 0
    private var atEnd = false
    /// Bytes consumed since the start of the file.
    private(set) var offset = 0
    /// The file's size when it is a regular file (nil for FIFOs, pipes and devices).
    let regularFileSize: Int?

    /// Opens `path` for reading; refuses a directory, a socket or a missing file with a
    /// one-line error (`InputFileCheck`).
    init(path: String) throws(CPUPlayError) {
        name = path
        try InputFileCheck.check(path, expected: "a .y4m clip", refusingEmpty: false)
        let fd: FileDescriptor
        do { fd = try FileDescriptor.open(path, .readOnly) } catch {
            throw .unreadableInput("cannot open \(CPUPlayError.quoted(path)): \(error.message)", subject: path)
        }
        file = fd
        regularFileSize = fd.regularFileSize()
        buffer = [UInt8](repeating: 0, count: 1 << 20)
    }

    /// Reads bytes already in memory (`name` is used in messages).
    init(bytes: [UInt8], name: String) {
        self.name = name
        file = nil
        buffer = bytes
        end = bytes.count
        atEnd = true
        regularFileSize = bytes.count
    }

    deinit { file?.close() }

    /// Buffers at least `count` bytes if the file has them; returns how many are buffered.
    @discardableResult
    func fill(_ count: Int) throws(CPUPlayError) -> Int {
        while end - start < count, !atEnd {
            if start > 0 {
                buffer.withUnsafeMutableBufferPointer { b in
                    b.baseAddress!.update(from: b.baseAddress! + start, count: end - start)
                }
                end -= start
                start = 0
            }
            if buffer.count < count { buffer.append(contentsOf: repeatElement(0, count: count - buffer.count)) }
            guard let file else { break }
            let n: Int
            do { n = try file.read(into: &buffer, from: end) } catch {
                throw .unreadableInput("cannot read \(CPUPlayError.quoted(name)): \(error.message)", subject: name)
            }
            if n == 0 { atEnd = true } else { end += n }
        }
        return end - start
    }

    /// The buffered byte `i` places ahead (`i` below the count `fill` returned).
    subscript(i: Int) -> UInt8 { buffer[start + i] }

    /// The buffered bytes `range` ahead.
    func bytes(_ range: Range<Int>) -> ArraySlice<UInt8> { buffer[(start + range.lowerBound)..<(start
        + range.upperBound)] }

    /// Passes the next `count` buffered bytes to `body`, then consumes them.
    func consume<R>(_ count: Int,
                    _ body: (UnsafeBufferPointer<UInt8>) throws(CPUPlayError) -> R) throws(CPUPlayError) -> R {
        precondition(count <= end - start)
        let r = try buffer.withUnsafeBufferPointer { (b) throws(CPUPlayError) in
            try body(UnsafeBufferPointer(rebasing: b[start..<(start + count)]))
        }
        skip(count)
        return r
    }

    /// Consumes `count` buffered bytes.
    func skip(_ count: Int) {
        precondition(count <= end - start)
        start += count
        offset += count
    }
}
