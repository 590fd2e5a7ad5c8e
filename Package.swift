// swift-tools-version:6.0
// cpuplay: play a video on per-CPU utilisation graphs.
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
        // Host-level pieces every module shares: the monotonic clock, signal handling, the kernel's
        // CPU list syntax, atomic file output.
        .target(name: "CPUPlayHost", dependencies: ["CLinux"]),
        // The clip model without FFmpeg: grid, rate, levels, Y4M clips, test patterns, level curves.
        .target(name: "CPUPlayClip", dependencies: ["CPUPlayHost"]),
        // Videos through FFmpeg, and the loader that turns any input into a Clip.
        .target(name: "CPUPlayMedia", dependencies: ["CFFmpeg", "CPUPlayClip", "CPUPlayHost"]),
        // What a viewer reads from /proc/stat (htop, btop, gnome formulas) and the per-CPU duty
        // controller that closes the loop; no FFmpeg, so the guest player links it.
        .target(name: "CPUPlayFeedback", dependencies: ["CPUPlayHost"]),
        .target(name: "CPUPlayEngine", dependencies: ["CPUPlayClip", "CPUPlayFeedback", "CPUPlayHost", "CLinux"]),
        .target(name: "CPUPlayMeasure", dependencies: ["CPUPlayMedia", "CPUPlayEngine", "CPUPlayFeedback", "CPUPlayHost"]),
        .target(name: "CPUPlayTerminal", dependencies: ["CPUPlayClip", "CPUPlayEngine", "CPUPlayMeasure", "CPUPlayFleet", "CPUPlayHost"]),
        .target(name: "CPUPlayVirt", dependencies: ["CPUPlayHost", "CLinux", "CPUPlayGuestLink"]),
        // Observed clip (+ intended, + source audio) -> a video file: rasterised styles, libavcodec, libavformat.
        .target(name: "CPUPlayRender", dependencies: ["CPUPlayClip", "CPUPlayMedia", "CPUPlayHost", "CFFmpeg"]),
        // The input's soundtrack played live through ALSA, kept on the engine's frame clock.
        .target(name: "CPUPlayAudio", dependencies: ["CPUPlayMedia", "CPUPlayHost", "CALSA", "CFFmpeg", "CLinux"]),
        // The line protocol between `vm play`'s guest player and the host (no Foundation).
        .target(name: "CPUPlayGuestLink", dependencies: ["CPUPlayFeedback"]),
        // The player inside `vm play`'s guest: engine + clip, no FFmpeg, Swift runtime linked
        // statically so the guest's initramfs needs only glibc besides it.
        .executableTarget(
            name: "cpuplay-guest",
            dependencies: ["CPUPlayEngine", "CPUPlayClip", "CPUPlayFeedback", "CPUPlayGuestLink", "CPUPlayHost"],
            linkerSettings: [.unsafeFlags(["-static-stdlib"] + staticFoundation)]
        ),
        // One picture across many machines: start times, regions, parts, fleet plans, Prometheus.
        .target(name: "CPUPlayFleet", dependencies: ["CPUPlayClip", "CPUPlayHost", "CCurl"]),
        .executableTarget(
            name: "cpuplay",
            dependencies: [
                "CPUPlayMedia", "CPUPlayEngine", "CPUPlayFeedback", "CPUPlayMeasure", "CPUPlayTerminal", "CPUPlayVirt", "CPUPlayHost", "CLinux",
                "CPUPlayRender", "CPUPlayAudio", "CPUPlayFleet", "CPUPlayGuestLink",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers the test targets share: temporary directories, running ffmpeg/ffprobe.
        .target(name: "CPUPlayTestSupport", dependencies: ["CPUPlayHost", "CLinux"], path: "Tests/TestSupport"),
        .testTarget(name: "CPUPlayHostTests", dependencies: ["CPUPlayHost", "CPUPlayTestSupport"]),
        .testTarget(name: "CPUPlayClipTests", dependencies: ["CPUPlayClip", "CPUPlayTestSupport"]),
        .testTarget(name: "CPUPlayMediaTests", dependencies: ["CPUPlayMedia", "CPUPlayTestSupport"]),
        .testTarget(name: "CPUPlayFeedbackTests", dependencies: ["CPUPlayFeedback", "CPUPlayHost"]),
        .testTarget(name: "CPUPlayEngineTests", dependencies: ["CPUPlayEngine", "CPUPlayClip", "CPUPlayFeedback", "CPUPlayHost", "CLinux"]),
        .testTarget(name: "CPUPlayMeasureTests", dependencies: ["CPUPlayMeasure"]),
        .testTarget(name: "CPUPlayTerminalTests", dependencies: ["CPUPlayTerminal", "CPUPlayClip", "CPUPlayHost"]),
        .testTarget(name: "CPUPlayRenderTests", dependencies: ["CPUPlayRender", "CPUPlayTestSupport"]),
        .testTarget(name: "CPUPlayAudioTests", dependencies: ["CPUPlayAudio", "CPUPlayTestSupport"]),
        .testTarget(name: "CPUPlayVirtTests", dependencies: ["CPUPlayVirt", "CPUPlayTestSupport"]),
        .testTarget(name: "CPUPlayFleetTests", dependencies: ["CPUPlayFleet", "CPUPlayClip", "CPUPlayHost"]),
        // End-to-end tests that run the built `cpuplay` executable as a user would.
        .testTarget(name: "CLITests", dependencies: ["cpuplay", "CPUPlayFeedback", "CPUPlayTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
