/// Combines the isolation forest's and the autoencoder's scores into one calibrated score.
///
/// **Rule.** Each model's raw score `x` is put on a common scale with its training quantiles,
/// `u = (x − median) / (p99 − median)`, so `u = 1` means "as unusual as the training set's 99th percentile"
/// for either model; the ensemble's raw value is `max(u_forest, u_autoencoder)` — the more surprised model
/// decides (the two catch different things; averaging would dilute each). Unlike calibrated scores, `u`
/// keeps growing beyond the training range, so rows far outside it do not all tie at 1.
/// The raw value is then calibrated by the ensemble's own quantile summary (fitted on the training rows,
/// and kept up to date on the stream by ``ModelDetector``), giving a score that is ≈ uniform on data like the
/// training stream. Hence the alert rule **`ensemble > 1 − budget`** raises about `budget × rows` alerts
/// in steady state (`--budget 0.001` ≈ 1 per 1,000 transactions).
public struct Ensemble: Sendable, Equatable {
    /// A model's raw-score scale: its training median and the distance to its 99th percentile.
    public struct Scale: Sendable, Equatable {
        public var center: Double
        public var spread: Double

        public static let identity = Scale(center: 0, spread: 1)

        public init(center: Double, spread: Double) {
            self.center = center
            self.spread = spread
        }

        /// The scale of the scores a calibrator has observed (spread floored so a constant model cannot divide by 0).
        public init(_ calibrator: Calibrator) {
            let median = calibrator.quantile(0.5), p99 = calibrator.quantile(0.99)
            self.init(center: median, spread: max(p99 - median, 1e-6 * max(1, abs(median))))
        }

        @inline(__always)
        public func normalized(_ value: Double) -> Double { (value - center) / spread }
    }

    public var calibrator: Calibrator
    public var forestScale: Scale
    public var autoencoderScale: Scale

    public init(calibrator: Calibrator = Calibrator(), forestScale: Scale = .identity, autoencoderScale: Scale = .identity) {
        self.calibrator = calibrator
        self.forestScale = forestScale
        self.autoencoderScale = autoencoderScale
    }

    /// The combination rule before recalibration, on the models' raw scores.
    @inline(__always)
    public func combine(forest: Double, autoencoder: Double) -> Double {
        max(forestScale.normalized(forest), autoencoderScale.normalized(autoencoder))
    }

    /// Observes the raw scores of one training row.
    public mutating func observe(forest: Double, autoencoder: Double) {
        calibrator.observe(combine(forest: forest, autoencoder: autoencoder))
    }

    /// The combined, recalibrated score in [0, 1].
    public func calibrated(forest: Double, autoencoder: Double) -> Double {
        calibrator.calibrated(combine(forest: forest, autoencoder: autoencoder))
    }

    /// Whether an ensemble score raises an alert under `budget` (fraction of rows to alert on).
    public static func isAlert(_ ensemble: Double, budget: Double) -> Bool { ensemble > 1 - budget }
}
