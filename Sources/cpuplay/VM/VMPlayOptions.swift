import ArgumentParser
import CPUPlayCore
import CPUPlaySystem

/// `vm play`'s own options: the kernel, the boot bound and what to show and write.
struct VMPlayOptions: ParsableArguments {
    @Option("--kernel", help: ArgumentHelp("""
        Guest kernel (default: $CPUPLAY_GUEST_KERNEL, then the one Scripts/install-deps.sh fetched into \
        ~/.cache/cpuplay/guest/vmlinuz, then /boot/vmlinuz-$(uname -r)).
        """, valueName: "PATH"))
    var kernel: String?

    @Flag(inversion: .prefixedNo,
          help: "Boot the guest with nohz_full=1-(N-1), so overcommitted vCPUs account their load (default on).")
    var nohzFull = true

    @Option("--boot-timeout",
            help: ArgumentHelp("Give up if the guest is not ready to play within this long: 300 (seconds), 5m, 90s.",
                               valueName: "duration"))
    var bootTimeout = TimeSpan(seconds: 300)

    @Option("--boot-retry-after",
            help: ArgumentHelp("""
                Boot the guest again, once, if it is not ready this long after QEMU starts (a boot that hung): \
                60 (seconds), 1m, 90s (default: 60 s, or 4 times this size's usual time to ready if longer).
                """, valueName: "duration"))
    var bootRetryAfter: TimeSpan?

    @Flag(inversion: .prefixedNo,
          help: """
              Show intended | guest observed side by side, with a status line (default: on when standard output is \
              a terminal; --no-view for scripts).
              """)
    var view: Bool?

    @Option("--record", help: ArgumentHelp("""
        Write what the guest's /proc/stat showed as a clip, one frame per frame.
        """, valueName: "observed.y4m"))
    var record: String?

    @OptionGroup var reporting: ReportOption
    var report: String? { reporting.report }

    @OptionGroup var replacing: OverwriteOption
    var overwrite: Bool { replacing.overwrite }

    @Option("--keep-xml", help: ArgumentHelp("Keep the domain XML the guest was booted from.", valueName: "FILE"))
    var keepXml: String?

    @Flag(name: .shortAndLong, help: "Print the plan's explanation, the run directory and the guest's pids.")
    var verbose = false

    /// Whether to draw: as asked, else when standard output is a terminal.
    var viewResolved: Bool { view ?? ProcessFacts.isTerminal(1) }
}
