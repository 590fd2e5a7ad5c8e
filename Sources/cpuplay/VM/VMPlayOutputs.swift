import CPUPlayCore
import CPUPlaySystem
import CPUPlayGuestHost
import Foundation

/// Where `vm play`'s files are written: whole or not at all, through `OutputFile`.
enum VMPlayOutputs {
    static func write(_ bytes: [UInt8], to path: String, what: String, overwrite: Bool) throws {
        try OutputFile.write(bytes, to: OutputTarget(path, option: SettingText(verbatim: what), overwrite: overwrite))
    }

    static func writeJSON(_ report: VMPlayReport, to path: String, overwrite: Bool) throws {
        try write(Array(try report.json()), to: path, what: "--report", overwrite: overwrite)
    }
}
