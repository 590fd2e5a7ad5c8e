import Foundation
import Testing
import CPUPlaySystem

/// The system layer's boundary: outside CPUPlaySystem and CLinux no source file imports Glibc
/// or CLinux, names a `clinux_` function, or calls the C library's system functions itself;
/// they go through `FileDescriptor`, `SystemFile`, `CurrentThread` and the other system-layer
/// types, so EINTR, errno and error messages are handled in one place. And no source writes a
/// file through Foundation.
@Suite struct SystemCallBoundaryTests {
    static let calls = ["open", "read", "write", "ioctl", "poll", "uname", "kill", "close", "waitpid", "getpid", "isatty",
                        "sysconf", "usleep", "tcgetattr", "tcsetattr", "strdup", "free", "getenv", "readlink", "mkdtemp",
                        "getpwnam", "geteuid", "getuid", "getpriority", "setpriority", "pthread_self", "exit", "signal",
                        "sigaction", "mmap", "munmap", "socket", "sendto", "recv", "strerror", "atexit"]
    static let exempt = ["Sources/CPUPlaySystem/", "Sources/CLinux/"]

    /// The package root, found from this file's path (Tests/CPUPlaySystemTests/...).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `text` without comments and string literals, line structure kept.
    static func code(_ text: String) -> String {
        var out = ""
        var i = text.startIndex
        func at(_ s: String) -> Bool { text[i...].hasPrefix(s) }
        while i < text.endIndex {
            if at("//") {
                while i < text.endIndex, text[i] != "\n" { i = text.index(after: i) }
            } else if at("/*") {
                while i < text.endIndex, !at("*/") { if text[i] == "\n" { out.append("\n") }; i = text.index(after: i) }
                if i < text.endIndex { i = text.index(i, offsetBy: 2) }
            } else if at("\"\"\"") {
                i = text.index(i, offsetBy: 3)
                while i < text.endIndex, !at("\"\"\"") { if text[i] == "\n" { out.append("\n") }; i = text.index(after: i) }
                if i < text.endIndex { i = text.index(i, offsetBy: 3) }
                out.append("\"\"")
            } else if text[i] == "\"" {
                i = text.index(after: i)
                while i < text.endIndex, text[i] != "\"", text[i] != "\n" {
                    if text[i] == "\\" { i = text.index(after: i); if i == text.endIndex { break } }
                    i = text.index(after: i)
                }
                if i < text.endIndex, text[i] == "\"" { i = text.index(after: i) }
                out.append("\"\"")
            } else {
                out.append(text[i])
                i = text.index(after: i)
            }
        }
        return out
    }

    /// Direct calls of the system functions in `source`, as "line: call". A call qualified by
    /// a module (`Glibc.read(`) always counts; an unqualified one counts unless the file
    /// declares a function of that name itself (then the call is to its own method).
    static func directCalls(in source: String) -> [String] {
        let code = code(source)
        var found: [String] = []
        for name in calls {
            let declaresOwn = code.range(of: "func \(name)(", options: .literal) != nil
                || code.range(of: "func \(name)<", options: .literal) != nil
            let qualified = try! NSRegularExpression(pattern: "\\b(Glibc|Darwin|Foundation|SwiftGlibc)\\s*\\.\\s*\(name)\\s*\\(")
            let bare = try! NSRegularExpression(pattern: "(?<![\\w.])\(name)\\s*\\(")
            let lines = code.components(separatedBy: "\n")
            for (n, line) in lines.enumerated() {
                let range = NSRange(line.startIndex..., in: line)
                let isDeclaration = line.range(of: "func \(name)") != nil
                if qualified.firstMatch(in: line, range: range) != nil
                    || (!declaresOwn && !isDeclaration && bare.firstMatch(in: line, range: range) != nil) {
                    found.append("\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        return found
    }

    @Test func theScannerFindsDirectCallsAndIgnoresTheRest() {
        let bad = """
        import Glibc
        let fd = open(path, O_RDONLY)
        _ = Glibc.write(1, p, 3)
        kill(pid, SIGTERM)
        var u = utsname(); uname(&u)
        _ = poll(&fds, 1, 0)
        """
        #expect(Self.directCalls(in: bad).count == 5)
        let fine = """
        // open(path) in a comment, and read(fd) too
        let s = "we write(2) and kill( in strings"
        let fd = try FileDescriptor.open(path, .readOnly)
        _ = try fd.read(into: buffer)
        writer.write(frame)
        let sample = try sampler.read()
        """
        #expect(Self.directCalls(in: fine).isEmpty, "\(Self.directCalls(in: fine))")
        let ownMethod = """
        func write(_ bytes: [UInt8]) throws { try output.write(bytes) }
        func finish() throws { try write(trailer) }
        """
        #expect(Self.directCalls(in: ownMethod).isEmpty)
        #expect(Self.directCalls(in: ownMethod + "\n_ = Glibc.write(2, p, n)").count == 1)
    }

    /// Foundation's ways of writing a file, none of which cpuplay uses: `createFile(atPath:)`
    /// and atomic `Data.write(to:)` leave a hidden `.dat.nosync*` beside the file if the process
    /// is killed mid-write and throw untyped errors; `FileHandle(forWriting...)` traps on a full
    /// disk. Files go through `SystemFile.write`, `FileDescriptor.create` or `OutputFile`.
    static let foundationWrites = [#"\bcreateFile\s*\("#, #"\.write\s*\(\s*to\s*:"#, #"\.write\s*\(\s*toFile\s*:"#,
                                   #"\bFileHandle\s*\(\s*for(Writing|Updating)"#]

    /// Lines of `source` that write a file through Foundation, as "line: code".
    static func foundationWrites(in source: String) -> [String] {
        let patterns = foundationWrites.map { try! NSRegularExpression(pattern: $0) }
        return code(source).components(separatedBy: "\n").enumerated().compactMap { n, line in
            let range = NSRange(line.startIndex..., in: line)
            return patterns.contains { $0.firstMatch(in: line, range: range) != nil } ? "\(n + 1): \(line.trimmingCharacters(in: .whitespaces))" : nil
        }
    }

    /// Every Swift file under Sources, as (path from the package root, text).
    static func sourceFiles() throws -> [(path: String, text: String)] {
        let sources = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(atPath: sources.path) else { throw CocoaError(.fileReadUnknown) }
        return try walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map {
            ("Sources/" + $0, try String(contentsOfFile: sources.appendingPathComponent($0).path, encoding: .utf8))
        }
    }

    @Test func theFileWriteScannerFindsFoundationWrites() {
        let bad = """
        FileManager.default.createFile(atPath: p, contents: nil)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        let h = FileHandle(forWritingAtPath: p)
        """
        #expect(Self.foundationWrites(in: bad).count == 4, "\(Self.foundationWrites(in: bad))")
        let fine = """
        // FileManager.default.createFile(atPath:) in a comment
        let s = "Data.write(to: url) in a string"
        try SystemFile.write(bytes, to: path)
        try OutputFile.write(text, to: target)
        try fd.writeAll(bytes)
        """
        #expect(Self.foundationWrites(in: fine).isEmpty, "\(Self.foundationWrites(in: fine))")
    }

    @Test func noSourceWritesAFileThroughFoundation() throws {
        let files = try Self.sourceFiles()
        #expect(files.count > 50, "only \(files.count) Swift files found under Sources")
        let offenders = files.flatMap { f in Self.foundationWrites(in: f.text).map { "\(f.path):\($0)" } }
        #expect(offenders.isEmpty, "files written through Foundation (use SystemFile.write, FileDescriptor.create or OutputFile):\n\(offenders.joined(separator: "\n"))")
    }

    /// Files outside the system layer allowed to import Glibc or CLinux or name `clinux_`, each
    /// with the reason (at most two; none is needed today).
    static let allowed: [String: String] = [:]

    /// Lines of `source` that import the C library or CLinux, or name a `clinux_` function or
    /// anything through the `Glibc.` module prefix, as "line: code".
    static func systemLayerUses(in source: String) -> [String] {
        let pattern = try! NSRegularExpression(
            pattern: #"^\s*(@\w+\s+)*import\s+(Glibc|SwiftGlibc|Darwin|CLinux)\b|\bclinux_\w|\b(Glibc|SwiftGlibc)\s*\."#)
        return code(source).components(separatedBy: "\n").enumerated().compactMap { n, line in
            let range = NSRange(line.startIndex..., in: line)
            return pattern.firstMatch(in: line, range: range) == nil ? nil : "\(n + 1): \(line.trimmingCharacters(in: .whitespaces))"
        }
    }

    @Test func theImportScannerFindsTheCLibraryAndCLinux() {
        let bad = """
        import Glibc
        @preconcurrency import CLinux
        let t = clinux_monotonic_ns()
        Glibc.exit(1)
        """
        #expect(Self.systemLayerUses(in: bad).count == 4, "\(Self.systemLayerUses(in: bad))")
        let fine = """
        import CPUPlaySystem
        // clinux_monotonic_ns() and import Glibc in a comment
        let s = "import Glibc; clinux_gettid()"
        let t = MonotonicClock.nanoseconds
        """
        #expect(Self.systemLayerUses(in: fine).isEmpty, "\(Self.systemLayerUses(in: fine))")
    }

    @Test func onlyTheSystemLayerImportsTheCLibrary() throws {
        #expect(Self.allowed.count <= 2, "the allow-list is for at most two files")
        let files = try Self.sourceFiles().filter { f in !Self.exempt.contains { f.path.hasPrefix($0) } }
        #expect(files.count > 50, "only \(files.count) Swift files found under Sources outside the system layer")
        let offenders = files.filter { Self.allowed[$0.path] == nil }
            .flatMap { f in Self.systemLayerUses(in: f.text).map { "\(f.path):\($0)" } }
        #expect(offenders.isEmpty, "Glibc or CLinux outside CPUPlaySystem (add a wrapper to the system layer):\n\(offenders.joined(separator: "\n"))")
        for path in Self.allowed.keys {
            let text = files.first { $0.path == path }?.text ?? ""
            #expect(!Self.systemLayerUses(in: text).isEmpty, "\(path) is allowed Glibc or CLinux but uses neither: drop it from the list")
        }
    }

    @Test func onlyTheSystemLayerCallsTheSystem() throws {
        let files = try Self.sourceFiles().filter { f in !Self.exempt.contains { f.path.hasPrefix($0) } }
        #expect(files.count > 50, "only \(files.count) Swift files found under Sources outside the system layer")
        let offenders = files.flatMap { f in Self.directCalls(in: f.text).map { "\(f.path):\($0)" } }
        #expect(offenders.isEmpty, "direct system calls outside CPUPlaySystem and CLinux (use FileDescriptor, SystemFile, SystemIdentity...):\n\(offenders.joined(separator: "\n"))")
    }
}
