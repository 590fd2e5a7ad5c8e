/// A value as one word of a POSIX shell command line, for the commands cpuplay prints for a
/// person to paste (`cd DIR && sbatch ...`, `mkdir -p DIR`).
///
/// A word made only of characters no shell treats specially stays bare (the usual path reads
/// as typed); any other word is single-quoted, each `'` inside written as `'\''`, so no folder
/// name can end the word, start a command or expand anything when the line is pasted.
public enum ShellWord {
    /// `text` as one shell word.
    public static func quoted(_ text: some StringProtocol) -> String {
        if !text.isEmpty, text.unicodeScalars.allSatisfy(isPlain) { return String(text) }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Letters, digits and `_ . / : @ % + , -`: nothing any POSIX shell expands or splits on
    /// (`~` and `=` are quoted: they expand at a word's start in bash and zsh).
    static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "/", ":", "@", "%", "+", ",", "-": true
        default: false
        }
    }
}
