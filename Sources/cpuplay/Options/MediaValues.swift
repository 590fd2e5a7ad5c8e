import ArgumentParser
import CPUPlayClip

// The media types a user types on the command line (`--fps`, `--grid WxH`, `--levels`,
// `--gamma`, `--fit`) parse themselves with the media module's own rules and messages.

extension FrameRate: CommandLineValue, ParsedFromText {}

extension GridSize: CommandLineValue, ParsedFromText {}

extension LevelRange: CommandLineValue, ParsedFromText {}

extension LoadGamma: CommandLineValue, ParsedFromText {}

extension Fit: CommandLineValue {}
