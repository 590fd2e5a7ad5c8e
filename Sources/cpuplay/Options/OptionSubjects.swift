import CPUPlayCore

/// The option that sets each library setting. A library does not know the command line, so its
/// messages name a setting by its key (`Setting.vcpus`, read "vcpus" or "start time 'tomorrow':
/// expected ..."); the command line says each with its option instead ("--vcpus 0 is ...",
/// "--start-at 'tomorrow': expected ..."). This is the one table from key to option.
enum OptionSubjects {
    static let names = SettingNames([
        .allowedCPUs: "--cpus", .grid: "--grid", .layout: "--layout", .overcommit: "--overcommit",
        .pwmSlices: "--pwm-slices", .duration: "--duration", .frameSocket: "--frame-socket", .correct: "--correct",
        .fps: "--fps", .bootTimeout: "--boot-timeout", .bootRetryAfter: "--boot-retry-after", .numbers: "--numbers",
        .viewerSync: "--sync",
        .record: "--record", .overwrite: "-y (--overwrite)", .noStressNG: "--no-stress-ng",
        .maxError: "--max-error", .jsonReport: "--json", .htmlReport: "--html",
        .size: "--size", .style: "--style", .source: "--source", .rawFrames: "--raw-frames",
        .vcpus: "--vcpus", .current: "--current", .preset: "--preset", .domainName: "--name", .memory: "--memory",
        .numaNodes: "--numa-nodes", .sockets: "--sockets", .dies: "--dies", .cores: "--cores", .threads: "--threads",
        .windowsEdition: "--windows-edition", .machine: "--machine", .disk: "--disk", .diskBus: "--disk-bus",
        .cdrom: "--cdrom", .kernel: "--kernel", .initrd: "--initrd", .cmdline: "--cmdline", .network: "--network",
        .serial: "--serial", .hostCPUs: "--host-cpus", .pin: "--pin", .noPin: "--no-pin",
        .pinHousekeeping: "--pin-housekeeping", .guestViewer: "--guest-viewer", .keepXML: "--keep-xml",
        .offline: "--offline", .noNohzFull: "--no-nohz-full",
        .nodes: "--nodes", .cpusPerNode: "--cpus-per-node", .startLead: "--start-lead", .image: "--image",
        .instances: "--instances", .parts: "--parts", .part: "--part", .region: "--region", .startTime: "--start-at",
        .prometheus: "--prometheus", .fleetLayout: "--fleet-layout", .nodesFile: "--nodes-file",
        .maxClockError: "--max-clock-error", .ignoreClockSync: "--ignore-clock-sync",
    ])

    /// `error`'s line with every setting said by its option.
    static func message(_ error: CPUPlayError) -> String { error.message(naming: names) }
}
