import ChainwatchCore

/// Scores every transaction with a trained ``ModelBundle`` (isolation forest + autoencoder) and alerts on
/// the ensemble, with an alert-rate budget.
///
/// **Ensemble rule.** Each model's raw score is calibrated by the quantile summary fitted on its training
/// scores; the ensemble's raw score is the larger of the two calibrated scores, and that is calibrated again
/// by a streaming quantile summary that starts from the training rows and keeps observing every scored row.
/// A row alerts when its calibrated ensemble score exceeds `1 − budget`, so `budget = 0.001` means about one
/// alert per 1,000 transactions in steady state, even when the stream drifts from the training data.
///
/// **Determinism.** The streaming summary is folded every ``calibrationStride`` rows *of the stream*
/// (not of a batch), and each row is scored against the summary as of the last fold before it, so alerts
/// do not depend on batch boundaries.
///
/// **Online retraining.** With ``Configuration/retrainEveryRows`` set, a new bundle is trained every that many
/// rows on a sliding window of recent rows that did **not** alert; the model id changes and every alert
/// records the id that scored it.
public struct ModelDetector: RowScoringDetector {
    public struct Configuration: Sendable, Equatable {
        /// Expected alerts per transaction (0.001 = 1 in 1,000).
        public var budget: Double = 0.001
        /// 0 = never retrain.
        public var retrainEveryRows: Int = 0
        public var retrainWindowRows: Int = 100_000
        public var training = ModelBundle.Configuration(seed: 1)
        /// Top contributing features named in each alert.
        public var explainedFeatures: Int = 3
        public init() {}
    }

    public static let calibrationStride = 4096

    public let name = "ensemble"
    public let configuration: Configuration
    private let featureNames: [String]
    private let catalogueHash: String
    public private(set) var bundle: ModelBundle
    /// Every model id that scored rows in this run, in order (training or retraining adds one).
    public private(set) var modelIDs: [String] = []
    private var calibrator = Calibrator()
    private var observedRows = 0
    private var window: TrainingWindow
    private var rowsSinceTraining = 0
    private var scores = ModelScores()
    /// Both models' scores for the rows of the last batch.
    public var lastScores: ModelScores { scores }
    public private(set) var lastRowScores: [Double] = []

    /// - Precondition: `bundle` was trained on `featureNames` (check ``ModelBundle/catalogueHash`` when loading).
    public init(bundle: ModelBundle, featureNames: [String], catalogueHash: String, configuration: Configuration = .init()) {
        precondition(bundle.featureNames == featureNames, "model and feature engine disagree on the features")
        self.configuration = configuration
        self.featureNames = featureNames
        self.catalogueHash = catalogueHash
        self.bundle = bundle
        self.modelIDs = [bundle.id]
        self.calibrator = bundle.calibrators.ensemble.calibrator
        self.window = TrainingWindow(capacity: max(1, configuration.retrainWindowRows), dimensions: featureNames.count)
    }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        lastRowScores.removeAll(keepingCapacity: true)
        score(input, alerts: &alerts)
    }

    /// Scores `input` in chunks that end on calibration folds and retraining points, so results do not
    /// depend on batch sizes: every row is scored by the model and calibration state as of a fixed row count.
    private mutating func score(_ input: DetectionInput, alerts: inout [Alert]) {
        bundle.score(input.features, into: &scores)
        let batch = input.batch
        var start = 0
        while start < batch.count {
            var end = min(batch.count, start + Self.calibrationStride - observedRows % Self.calibrationStride)
            if configuration.retrainEveryRows > 0 {
                end = min(end, start + configuration.retrainEveryRows - rowsSinceTraining)
            }
            var raw = [Double](repeating: 0, count: end - start)
            for row in start ..< end {
                raw[row - start] = bundle.calibrators.ensemble.combine(
                    forest: Double(scores.forest[row]), autoencoder: Double(scores.autoencoder[row]))
                let calibrated = calibrator.calibrated(raw[row - start])
                lastRowScores.append(calibrated)
                if Ensemble.isAlert(calibrated, budget: configuration.budget) {
                    alerts.append(Alert(
                        batch: batch, row: row, detector: name, score: raw[row - start], calibrated: calibrated,
                        reasons: bundle.reasonsJSON(
                            row: input.features.row(row), scores: scores[row], top: configuration.explainedFeatures),
                        modelID: bundle.id))
                }
            }
            for value in raw { calibrator.observe(value) }
            observedRows += end - start
            if observedRows % Self.calibrationStride == 0 { calibrator.flush() }
            if configuration.retrainEveryRows > 0 {
                for row in start ..< end {
                    window.append(row: input.features.row(row), alerted: Ensemble.isAlert(lastRowScores[row], budget: configuration.budget))
                }
                rowsSinceTraining += end - start
                if rowsSinceTraining == configuration.retrainEveryRows {
                    retrain()
                    // Later rows of this batch are scored by the new model.
                    if end < batch.count {
                        let rest = FeatureMatrix(
                            dimensions: input.features.dimensions,
                            values: Array(input.features.values[(end * input.features.dimensions)...]))
                        var restScores = ModelScores()
                        bundle.score(rest, into: &restScores)
                        scores.replaceRows(from: end, with: restScores)
                    }
                }
            }
            start = end
        }
    }

    /// Trains a new bundle on the recent rows that did not alert; its id is recorded with later alerts.
    private mutating func retrain() {
        rowsSinceTraining = 0
        guard window.count > 0 else { return }
        var retrained = ModelBundle.train(
            window.matrix(), featureNames: featureNames, catalogueHash: catalogueHash, configuration: configuration.training)
        retrained.trainingNote = "retrained on \(window.count) recent rows that did not alert; " + retrained.trainingNote
        bundle = retrained
        modelIDs.append(retrained.id)
        // The raw scale changed with the model: calibrate against the new model's training rows, folded anew.
        calibrator = retrained.calibrators.ensemble.calibrator
        observedRows = 0
    }
}
