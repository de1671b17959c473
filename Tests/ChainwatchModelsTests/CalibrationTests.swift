import ChainwatchCore
@testable import ChainwatchModels
import RealModule
import Testing

struct CalibrationTests {
    private func exponentials(_ count: Int, seed: UInt64) -> [Float] {
        var rng = _SplitMix64(seed: seed)
        return (0 ..< count).map { _ in Float(-Double.log(1 - rng.unit())) }
    }

    @Test func budgetGivesTheRealizedAlertRate() {
        var calibrator = Calibrator()
        calibrator.observe(contentsOf: exponentials(200_000, seed: 1))
        #expect(calibrator.observedCount == 200_000)
        let fresh = exponentials(200_000, seed: 2)
        for budget in [0.001, 0.01] {
            let threshold = calibrator.threshold(forBudget: budget)
            let rate = Double(fresh.filter { $0 > threshold }.count) / Double(fresh.count)
            #expect(abs(rate - budget) <= 0.2 * budget, "budget \(budget): rate \(rate), threshold \(threshold)")
            // Exponential(1): the true quantile is −ln(budget).
            #expect(abs(Double(threshold) + Double.log(budget)) < 0.15)
        }
        #expect(calibrator.sketch.means.count < 1500)
    }

    @Test func calibratedIsMonotoneAndBounded() {
        var calibrator = Calibrator()
        calibrator.observe(contentsOf: exponentials(20_000, seed: 3))
        var previous = -1.0
        for step in 0 ... 2000 {
            let c = calibrator.calibrated(Float(step) * 0.01 - 1)
            #expect(c >= previous && c >= 0 && c <= 1)
            previous = c
        }
        #expect(calibrator.calibrated(Float(-1)) == 0)
        #expect(calibrator.calibrated(Float(1000)) == 1)
        #expect(abs(calibrator.calibrated(Float(Double.log(2))) - 0.5) < 0.01)
    }

    @Test func mergeEqualsPooledObservations() {
        let a = exponentials(30_000, seed: 4), b = exponentials(30_000, seed: 5)
        var left = Calibrator(), right = Calibrator(), pooled = Calibrator()
        left.observe(contentsOf: a); right.observe(contentsOf: b); pooled.observe(contentsOf: a + b)
        left.merge(right)
        #expect(left.observedCount == 60_000)
        for q in [0.5, 0.9, 0.99, 0.999] {
            let budget = 1 - q
            let x = Double(left.threshold(forBudget: budget)), y = Double(pooled.threshold(forBudget: budget))
            #expect(abs(x - y) / y < 0.03, "q \(q): \(x) vs \(y)")
        }
    }

    /// The branch-free search against a linear count, for every length 0 … 67 and probes on, between and
    /// beyond the elements (with duplicates).
    @Test func countAtOrBelowMatchesALinearCount() {
        for length in 0 ... 67 {
            let values = (0 ..< length).map { Double($0 / 2) }          // 0, 0, 1, 1, 2, …
            for probe in stride(from: -1.0, through: Double(length / 2) + 1, by: 0.5) {
                #expect(QuantileSketch.countAtOrBelow(probe, in: values) == values.filter { $0 <= probe }.count,
                        "length \(length), probe \(probe)")
            }
        }
    }

    @Test func ensembleRecalibratesTheMaximum() {
        var rng = _SplitMix64(seed: 6)
        var ensemble = Ensemble()
        for _ in 0 ..< 50_000 { ensemble.observe(forest: rng.unit(), autoencoder: rng.unit()) }
        ensemble.calibrator.flush()
        // max of two uniforms has CDF t², so the recalibrated score of (0.9, 0.2) is ≈ 0.81.
        #expect(abs(ensemble.calibrated(forest: 0.9, autoencoder: 0.2) - 0.81) < 0.01)
        var alerts = 0
        for _ in 0 ..< 100_000 where Ensemble.isAlert(ensemble.calibrated(forest: rng.unit(), autoencoder: rng.unit()), budget: 0.01) {
            alerts += 1
        }
        #expect(abs(alerts - 1000) < 200)
    }
}
