import Testing
@testable import CPUPlayLoad

/// A mean with its standard error: what the loop's checks compare.
@Suite struct MeanEstimateTests {
    @Test func meanSpreadAndStandardErrorFollowTheSamples() {
        var m = MeanEstimate()
        #expect(m.mean == nil && m.standardError == 0)
        for x in [1.0, 2, 3, 4, 5] { m.add(x) }
        #expect(m.mean == 3 && abs(m.spread - 2.5.squareRoot()) < 1e-12)
        #expect(abs(m.standardError - (2.5 / 5).squareRoot()) < 1e-12)
        var joined = MeanEstimate(10)
        joined.add(m)
        #expect(joined.weight == 6 && abs(joined.mean! - 25.0 / 6) < 1e-12)
        // Faded samples weigh less than the next: after fading by 0.5 the new sample counts double.
        m.fade(0.5)
        m.add(9)
        #expect(abs(m.mean! - (7.5 + 9) / 3.5) < 1e-12, "\(m.mean!)")
    }

    /// A difference counts only beyond its tolerance and two standard errors of its noise.
    @Test func aDifferenceMustStandOutOfItsNoise() {
        var quiet = MeanEstimate(), noisy = MeanEstimate(), base = MeanEstimate()
        for x in [0.20, 0.21, 0.20, 0.21] { quiet.add(x) }
        for x in [0.0, 0.45, 0.1, 0.27] { noisy.add(x) }
        for x in [0.18, 0.18, 0.19, 0.18] { base.add(x) }
        #expect(quiet.exceeds(base, by: 0.005))
        #expect(!quiet.exceeds(base, by: 0.02), "within the tolerance")
        #expect(abs(noisy.mean! - quiet.mean!) < 0.01 && !noisy.exceeds(base, by: 0.005), "the same mean, but noise")
        #expect(!base.exceeds(quiet, by: 0), "lower is never worse")
        #expect(MeanEstimate(0.3).exceeds(MeanEstimate(0.2), by: 0.005), "single samples: the means decide")
    }
}
