import ChainwatchCore

/// Per-row model scores for one batch, as columns; the arrays (and a standardized scratch matrix) keep their
/// capacity, so scoring a steady stream of batches into one `ModelScores` does not allocate.
public struct ModelScores: Sendable {
    /// Isolation-forest score `2^(−E[h]/c(ψ))`, higher = more anomalous.
    public internal(set) var forest: [Float] = []
    /// Autoencoder mean squared reconstruction error on standardized features.
    public internal(set) var autoencoder: [Float] = []
    /// Fraction of training rows with a forest score ≤ this row's.
    public internal(set) var forestCalibrated: [Double] = []
    /// Fraction of training rows with an autoencoder error ≤ this row's.
    public internal(set) var autoencoderCalibrated: [Double] = []
    /// Combined calibrated score (``Ensemble``); alert when `> 1 − budget`.
    public internal(set) var ensemble: [Double] = []
    /// Standardized copy of the last batch (scratch).
    var standardized = FeatureMatrix(dimensions: 1)

    public init() {}

    public var count: Int { ensemble.count }

    /// One row's scores.
    public struct Row: Sendable, Equatable {
        public var forest: Float
        public var autoencoder: Float
        public var forestCalibrated: Double
        public var autoencoderCalibrated: Double
        public var ensemble: Double

        public init(forest: Float, autoencoder: Float, forestCalibrated: Double, autoencoderCalibrated: Double,
                    ensemble: Double) {
            self.forest = forest
            self.autoencoder = autoencoder
            self.forestCalibrated = forestCalibrated
            self.autoencoderCalibrated = autoencoderCalibrated
            self.ensemble = ensemble
        }
    }

    public subscript(row: Int) -> Row {
        Row(forest: forest[row], autoencoder: autoencoder[row], forestCalibrated: forestCalibrated[row],
            autoencoderCalibrated: autoencoderCalibrated[row], ensemble: ensemble[row])
    }

    /// Overwrites rows `start…` with the rows of `other` (a later model scored the tail of a batch).
    mutating func replaceRows(from start: Int, with other: ModelScores) {
        forest.replaceSubrange(start..., with: other.forest)
        autoencoder.replaceSubrange(start..., with: other.autoencoder)
        forestCalibrated.replaceSubrange(start..., with: other.forestCalibrated)
        autoencoderCalibrated.replaceSubrange(start..., with: other.autoencoderCalibrated)
        ensemble.replaceSubrange(start..., with: other.ensemble)
    }
}
