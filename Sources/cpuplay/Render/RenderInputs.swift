import CPUPlayClip
import CPUPlayCore
import CPUPlayMedia
import CPUPlayRender
import CPUPlaySystem
import Foundation

/// Loading what `render` and `play --export` draw from: the observed clip, the intended
/// frames, and the audio source, each refused with one line when it cannot be used.
enum RenderInputs {
    /// The observed clip: must be a cpuplay clip (what `play --record` writes).
    static func observed(_ path: String) throws -> Clip {
        do {
            let header = try Y4MReader.header(path: path)
            guard header.isMono else {
                throw CPUPlayError.malformedInput("observed \(CPUPlayError.quoted(path)) is a colour Y4M video, not a cpuplay clip; pass the .y4m that play --record wrote")
            }
            return try Y4MReader.read(path: path)
        } catch let e as CPUPlayError {
            throw CPUPlayError.malformedInput("observed \(CPUPlayError.quoted(path)) is not a cpuplay clip (\(e.description)); pass the .y4m that play --record wrote")
        }
    }

    /// The title over a clip's panel (`Y4MHeader.panelTitle`).
    static func title(of path: String) -> String {
        (try? Y4MReader.header(path: path))?.panelTitle ?? ClipLabel.neutralTitle
    }

    /// The intended frames on the observed grid and rate: a clip must already match; a
    /// video or pattern is converted onto it.
    static func intended(_ input: String, observed: Clip) throws -> Clip {
        if input.lowercased().hasSuffix(".y4m"), (try? Y4MReader.header(path: input))?.isMono == true {
            let clip = try Y4MReader.read(path: input)
            guard clip.grid == observed.grid else {
                throw CPUPlayError.mismatch("intended clip '\(input)' is on grid \(clip.grid) but the observed clip '\(observed.grid)' was played on grid \(observed.grid); pass the clip that was played")
            }
            return clip.frameRate == observed.frameRate ? clip : clip.retimed(to: observed.frameRate)
        }
        var options = ConversionOptions()
        options.grid = observed.grid
        options.frameRate = observed.frameRate
        return try ClipLoading.load(input, options: options, label: "intended")
    }

    /// The title over the source panel: `SOURCE (NAME)`.
    static func sourceTitle(_ path: String) -> String {
        "source (\(path.split(separator: "/").last.map(String.init) ?? path))".uppercased()
    }

    /// The soundtrack for the played range, or nil with a notice when SOURCE has no audio.
    static func audio(_ source: String, range: PlayedRange) throws -> AudioCut? {
        let reader: SoundtrackReader?
        do { reader = try SoundtrackReader.open(source) } catch let e as CPUPlayError {
            throw CPUPlayError.unreadableInput("audio source \(CPUPlayError.quoted(source)) cannot be used: \(e.description)")
        }
        guard reader != nil else {
            _ = DescriptorWrite.all("notice: audio source \(CPUPlayError.quoted(source)) has no audio stream; the video is written without sound\n", to: .standardError)
            return nil
        }
        return AudioCut(source: source, range: range)
    }

    /// The loop length when no intended clip says it: the source's own length at `rate`.
    static func sourceFrames(_ source: String, rate: FrameRate) -> Int? {
        guard let info = try? ClipLoader.info(source), let d = info.durationSeconds, d > 0 else { return nil }
        return max(1, Int((d * rate.framesPerSecond).rounded()))
    }

    /// Checks the outputs before any work: not an input (same file, however spelled), and an
    /// existing file only with -y.
    static func checkOutputs(output: String, rawFrames: String?, inputs: [String], overwrite: Bool) throws {
        _ = try OutputCheck(outputs: [("-o", output), ("--raw-frames", rawFrames)], inputs: inputs.map { ("input", $0) }, overwrite: overwrite)
    }
}
