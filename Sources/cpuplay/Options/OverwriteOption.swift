import ArgumentParser

/// `-y/--overwrite`, the one rule for every file cpuplay writes: an existing file is replaced
/// only when asked (as ffmpeg -y); without it the command refuses before any work starts and
/// nothing is written. Devices, FIFOs and `-` (standard output) are written without it.
struct OverwriteOption: ParsableArguments {
    @Flag(name: [.customShort("y"), .customLong("overwrite")],
          help: """
              Replace output files that exist (as ffmpeg -y); without it an existing file is refused before any work \
              starts.
              """)
    var overwrite = false
}
