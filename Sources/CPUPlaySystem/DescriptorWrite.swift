#if canImport(Glibc)
import Glibc
#endif

/// write(2) until every byte is out, retrying EINTR, EAGAIN and short writes.
///
/// Outputs, standard output and error, and terminal frames all need whole writes (a frame
/// written in one call never appears half drawn); this is the one loop that does it.
public enum DescriptorWrite {
    /// Writes all of `bytes` to `fd`; returns 0, or the errno of the write that failed.
    public static func all(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Int32 {
        guard var p = bytes.baseAddress else { return 0 }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return errno
            }
            p += n
            left -= n
        }
        return 0
    }

    /// Writes the UTF-8 bytes of `text` to `descriptor`; returns 0 or errno.
    public static func all(_ text: String, to descriptor: FileDescriptor) -> Int32 {
        all(text, to: descriptor.rawValue)
    }

    /// Writes the UTF-8 bytes of `text` to `fd`; returns 0 or errno.
    public static func all(_ text: String, to fd: Int32) -> Int32 {
        var s = text
        return s.withUTF8 { all(UnsafeRawBufferPointer($0), to: fd) }
    }
}
