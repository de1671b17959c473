import ChainwatchCore

/// Everything the pipeline needs to score a feature batch: standardizer, isolation forest, autoencoder and
/// their calibrators, tied to the feature catalogue they were trained on.
///
/// Feature space: both models see **standardized, ±10σ-clipped** features. The autoencoder needs equal
/// scales; the forest is per-axis scale invariant anyway, but clipping keeps a single absurd raw value (an
/// amount of 10³⁰ wei) from stretching every split range, and the extended forest's hyperplanes need
/// comparable scales. Calibrators are fitted on the training rows' own scores (forest scores of in-sample
/// rows are slightly optimistic; with ψ = 256 of ≫ 256 rows the effect is negligible).
public struct ModelBundle: Sendable {
    /// The `model.json`/`weights.bin` format this build writes and reads.
    public static let currentFormatVersion = 1

    public struct Configuration: Sendable, Equatable {
        public var forest: IsolationForest.Configuration
        public var autoencoder: Autoencoder.Configuration

        public init(forest: IsolationForest.Configuration, autoencoder: Autoencoder.Configuration) {
            self.forest = forest
            self.autoencoder = autoencoder
        }

        /// Defaults (100 trees × 256, autoencoder 16-8-16 ReLU, 20 epochs, batch 256, lr 1e-3) from one seed.
        public init(seed: UInt64, extendedForest: Bool = false, epochs: Int = 20) {
            forest = .init(seed: seed, extended: extendedForest)
            autoencoder = .init(epochs: epochs, seed: seed &+ 1)
        }
    }

    public struct Calibrators: Sendable, Equatable {
        public var forest: Calibrator
        public var autoencoder: Calibrator
        public var ensemble: Ensemble

        public init(forest: Calibrator, autoencoder: Calibrator, ensemble: Ensemble) {
            self.forest = forest
            self.autoencoder = autoencoder
            self.ensemble = ensemble
        }
    }

    /// `"cw-"` + the first 12 hex digits of FNV-1a-64 over `weights.bin` and the catalogue hash.
    public var id: String
    public var formatVersion: Int
    public var featureNames: [String]
    public var catalogueHash: String
    public var standardizer: Standardizer
    public var forest: IsolationForest
    public var autoencoder: Autoencoder
    public var calibrators: Calibrators
    public var trainedOn: Int
    public var trainingNote: String

    public var dimensions: Int { featureNames.count }

    /// Builds a bundle from parts and derives its ``id``.
    public init(featureNames: [String], catalogueHash: String, standardizer: Standardizer, forest: IsolationForest,
                autoencoder: Autoencoder, calibrators: Calibrators, trainedOn: Int, trainingNote: String) {
        let d = featureNames.count
        precondition(standardizer.dimensions == d && forest.dimensions == d && autoencoder.dimensions == d,
                     "model parts disagree on the number of features")
        self.id = ""
        self.formatVersion = ModelBundle.currentFormatVersion
        self.featureNames = featureNames
        self.catalogueHash = catalogueHash
        self.standardizer = standardizer
        self.forest = forest
        self.autoencoder = autoencoder
        self.calibrators = calibrators
        // The ensemble's scales are a function of the two model calibrators, so they are derived, not stored.
        self.calibrators.ensemble.forestScale = Ensemble.Scale(calibrators.forest)
        self.calibrators.ensemble.autoencoderScale = Ensemble.Scale(calibrators.autoencoder)
        self.trainedOn = trainedOn
        self.trainingNote = trainingNote
        self.id = ModelBundle.id(weights: weightsFile(), catalogueHash: catalogueHash)
    }

    static func id(weights: [UInt8], catalogueHash: String) -> String {
        "cw-" + _FNV1a64.hex(_FNV1a64.hash(weights, Array(catalogueHash.utf8))).prefix(12)
    }

    /// Fits the standardizer, the forest and the autoencoder on `data`, then the three calibrators on the
    /// held-out rows' scores. Cost for 100 k rows × 40 features: dominated by autoencoder epochs.
    public static func train(_ data: FeatureMatrix, featureNames: [String], catalogueHash: String,
                             configuration: Configuration) -> ModelBundle {
        precondition(featureNames.count == data.dimensions, "\(featureNames.count) names for \(data.dimensions) columns")
        precondition(data.rows > 0, "cannot train on no rows")
        let standardizer = Standardizer.fit(data)
        let z = standardizer.transform(data)
        // The autoencoder learns from 4 rows in 5 and both models are calibrated on the 5th: the scores of rows
        // the autoencoder was fitted on are optimistic, so in-sample calibration alerts too often on new data.
        // (The forest sees only 256-row subsamples per tree; fitting it on all rows costs no such bias.)
        let (fit, heldOut) = splitForCalibration(z)
        let forest = IsolationForest.train(z, configuration: configuration.forest)
        let (autoencoder, losses) = Autoencoder.train(fit, configuration: configuration.autoencoder)

        var forestScores: [Float] = [], autoencoderScores: [Float] = []
        forest.score(heldOut, into: &forestScores)
        autoencoder.score(heldOut, into: &autoencoderScores)
        var forestCalibrator = Calibrator(), autoencoderCalibrator = Calibrator()
        forestCalibrator.observe(contentsOf: forestScores)
        autoencoderCalibrator.observe(contentsOf: autoencoderScores)
        forestCalibrator.flush()
        autoencoderCalibrator.flush()
        var ensemble = Ensemble(
            forestScale: Ensemble.Scale(forestCalibrator), autoencoderScale: Ensemble.Scale(autoencoderCalibrator))
        for r in 0 ..< heldOut.rows {
            ensemble.observe(forest: Double(forestScores[r]), autoencoder: Double(autoencoderScores[r]))
        }
        ensemble.calibrator.flush()

        let f = configuration.forest, a = configuration.autoencoder
        let layers = autoencoder.layerSizes.map(String.init).joined(separator: "-")
        let lossText = losses.isEmpty ? "untrained" : "loss \(losses.first!) → \(losses.last!)"
        let note = "isolation forest \(f.trees)×\(forest.subsampleSize)\(f.extended ? " extended" : ""), seed \(f.seed); "
            + "autoencoder \(layers) \(a.activation.rawValue), \(a.epochs) epochs, batch \(a.batchSize), "
            + "lr \(a.learningRate), seed \(a.seed), \(lossText)"
        return ModelBundle(featureNames: featureNames, catalogueHash: catalogueHash, standardizer: standardizer,
                           forest: forest, autoencoder: autoencoder,
                           calibrators: Calibrators(forest: forestCalibrator, autoencoder: autoencoderCalibrator,
                                                    ensemble: ensemble),
                           trainedOn: data.rows, trainingNote: note)
    }

    /// Rows `r % 5 != 4` to fit on and rows `r % 5 == 4` to calibrate on; small sets (< 50 rows) use all rows for both.
    static func splitForCalibration(_ data: FeatureMatrix) -> (fit: FeatureMatrix, heldOut: FeatureMatrix) {
        guard data.rows >= 50 else { return (data, data) }
        var fit = FeatureMatrix(dimensions: data.dimensions), heldOut = FeatureMatrix(dimensions: data.dimensions)
        for r in 0 ..< data.rows {
            let row = data.values[r * data.dimensions ..< (r + 1) * data.dimensions]
            if r % 5 == 4 { heldOut.append(row: row) } else { fit.append(row: row) }
        }
        return (fit, heldOut)
    }

    /// Scores a batch of **raw** feature rows into `result` (columns resized to `features.rows`).
    public func score(_ features: FeatureMatrix, into result: inout ModelScores) {
        precondition(features.dimensions == dimensions, "matrix has \(features.dimensions) columns, model expects \(dimensions)")
        standardizer.transform(features, into: &result.standardized)
        forest.score(result.standardized, into: &result.forest)
        autoencoder.score(result.standardized, into: &result.autoencoder)
        let rows = features.rows
        result.forestCalibrated.removeAll(keepingCapacity: true)
        result.autoencoderCalibrated.removeAll(keepingCapacity: true)
        result.ensemble.removeAll(keepingCapacity: true)
        for r in 0 ..< rows {
            let f = calibrators.forest.calibrated(result.forest[r])
            let a = calibrators.autoencoder.calibrated(result.autoencoder[r])
            result.forestCalibrated.append(f)
            result.autoencoderCalibrated.append(a)
            result.ensemble.append(
                calibrators.ensemble.calibrated(forest: Double(result.forest[r]), autoencoder: Double(result.autoencoder[r])))
        }
    }

    /// Scores one raw row (scalar paths; explanations and tests).
    public func score(row: [Float]) -> ModelScores.Row {
        let z = standardizer.transform(row: row)
        let forestScore = forest.score(row: z), autoencoderScore = autoencoder.score(row: z)
        let f = calibrators.forest.calibrated(forestScore), a = calibrators.autoencoder.calibrated(autoencoderScore)
        return ModelScores.Row(forest: forestScore, autoencoder: autoencoderScore, forestCalibrated: f,
                               autoencoderCalibrated: a,
                               ensemble: calibrators.ensemble.calibrated(
                                   forest: Double(forestScore), autoencoder: Double(autoencoderScore)))
    }
}
