/// Combines per-model calibrated scores into one calibrated score.
///
/// Rule: `raw = max_i c_i` — the most surprised model decides (a row either model finds rarer than 99.9 % of
/// training rows is flagged by that model alone, and the AE and forest catch different things, so averaging
/// would dilute each). The max of k roughly uniform scores is not uniform (≈ t^k when independent), so the
/// ensemble keeps its own ``Calibrator`` fitted on the training rows' `raw` values; `calibrated(raw)` is again
/// ≈ uniform on data like the training stream. Hence the alert rule **`ensemble > 1 − budget`** raises about
/// `budget × rows` alerts in steady state (`--budget 0.001` ≈ 1 per 1,000 transactions).
public struct Ensemble: Sendable, Equatable {
    public var calibrator: Calibrator

    public init(calibrator: Calibrator = Calibrator()) { self.calibrator = calibrator }

    /// The combination rule before recalibration: the maximum of the inputs (0 for none).
    @inline(__always)
    public static func combine(_ first: Double, _ second: Double) -> Double { max(first, second) }

    public static func combine(_ calibrated: [Double]) -> Double { calibrated.max() ?? 0 }

    /// Observes the combined raw value of one training row.
    public mutating func observe(forest: Double, autoencoder: Double) {
        calibrator.observe(Ensemble.combine(forest, autoencoder))
    }

    /// The combined, recalibrated score in [0, 1].
    public func calibrated(forest: Double, autoencoder: Double) -> Double {
        calibrator.calibrated(Ensemble.combine(forest, autoencoder))
    }

    /// Whether an ensemble score raises an alert under `budget` (fraction of rows to alert on).
    public static func isAlert(_ ensemble: Double, budget: Double) -> Bool { ensemble > 1 - budget }
}
