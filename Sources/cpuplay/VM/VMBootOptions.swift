import ArgumentParser
import CPUPlayVirt

/// `vm xml`'s options for a disk-less guest booted straight from a kernel, with serial ports.
struct VMBootOptions: ParsableArguments {
    @Option("--kernel", help: ArgumentHelp("""
        Boot this kernel directly (no disk, no graphics; --disk and --network default to none).
        """, valueName: "PATH"))
    var kernel: String?

    @Option("--initrd", help: ArgumentHelp("With --kernel: the initramfs to load.", valueName: "PATH"))
    var initrd: String?

    @Option("--cmdline",
            help: ArgumentHelp("With --kernel: the kernel command line (default console=ttyS0).", valueName: "TEXT"))
    var cmdline: String?

    @Option("--serial", help: ArgumentHelp("""
        A serial port (repeat for ttyS0, ttyS1, ...): file:PATH or unix:PATH.
        """, valueName: "file:PATH|unix:PATH"))
    var serial: [String] = []

    @Flag(inversion: .prefixedNo,
          help: """
              With --kernel and a Linux guest: add nohz_full=1-(N-1) to the command line, so overcommitted vCPUs \
              account their load (default on).
              """)
    var nohzFull = true

    /// Adds these options to `request`.
    func apply(to request: inout VMRequest) {
        request.kernel = kernel
        request.initrd = initrd
        request.cmdline = cmdline
        if !serial.isEmpty { request.serials = serial }
        request.nohzFull = nohzFull
    }
}
