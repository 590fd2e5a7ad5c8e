import CPUPlayTestSupport
import Foundation
import Testing
import CPUPlayCore
import CPUPlaySystem
@testable import CPUPlayVirt

/// The digest store that spares `vm play` hashing its unchanged guest image inputs every run.
@Suite struct FileDigestsTests {
    static let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"      // SHA-256("abc")
    static let abd = "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9"      // SHA-256("abd")

    /// Sets the file's modification time an hour back: it counts as settled.
    static func settle(_ path: String) throws {
        let anHourAgo = Date(timeIntervalSinceNow: -3600)
        try FileManager.default.setAttributes([.modificationDate: anHourAgo], ofItemAtPath: path)
    }

    @Test func aFileIsHashedOnceAndThenKnownByItsStampUntilItChanges() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("abc", to: "player").path
        let digests = FileDigests(directory: dir.file("cache"))
        // Just written, it is hashed but not remembered (its stamp may not change on a rewrite).
        #expect(try digests.sha256(of: [file]) == [Self.abc])
        #expect(!FileManager.default.fileExists(atPath: digests.storePath))
        try Self.settle(file)
        #expect(try digests.sha256(of: [file]) == [Self.abc])
        // Unchanged, it is not read again: a digest planted in the store is what comes back.
        let store = try String(contentsOfFile: digests.storePath, encoding: .utf8)
        #expect(store.hasPrefix(Self.abc + " ") && store.hasSuffix(" \(file)\n"))
        try store.replacingOccurrences(of: Self.abc, with: String(repeating: "0", count: 64))
            .write(toFile: digests.storePath, atomically: false, encoding: .utf8)
        #expect(try digests.sha256(of: [file]) == [String(repeating: "0", count: 64)])
        // Rewritten with the same size, it has a new stamp and is hashed again.
        _ = try dir.write("abd", to: "player")
        #expect(try digests.sha256(of: [file]) == [Self.abd])
        try Self.settle(file)
        #expect(try digests.sha256(of: [file]) == [Self.abd])
        #expect(try String(contentsOfFile: digests.storePath, encoding: .utf8).hasPrefix(Self.abd + " "))
    }

    @Test func aDamagedStoreMeansHashingAgainAndGoneFilesAreDropped() throws {
        let dir = try TemporaryDirectory()
        let a = try dir.write("abc", to: "a").path, b = try dir.write("abd", to: "b").path
        try Self.settle(a)
        try Self.settle(b)
        let digests = FileDigests(directory: dir.url)
        let damaged = "not a store\n\(String(repeating: "f", count: 64)) 1 2\n"
        try damaged.write(toFile: digests.storePath, atomically: false, encoding: .utf8)
        #expect(try digests.sha256(of: [a, b]) == [Self.abc, Self.abd])
        try FileManager.default.removeItem(atPath: b)
        _ = try dir.write("abd", to: "a")
        try Self.settle(a)
        #expect(try digests.sha256(of: [a]) == [Self.abd])
        let lines = try String(contentsOfFile: digests.storePath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasSuffix(" \(a)"), "\(lines)")
        #expect(throws: CPUPlayError.self) { try digests.sha256(of: [b]) }
    }

    @Test func aStampReadsBackFromItsTextAndChangesWithTheFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("abc", to: "f").path
        let stamp = try #require(FileStamp(path: path))
        #expect(FileStamp(text: stamp.text) == stamp && stamp.size == 3)
        #expect(FileStamp(text: "1 2 3") == nil)
        #expect(FileStamp(path: dir.path) == nil && FileStamp(path: dir.path("missing")) == nil)
        try Self.settle(path)
        #expect(FileStamp(path: path) != stamp)
    }
}
