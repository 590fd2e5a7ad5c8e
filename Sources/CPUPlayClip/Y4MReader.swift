import CPUPlayHost
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a cpuplay clip (Y4M, `C mono`) and checks every byte of it.
///
/// A clip drives real CPUs, so a malformed or truncated file is rejected with the frame
/// number and what was wrong rather than played as garbage.
public enum Y4MReader {
    /// Reads the whole clip at `path`.
    public static func read(path: String) throws(CPUPlayError) -> Clip {
        let bytes = try FileBytes.read(path: path)
        return try parse(bytes, name: path)
    }

    /// Reads only the header (to decide whether a .y4m is a clip or a colour video).
    public static func header(path: String) throws(CPUPlayError) -> Y4MHeader {
        let bytes = try FileBytes.read(path: path, limit: 4096)
        guard let nl = bytes.firstIndex(of: 10) else {
            throw .malformedInput("clip '\(path)': no header line (not a Y4M file, or truncated)")
        }
        return try Y4MHeader(parsing: Substring(decoding: bytes[..<nl], as: UTF8.self), name: path)
    }

    /// Parses a clip held in memory; `name` is used in error messages.
    public static func parse(_ bytes: [UInt8], name: String) throws(CPUPlayError) -> Clip {
        guard let nl = bytes.prefix(4096).firstIndex(of: 10) else {
            throw .malformedInput("clip '\(name)': no header line (not a Y4M file, or truncated)")
        }
        let header = try Y4MHeader(parsing: Substring(decoding: bytes[..<nl], as: UTF8.self), name: name)
        guard header.isMono else {
            throw .malformedInput("clip '\(name)': colourspace C\(header.colorspace ?? "420 (default)") is not a cpuplay clip (expected Cmono)")
        }
        let grid: GridSize
        do { grid = try GridSize(width: header.width, height: header.height) } catch {
            throw .malformedInput("clip '\(name)': grid \(header.width)x\(header.height) in header is above the limit of \(GridSize.maxCells) cells")
        }
        let frameSize = grid.cellCount
        var levels = [UInt8]()
        var pos = nl + 1
        var index = 0
        let marker = Array(Y4MHeader.frameMarker.utf8)
        while pos < bytes.count {
            guard bytes.count - pos >= marker.count, Array(bytes[pos..<pos + marker.count]) == marker else {
                throw .malformedInput("clip '\(name)': frame \(index) at byte \(pos) does not start with FRAME (wrong frame size in header, or a corrupt file)")
            }
            // FRAME may carry parameters up to the newline.
            var p = pos + marker.count
            while p < bytes.count, bytes[p] != 10, p - pos < 256 { p += 1 }
            guard p < bytes.count, bytes[p] == 10 else {
                throw .malformedInput("clip '\(name)': frame \(index) has an unterminated FRAME line (truncated file)")
            }
            if p > pos + marker.count, bytes[pos + marker.count] != 32 {
                throw .malformedInput("clip '\(name)': frame \(index) at byte \(pos) does not start with FRAME (wrong frame size in header, or a corrupt file)")
            }
            let start = p + 1
            let available = bytes.count - start
            guard available >= frameSize else {
                throw .malformedInput("clip '\(name)': frame \(index) is truncated: \(available) of \(frameSize) bytes (\(grid)) present")
            }
            levels.append(contentsOf: bytes[start..<start + frameSize])
            pos = start + frameSize
            index += 1
        }
        guard index > 0 else {
            throw .malformedInput("clip '\(name)': has a header but no frames")
        }
        return Clip(grid: grid, frameRate: header.frameRate, levels: levels)
    }
}

/// Whole-file reads with errors that name the file.
enum FileBytes {
    static func read(path: String, limit: Int = Int.max) throws(CPUPlayError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .unreadableInput("cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw .unreadableInput("input '\(path)' is a directory: expected a video file, a .y4m clip or pattern:NAME")
        }
        var out = [UInt8]()
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while out.count < limit {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, min(chunk, limit - out.count)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadableInput("cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }
}
