/// One validator's verdict on one domain XML file.
///
/// `vm check` and `vm xml --check` report these one per line, with the tool's own message on
/// failure, so a person sees libvirt's words rather than a paraphrase.
public struct ValidationResult: Sendable {
    public enum Verdict: String, Sendable { case passed, failed, skipped }
    /// "virt-xml-validate" or "domxml-to-native".
    public var check: String
    public var verdict: Verdict
    /// The tool's message on failure, the reason on skip, a detail on pass.
    public var detail: String

    public init(check: String, verdict: Verdict, detail: String) {
        self.check = check; self.verdict = verdict; self.detail = detail
    }

    public var line: String {
        switch verdict {
        case .passed: return "\(check): ok\(detail.isEmpty ? "" : " (\(detail))")"
        case .failed: return "\(check): FAILED: \(detail)"
        case .skipped: return "\(check): skipped: \(detail)"
        }
    }
}
