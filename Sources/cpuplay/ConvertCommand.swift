import CPUPlayClip
import CPUPlayCore
import CPUPlayMedia
import CPUPlaySystem
import CPUPlayTerminal
import ArgumentParser

/// `cpuplay convert INPUT -o OUT.y4m`: decode once, play many times.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a video, clip or pattern to a grid clip (.y4m, one byte per cell).",
        discussion: """
        The clip is YUV4MPEG2 with 'Cmono': one frame per output frame, one byte per cell, \
        0 = idle CPU, 255 = fully busy. ffmpeg, ffplay and mpv read it. The output is written \
        to a temporary name beside OUT and renamed when complete, so a failed or interrupted \
        conversion leaves no partial file. An existing OUT is replaced only with -y. Frames stream \
        from the input to the file one at a time, so memory stays constant however long the clip. \
        A progress bar is drawn on stderr when it is a terminal.
        """
    )

    @OptionGroup var source: InputArgument

    @Option("-o --output", help: ArgumentHelp("The clip to write (.y4m).", valueName: "out.y4m"))
    var output: String

    @OptionGroup var replacing: OverwriteOption

    @OptionGroup var conversion: ConversionOptionGroup
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        // `-`, a device or a FIFO takes the clip as it is; a file is named for what it holds.
        let kind = FilePath.kind(output)
        let inPlace = output == "-" || kind == .characterDevice || kind == .fifo
        guard inPlace || (output.lowercased().hasSuffix(".y4m") && !output.hasSuffix("/")) else {
            throw CPUPlayError.invalidArgument("output \(CPUPlayError.quoted(output)): expected a file name ending in .y4m")
        }
    }

    func run() throws {
        let outputs = try OutputCheck(outputs: [("-o", output)], inputs: [("input", source.inputPath)], overwrite: replacing.overwrite)
        let options = try conversion.conversionOptions()
        // Frames stream from the input to the file one at a time: a conversion holds one
        // frame, however long the clip. A stop signal during the write removes the temporary
        // file (StopSignals calls OutputRegistry.removeUnfinished on its way out).
        let input = try ClipLoader.open(try source.resolved(), options: options)
        // A clip keeps what it is (a recording converted to another grid is still a recording).
        var label = ClipLabel(kind: .intended, source: source.input ?? "sample", grid: input.grid, frameRate: input.frameRate)
        if case .clip(let reader) = input.kind, let own = reader.header.label {
            label = ClipLabel(kind: own.kind, source: own.source, grid: input.grid, frameRate: input.frameRate)
        }
        let writer = try Y4MWriter(outputs["-o"]!, grid: input.grid, frameRate: input.frameRate, label: label)
        try ClipLoading.withProgress(label: "convert", keepBar: true) { progress in
            try input.produce(into: writer, frameLimit: conversion.frameLimit(at: input.frameRate), progress: progress)
        }
        try writer.finish()
        if TerminalIO.isTTY(2) {
            let seconds = Double(writer.framesWritten) / input.frameRate.framesPerSecond
            Console.note("wrote \(CPUPlayError.quoted(output)): \(writer.framesWritten) frames of \(input.grid) at \(input.frameRate) fps (\(ProgressBar.clock(seconds)))")
        }
    }
}
