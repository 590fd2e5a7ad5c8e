import Testing
@testable import CPUPlayMeasure
