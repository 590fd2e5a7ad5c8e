import Testing
@testable import CPUPlayVirt
