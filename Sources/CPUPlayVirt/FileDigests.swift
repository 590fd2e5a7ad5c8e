import CPUPlayCore
import CPUPlaySystem
import Foundation

/// SHA-256 digests of files, remembered beside each file's `FileStamp` in one small text file,
/// so a file that has not changed since it was last hashed is not read again.
///
/// Why: `vm play` names its cached guest image and unpacked kernel by their inputs' SHA-256, and
/// hashing the player, busybox, the libraries and the kernel (tens of MB) on every run was most
/// of the half second the guest image step took with the image already cached (docs/guests.md).
/// The store holds one line per file: the digest, the stamp's five words, the path. A damaged or
/// missing store only means hashing again. A file modified in the last `settleSeconds` is hashed
/// but not remembered (git's "racy" rule): a file system's timestamps may be as coarse as a clock
/// tick or more, so a file rewritten within that tick of its hashing could keep its stamp.
public struct FileDigests: Sendable {
    public static let settleSeconds = 2.0
    public let storePath: String

    public init(directory: URL) {
        storePath = directory.appendingPathComponent("digests.txt").path
    }

    /// The lower-case hex SHA-256 of each file in `paths`, in order; those whose stamp is not
    /// remembered are hashed with sha256sum (coreutils) and remembered.
    public func sha256(of paths: [String]) throws(CPUPlayError) -> [String] {
        var known = load()
        let stamps = paths.map { FileStamp(path: $0) }
        var digests: [String?] = paths.indices.map { i in
            guard let stamp = stamps[i], let entry = known[paths[i]], entry.stamp == stamp else { return nil }
            return entry.digest
        }
        let missing = paths.indices.filter { digests[$0] == nil }
        guard !missing.isEmpty else { return digests.map { $0 ?? "" } }
        let settled = Int64((Date().timeIntervalSince1970 - Self.settleSeconds) * 1e9)
        let fresh = try Self.hash(missing.map { paths[$0] })
        var learned = false
        for (k, i) in missing.enumerated() {
            digests[i] = fresh[k]
            // Stamped before hashing: a file changed meanwhile has a newer stamp and is hashed again.
            if let stamp = stamps[i], stamp.modifiedNanoseconds < settled, !paths[i].contains("\n") {
                known[paths[i]] = (stamp, fresh[k])
                learned = true
            }
        }
        if learned { save(known) }
        return digests.map { $0 ?? "" }
    }

    /// sha256sum's digests of `paths`, in order.
    static func hash(_ paths: [String]) throws(CPUPlayError) -> [String] {
        guard let tool = ToolRunner.find("sha256sum"),
              let out = try? ToolRunner.run(tool, paths, timeout: 120), out.status == 0 else {
            throw CPUPlayError(.toolFailed, subject: "sha256sum", "sha256sum could not hash the guest image's files")
        }
        // sha256sum starts a line with "\" when it escapes the file's name.
        let digests = out.stdout.split(separator: "\n").map { line in String(line.drop { $0 == "\\" }.prefix(64)) }
        guard digests.count == paths.count else {
            throw CPUPlayError(.toolFailed, subject: "sha256sum",
                               "sha256sum printed \(digests.count) digests for \(paths.count) files")
        }
        return digests
    }

    /// The remembered files: path to stamp and digest (empty when the store is missing).
    func load() -> [String: (stamp: FileStamp, digest: String)] {
        guard let text = try? SystemFile.readText(storePath, limit: 1 << 20) else { return [:] }
        var known: [String: (stamp: FileStamp, digest: String)] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", maxSplits: 6, omittingEmptySubsequences: false)
            guard words.count == 7, words[0].count == 64,
                  let stamp = FileStamp(text: words[1...5].joined(separator: " ")) else { continue }
            known[String(words[6])] = (stamp, String(words[0]))
        }
        return known
    }

    /// Writes the store whole (a temporary file renamed over it: another run may read it now),
    /// without the files that are gone. A store that cannot be written is only a slower next run.
    func save(_ known: [String: (stamp: FileStamp, digest: String)]) {
        let lines = known.sorted { $0.key < $1.key }.filter { FileStamp(path: $0.key) != nil }
            .map { "\($0.value.digest) \($0.value.stamp.text) \($0.key)\n" }
        let directory = URL(fileURLWithPath: storePath).deletingLastPathComponent().path
        try? FileTree.makeDirectories(directory)
        let temporary = "\(directory)/.digests.\(ProcessFacts.id).tmp"
        FilePath.remove(temporary)
        do throws(Errno) {
            try SystemFile.write(lines.joined(), to: temporary)
            try FilePath.rename(temporary, to: storePath)
        } catch {
            FilePath.remove(temporary)
        }
    }
}
