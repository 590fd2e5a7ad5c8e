import CPUPlayCore
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Glibc
import Testing

@Suite struct SystemCallTests {
    @Test func retriesInterruptedCallsAndThrowsOtherErrors() {
        var calls = 0
        let value = try? SystemCall.run { () -> Int32 in
            calls += 1
            if calls < 3 { errno = EINTR; return -1 }
            return 7
        }
        #expect(value == 7 && calls == 3)
        #expect(throws: Errno(EBADF)) { try SystemCall.run { () -> Int32 in errno = EBADF; return -1 } }
    }

    @Test func negatedErrnoConventionRetriesAndThrows() {
        var calls = 0
        #expect((try? SystemCall.runNegatedErrno { () -> Int32 in calls += 1; return calls < 2 ? -EINTR : 0 }) == 0)
        #expect(calls == 2)
        #expect(throws: Errno.timedOut) { try SystemCall.runNegatedErrno { -ETIMEDOUT } }
        #expect((try? SystemCall.runNegatedErrno { 12 }) == 12)
    }

    @Test func errnoSaysWhatAndWhich() {
        #expect(Errno.noSuchFile.description == "No such file or directory (errno 2)")
        #expect(Errno(EACCES).message == "Permission denied")
        #expect(CPUPlayError.system("cannot open 'x'", .noSuchFile, subject: "x").kind == .unreadableInput)
        #expect(CPUPlayError.system("cannot bind", Errno(EADDRINUSE)).kind == .system)
        #expect(CPUPlayError.system("cannot open 'x'", .noSuchFile).message == "cannot open 'x': No such file or directory (errno 2)")
    }
}

@Suite struct SystemFileTests {
    @Test func readsProcFilesWhoseSizeIsZero() throws {
        // /proc files report size 0: they must be read to their end, not by their size.
        let text = try SystemFile.readText("/proc/self/status")
        #expect(text.contains("Name:") && text.contains("VmHWM:"))
        #expect(SystemFile.value("/proc/sys/kernel/osrelease") == SystemIdentity.current().kernelRelease)
    }

    @Test func boundsWhatItReads() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/big"
        try Data(repeating: 65, count: 10_000).write(to: URL(fileURLWithPath: path))
        #expect(try SystemFile.read(path).count == 10_000)
        #expect(try SystemFile.read(path, limit: 10_000).count == 10_000)
        #expect(try SystemFile.read(path, limit: 100, truncate: true).count == 100)
        do { _ = try SystemFile.read(path, limit: 9_999); Issue.record("a file over the limit was read") } catch {
            #expect(error.kind == .unreadableInput && error.subject == path && error.message.contains("larger than 9999 bytes"))
        }
    }

    @Test func namesTheFileAndWhy() throws {
        let dir = try TemporaryDirectory()
        do { _ = try SystemFile.read(dir.path + "/missing"); Issue.record("a missing file was read") } catch {
            #expect(error.kind == .unreadableInput)
            #expect(error.message == "cannot open '\(dir.path)/missing': No such file or directory (errno 2)")
        }
        do { _ = try SystemFile.read(dir.path); Issue.record("a directory was read") } catch {
            #expect(error.kind == .unreadableInput && error.message.contains("is a directory"))
        }
        #expect(SystemFile.value(dir.path + "/missing") == nil)
    }

    @Test func descriptorReadsToTheEndReusingItsBuffer() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/f"
        let bytes = (0..<20_000).map { UInt8($0 % 251) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let fd = try FileDescriptor.open(path, .readOnly)
        defer { fd.close() }
        var buffer = [UInt8](repeating: 0, count: 1000)
        let n = try fd.readToEnd(into: &buffer)
        #expect(n == 20_000 && Array(buffer[0..<n]) == bytes)
        #expect(throws: Errno.noSuchFile) { try FileDescriptor.open(dir.path + "/none", .readOnly) }
        #expect(!FileDescriptor.standardInput.isTerminal || FileDescriptor.standardInput.windowSize() != nil)
    }

    @Test func writesWholeAndWaitsForInputOnAnyDescriptor() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        let (reader, writer) = (FileDescriptor(rawValue: fds[0]), FileDescriptor(rawValue: fds[1]))
        defer { reader.close(); writer.close() }
        let idle = FileDescriptor(rawValue: -1)   // ignored, as poll ignores negative descriptors
        #expect(try FileDescriptor.waitForInput(anyOf: [idle, reader], timeoutMilliseconds: 0) == false)
        try writer.writeAll("frame\n")
        #expect(try FileDescriptor.waitForInput(anyOf: [idle, reader], timeoutMilliseconds: 1000))
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = try reader.read(into: &buffer, from: 0)
        #expect(String(decoding: buffer[0..<n], as: UTF8.self) == "frame\n")
        #expect(throws: Errno(EBADF)) { try FileDescriptor(rawValue: 9999).writeAll("x") }
        #expect(ProcessSignal.exists(getpid()) && (ProcessMemory.peakResidentKiB() ?? 0) > 0)
    }

    @Test func unameMatchesProcSys() {
        let id = SystemIdentity.current()
        #expect(id.kernelName == "Linux")
        #expect(id.kernelRelease == SystemFile.value("/proc/sys/kernel/osrelease"))
        #expect(!id.machine.isEmpty)
    }
}
