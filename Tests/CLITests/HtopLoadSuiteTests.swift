import Testing

/// Every CLI test that puts load on the CPUs or measures it runs inside this suite, one at a
/// time: two of them at once would each see the other's load (a viewer test expecting an
/// idle CPU would read 100 %). Tests of other suites may still run beside them (other
/// targets' playback tests); `swift test --no-parallel` avoids that on a 2-CPU machine.
@Suite(.serialized) struct CPULoadTests {}
