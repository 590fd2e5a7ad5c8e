import Testing
@testable import CPUPlayVirt

/// How `GuestMachine.findQEMU` tells a QEMU that already exited (our zombie, to be reaped at
/// once so libvirt stops waiting for it) from a running one, on /proc/PID/stat lines.
@Suite struct GuestMachineStatTests {
    @Test func aZombieChildIsEndedOthersAreNot() {
        let zombie = "4242 (qemu-system-x86) Z 100 4242 4242 0 -1 4194628 0 0 0 0"
        #expect(GuestMachine.isEndedChild(stat: zombie, of: 100))
        #expect(!GuestMachine.isEndedChild(stat: zombie, of: 101), "another process's zombie")
        #expect(!GuestMachine.isEndedChild(stat: "4242 (qemu-system-x86) S 100 4242 4242 0 -1", of: 100), "running")
        // The command name may hold spaces and parentheses: fields count from the last ')'.
        #expect(GuestMachine.isEndedChild(stat: "7 (a) Z 9 (b)) Z 100 7 7 0", of: 100))
        #expect(!GuestMachine.isEndedChild(stat: "7 (qemu-system-x86) Z", of: 100), "no parent field")
        #expect(!GuestMachine.isEndedChild(stat: "no parenthesis", of: 100))
    }

    /// A guest booted again drops its stopped processes' pids from those the forced exit
    /// kills: they are free for other processes by then.
    @Test func pidsOfStoppedProcessesAreNoLongerKilledOnExit() {
        let started = StartedProcesses()
        started.add(10)
        started.add(11)
        started.add(12)
        started.remove(11)
        #expect(started.all == [10, 12])
    }
}
