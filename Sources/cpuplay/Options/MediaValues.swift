import ArgumentParser
import CPUPlayMedia

// The media types a user types on the command line (`--fps`, `--grid WxH`, `--levels`,
// `--fit`) parse themselves with the media module's own rules and messages.

extension FrameRate: CommandLineValue, ParsedFromText {}

extension GridSize: CommandLineValue, ParsedFromText {}

extension LevelRange: CommandLineValue, ParsedFromText {}

extension Fit: CommandLineValue {}
