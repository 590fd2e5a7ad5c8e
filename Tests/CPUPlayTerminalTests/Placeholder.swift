import Testing
@testable import CPUPlayTerminal
