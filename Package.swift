// swift-tools-version:6.0
// cpuplay: play a video on per-CPU utilisation graphs.
// Licensed under the Apache License, Version 2.0 (LICENSE; SPDX: Apache-2.0); the bundled sample
// Media/sample.mp4 is CC0-1.0 (Media/LICENSE).
// Targets follow the data flow: Media (decode -> Clip) -> Engine (Clip -> CPU load)
// (Clip holds the FFmpeg-free clip model and Y4M files, so the engine links no FFmpeg library)
// -> Measure (what the graph showed) -> Terminal (what the user sees); Virt sizes VMs.
import PackageDescription

/// Foundation's own static libraries, named explicitly: the guest player links the Swift runtime
/// statically, but its modules are compiled against the shared SDK, whose autolink entries name
/// only Foundation itself.
let staticFoundation = ["-Xlinker", "--start-group"]
    + ["Foundation", "FoundationEssentials", "FoundationInternationalization", "CoreFoundation", "_FoundationICU",
       "_FoundationCShims", "_FoundationCollections", "swiftSynchronization", "swiftDispatch", "dispatch", "BlocksRuntime"]
        .flatMap { ["-Xlinker", "-l\($0)"] }
    + ["-Xlinker", "--end-group", "-Xlinker", "-lstdc++"]

let package = Package(
    name: "cpuplay",
    products: [
        .executable(name: "cpuplay", targets: ["cpuplay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // FFmpeg's C libraries; each is linked explicitly (Debian's .pc files list them as private).
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev"])]
        ),
        // ALSA's PCM API for live sound (`play --audio`); PulseAudio and PipeWire serve it too.
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        // libcurl, driven directly for `watch --prometheus` (a whole-request deadline, a size limit
        // counted as the answer arrives, a wait that a key or a stop signal ends).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // glibc calls that Swift cannot see without _GNU_SOURCE (affinity, CPU_SET, SCHED_IDLE, futex).
        .target(
            name: "CLinux",
            cSettings: [.define("_GNU_SOURCE")]
        ),
        // The core: errors, strict JSON input and the output document convention, number text,
        // quoting, CPU lists. Plain values every module shares; no system call, no C library.
        .target(name: "CPUPlayCore"),
        // The system layer: every Glibc and CLinux call (files, processes, signals, threads,
        // affinity, clocks, futexes, sockets, the terminal), each through SystemCall (EINTR, Errno).
        // The engine's hot path calls it through @inlinable wrappers (MonotonicClock,
        // CurrentThread, Futex). No other target imports Glibc or CLinux (SystemCallBoundaryTests).
        .target(name: "CPUPlaySystem", dependencies: ["CPUPlayCore", "CLinux"]),
        // The clip model without FFmpeg: grid, rate, levels, Y4M clips, test patterns, level curves.
        .target(name: "CPUPlayClip", dependencies: ["CPUPlayCore", "CPUPlaySystem"]),
        // Videos through FFmpeg, and the loader that turns any input into a Clip.
        .target(name: "CPUPlayMedia", dependencies: ["CFFmpeg", "CPUPlayClip", "CPUPlayCore", "CPUPlaySystem"]),
        // Per-CPU load: /proc/stat sampling, what a viewer shows of it (htop, btop, gnome
        // formulas) and the per-CPU duty controller that closes the loop; no FFmpeg, so the
        // guest player links it.
        .target(name: "CPUPlayLoad", dependencies: ["CPUPlayCore", "CPUPlaySystem"]),
        .target(name: "CPUPlayEngine", dependencies: ["CPUPlayClip", "CPUPlayLoad", "CPUPlayCore", "CPUPlaySystem"]),
        .target(name: "CPUPlayMeasure", dependencies: [
            "CPUPlayClip", "CPUPlayMedia", "CPUPlayEngine", "CPUPlayLoad", "CPUPlayCore", "CPUPlaySystem",
        ]),
        .target(name: "CPUPlayTerminal", dependencies: [
            "CPUPlayLoad", "CPUPlayClip", "CPUPlayEngine", "CPUPlayMeasure", "CPUPlayFleet", "CPUPlayCore",
            "CPUPlaySystem",
        ]),
        .target(name: "CPUPlayVirt", dependencies: ["CPUPlayCore", "CPUPlaySystem", "CPUPlayGuestLink"]),
        // Observed clip (+ intended, + source audio) -> a video file: rasterised styles, libavcodec, libavformat.
        .target(name: "CPUPlayRender", dependencies: [
            "CPUPlayClip", "CPUPlayMedia", "CPUPlayCore", "CPUPlaySystem", "CFFmpeg",
        ]),
        // The input's soundtrack played live through ALSA, kept on the engine's frame clock.
        .target(name: "CPUPlayAudio", dependencies: [
            "CPUPlayMedia", "CPUPlayCore", "CPUPlaySystem", "CALSA", "CFFmpeg",
        ]),
        // The line protocol between `vm play`'s guest player and the host (no Foundation).
        .target(name: "CPUPlayGuestLink", dependencies: ["CPUPlayLoad", "CPUPlaySystem"]),
        // The player inside `vm play`'s guest: engine + clip, no FFmpeg, Swift runtime linked
        // statically so the guest's initramfs needs only glibc besides it.
        .executableTarget(
            name: "cpuplay-guest",
            dependencies: [
                "CPUPlayEngine", "CPUPlayClip", "CPUPlayLoad", "CPUPlayGuestLink", "CPUPlayCore", "CPUPlaySystem",
            ],
            linkerSettings: [.unsafeFlags(["-static-stdlib"] + staticFoundation)]
        ),
        // The host side of `vm play`: prepare a guest for a clip, boot it, follow its frames,
        // compare what its /proc/stat (and a viewer in it) drew with the clip, and report.
        .target(name: "CPUPlayGuestHost", dependencies: ["CPUPlayVirt", "CPUPlayEngine", "CPUPlayClip", "CPUPlayLoad",
                                                         "CPUPlayGuestLink", "CPUPlayMeasure", "CPUPlayTerminal", "CPUPlayCore", "CPUPlaySystem"]),
        // The playback facade: an input opened, laid out on CPUs, decoded within a memory budget,
        // an automatic frame rate calibrated, and the player built (what `play` does before it plays).
        .target(name: "CPUPlayPlayback", dependencies: [
            "CPUPlayClip", "CPUPlayMedia", "CPUPlayEngine", "CPUPlayFleet", "CPUPlayCore", "CPUPlaySystem",
        ]),
        // Benchmarks/correction-sim.sh: the closed loop and a feed-forward planner on simulated
        // CPUs whose pulses start late and whose readings lag (prints figures; no test).
        .executableTarget(name: "correction-sim", dependencies: ["CPUPlayLoad", "CPUPlayClip", "CPUPlayCore"],
                          path: "Benchmarks/CorrectionSim"),
        // One picture across many machines: start times, regions, parts, fleet plans, Prometheus.
        .target(name: "CPUPlayFleet", dependencies: ["CPUPlayClip", "CPUPlayCore", "CPUPlaySystem", "CCurl"]),
        .executableTarget(
            name: "cpuplay",
            dependencies: [
                "CPUPlayClip",
                "CPUPlayMedia", "CPUPlayEngine", "CPUPlayLoad", "CPUPlayMeasure",
                "CPUPlayTerminal", "CPUPlayVirt", "CPUPlayCore", "CPUPlaySystem",
                "CPUPlayRender", "CPUPlayAudio", "CPUPlayFleet", "CPUPlayGuestLink", "CPUPlayGuestHost",
                "CPUPlayPlayback",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers the test targets share: temporary directories, running ffmpeg/ffprobe.
        .target(name: "CPUPlayTestSupport", dependencies: [
            "CPUPlayCore", "CPUPlaySystem", "CLinux",
        ], path: "Tests/TestSupport"),
        .testTarget(name: "CPUPlayCoreTests", dependencies: ["CPUPlayTestSupport", "CPUPlayCore"]),
        .testTarget(name: "CPUPlaySystemTests", dependencies: ["CPUPlayCore", "CPUPlaySystem", "CPUPlayTestSupport"]),
        .testTarget(name: "CPUPlayClipTests", dependencies: [
            "CPUPlayCore", "CPUPlaySystem", "CPUPlayClip", "CPUPlayTestSupport",
        ]),
        .testTarget(name: "CPUPlayMediaTests", dependencies: [
            "CPUPlayClip", "CPUPlayCore", "CPUPlaySystem", "CPUPlayMedia", "CPUPlayTestSupport",
        ]),
        .testTarget(name: "CPUPlayLoadTests", dependencies: ["CPUPlayLoad", "CPUPlayCore", "CPUPlaySystem"]),
        .testTarget(name: "CPUPlayEngineTests", dependencies: [
            "CPUPlayEngine", "CPUPlayClip", "CPUPlayLoad", "CPUPlayCore", "CPUPlaySystem", "CLinux", "CPUPlayTestSupport",
        ]),
        .testTarget(name: "CPUPlayMeasureTests", dependencies: [
            "CPUPlayClip", "CPUPlayCore", "CPUPlayEngine", "CPUPlayLoad", "CPUPlaySystem", "CPUPlayMeasure",
        ]),
        .testTarget(name: "CPUPlayTerminalTests", dependencies: [
            "CPUPlayTerminal", "CPUPlayClip", "CPUPlayCore", "CPUPlaySystem",
        ]),
        .testTarget(name: "CPUPlayRenderTests", dependencies: [
            "CPUPlayClip", "CPUPlayCore", "CPUPlayRender", "CPUPlayTestSupport",
        ]),
        .testTarget(name: "CPUPlayAudioTests", dependencies: [
            "CPUPlayCore", "CPUPlayMedia", "CPUPlaySystem", "CPUPlayAudio", "CPUPlayTestSupport",
        ]),
        .testTarget(name: "CPUPlayVirtTests", dependencies: [
            "CPUPlayCore", "CPUPlayGuestLink", "CPUPlayVirt", "CPUPlaySystem", "CPUPlayTestSupport",
        ]),
        .testTarget(name: "CPUPlayGuestHostTests", dependencies: [
            "CPUPlayGuestHost", "CPUPlayClip", "CPUPlayCore", "CPUPlayEngine", "CPUPlayLoad",
            "CPUPlayGuestLink", "CPUPlayVirt", "CPUPlayMeasure", "CPUPlayTestSupport",
        ]),
        .testTarget(name: "CPUPlayPlaybackTests", dependencies: [
            "CPUPlayPlayback", "CPUPlayClip", "CPUPlayCore", "CPUPlayEngine", "CPUPlayFleet", "CPUPlayMedia",
        ]),
        .testTarget(name: "CPUPlayFleetTests", dependencies: [
            "CPUPlayFleet", "CPUPlayClip", "CPUPlayCore", "CPUPlaySystem",
        ]),
        // End-to-end tests that run the built `cpuplay` executable as a user would.
        .testTarget(name: "CLITests", dependencies: ["CPUPlaySystem", "cpuplay", "CPUPlayLoad", "CPUPlayTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
