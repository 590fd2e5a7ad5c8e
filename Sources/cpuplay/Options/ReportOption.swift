import ArgumentParser

/// `--report FILE.json`, taken by `play` and `vm play`: the run's report as JSON beside the
/// table, written whole or not at all.
struct ReportOption: ParsableArguments {
    @Option("--report", help: ArgumentHelp("""
        Also write the report as JSON (whole or not at all; - for standard output, the table then goes to standard \
        error).
        """, valueName: "FILE.json"))
    var report: String?
}
