import CPUPlayCore

/// A guest booted straight from a kernel and an initramfs, with no disk and no firmware boot menu.
///
/// This is how `vm play` starts its throwaway guest: QEMU's firmware loads the kernel and the
/// initramfs itself (`<os><kernel>/<initrd>/<cmdline>`), so nothing needs installing and no disk
/// image exists. Such a guest is headless: its only devices are the serial ports it talks through.
public struct DirectKernelBoot: Equatable, Sendable {
    public var kernel: String
    public var initrd: String?
    /// The kernel command line as the guest will get it (the planner adds `nohz_full` here).
    public var commandLine: String
    /// A firmware ROM to boot through instead of QEMU's default SeaBIOS (`<loader type="rom">`).
    public var firmware: String?

    /// QEMU's qboot, when installed (Debian: qemu-system-data): a firmware that only loads a kernel.
    ///
    /// Why: SeaBIOS brings up every vCPU and sets up PCI, VGA and boot menus before it hands over
    /// to the kernel, at emulated speed under TCG; qboot hands over at once. Measured at 16 vCPUs
    /// on 2 host cores (docs/guests.md, "Where boot time goes").
    public static let qbootPaths = ["/usr/share/qemu/qboot.rom", "/usr/share/qboot/bios.bin"]

    /// Kernel parameters that shorten a throwaway guest's boot and change nothing it plays with.
    ///
    /// Why each (figures in docs/guests.md, "Where boot time goes"): the crypto self-tests
    /// (`cryptomgr.notests`, and the KDF test that ignores it) and the built-in certificates are
    /// for module signing and disk encryption, which an initramfs-only guest does not use, and
    /// the KDF test blocks the boot until the initramfs is unpacked; `rodata=off` skips the
    /// W+X page table walk; `mitigations=off` drops page table isolation, whose address space
    /// switch on every system call and interrupt is a full TLB flush under TCG. The guest runs
    /// only cpuplay-guest, so none of these protects anything.
    public static let fastBootWords = [
        "cryptomgr.notests", "initcall_blacklist=crypto_kdf108_init,load_system_certificate_list", "rodata=off",
        "mitigations=off",
    ]

    /// `nohz_full=1-(N-1)` for an N-vCPU guest (nil for one vCPU: CPU 0 always keeps its tick).
    ///
    /// Why it is the default for Linux guests: on vCPUs that wait for overcommitted host CPUs the
    /// guest kernel's tick accounting loses a third of its ticks, so the guest's own /proc/stat
    /// (what htop in the guest draws) shows a solid 50 % as 12-26 %. Measured on a 2-core host at
    /// 16 vCPUs: ticks/wall 0.645 and bias -36 points by default, 0.96 and -5 with nohz_full.
    public static func nohzFull(vcpus: Int) -> String? {
        vcpus >= 2 ? "nohz_full=1-\(vcpus - 1)" : nil
    }

    /// `tsc=reliable` for a Linux guest with 2 or more vCPUs under TCG (nil otherwise).
    ///
    /// Why: on overcommitted vCPUs the clocksource watchdog (comparing the TSC with jiffies,
    /// which lose ticks) can mark the TSC unstable in the middle of a secondary CPU's TSC
    /// handshake, and the boot then hangs with both sides waiting. Under TCG every vCPU reads
    /// one TSC (QEMU's view of the host clock), so it is synchronised by construction and the
    /// handshake can be skipped. The hang's evidence: docs/benchmarks.md, "Figures from the code".
    public static func tscReliable(vcpus: Int, type: VirtType) -> String? {
        vcpus >= 2 && type == .qemu ? "tsc=reliable" : nil
    }
}

/// A guest serial port wired to something on the host: a file QEMU appends to, or a unix socket
/// QEMU listens on. Port 0 is the guest's console (`ttyS0`), port 1 `ttyS1`, and so on.
public enum SerialBackend: Equatable, Sendable {
    case file(String)
    case unixSocket(String)

    /// `file:PATH` or `unix:PATH`.
    public init(parsing text: String) throws {
        if text.hasPrefix("file:"), text.count > 5, text.dropFirst(5).hasPrefix("/") {
            self = .file(String(text.dropFirst(5)))
        }
        else if text.hasPrefix("unix:"), text.count > 5, text.dropFirst(5).hasPrefix("/") {
            self = .unixSocket(String(text.dropFirst(5)))
        }
        else {
            throw CPUPlayError(.invalidArgument, setting: .serial, value: text,
                    "\(Setting.serial) \(CPUPlayError.quoted(text)) is not a serial port; use file:/ABSOLUTE/PATH or "
                        + "unix:/ABSOLUTE/PATH")
        }
    }
}
