import CALSA
import CPUPlayCore
import CPUPlaySystem

/// An ALSA PCM name that is safe to open: one ALSA lists as a playback device (its name
/// hints), or one of a small grammar of hardware names.
///
/// ALSA's name is a configuration language: `file:'|cmd',raw` runs a shell command and
/// `file:'PATH',raw` writes any file, so a name typed on the command line must never reach
/// `snd_pcm_open` unchecked. Accepted: `default`, `null`, `sysdefault`, `hw:N`, `hw:N,M`,
/// `hw:N,M,S`, the same after `plughw:`, CARD=NAME/DEV=N spellings of both, and any name the
/// hints list (what `aplay -L` prints).
public struct SoundDeviceName: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public var description: String { name }

    public static let `default` = SoundDeviceName(checked: "default")

    private init(checked name: String) { self.name = name }

    public init(parsing text: String) throws(CPUPlayError) {
        guard Self.isGrammatical(text) || Self.listed().contains(text) else {
            throw CPUPlayError(.invalidArgument, subject: "sound device", value: text,
                               "sound device \(CPUPlayError.quoted(text)): not an ALSA device cpuplay opens; expected "
                                   + "default, null, hw:CARD,DEV, plughw:CARD,DEV or a name `aplay -L` lists")
        }
        name = text
    }

    /// The documented grammar: fixed words and hardware addresses, nothing a plugin interprets.
    static func isGrammatical(_ text: String) -> Bool {
        if ["default", "null", "sysdefault"].contains(text) { return true }
        let card = #"([0-9]{1,2}|CARD=[A-Za-z0-9_]{1,32})"#, number = #"[0-9]{1,2}"#
        let hardware = #"^(plug)?hw:"# + card + #"(,(DEV=)?"# + number + #"(,(SUBDEV=)?"# + number + #")?)?$"#
        let system = #"^sysdefault:"# + card + "$"
        return text.range(of: hardware, options: .regularExpression) != nil
            || text.range(of: system, options: .regularExpression) != nil
    }

    /// The playback devices ALSA's name hints list ("NAME" of every "pcm" hint).
    public static func listed() -> Set<String> {
        calsa_silence_errors()
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard snd_device_name_hint(-1, "pcm", &hints) == 0, let hints else { return [] }
        defer { snd_device_name_free_hint(hints) }
        var names = Set<String>()
        var buffer = [CChar](repeating: 0, count: 256)
        var i = 0
        while let hint = hints[i] {
            i += 1
            // No IOID: both directions. "Input" alone cannot play.
            guard calsa_playback_hint_name(hint, &buffer, buffer.count) >= 0 else { continue }
            names.insert(String(nulTerminated: buffer))
        }
        return names
    }
}
