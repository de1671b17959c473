import ChainwatchCore
import ChainwatchFeatures
import ChainwatchModels

/// features → detectors, on the scoring thread: the part of the pipeline that owns per-account state.
///
/// Rows reach the detectors in event order. While the ensemble model is still warming up (no model file),
/// feature rows are held back — the feature engine keeps running — until ``PipelineConfiguration/warmUpRows``
/// rows are in; then a model is trained on them and the held rows go through *every* detector, so the alerts
/// are the same as if the model had existed from the start.
struct ScoringStage: ~Copyable {
    private var engine: FeatureEngine
    private var features: FeatureMatrix
    /// Rule and typology detectors run on this thread, and those run by ``worker`` (if any).
    private var ruleDetectors: [any Detector]
    private let worker: DetectorWorker?
    /// Every rule and typology detector's name, in the order their alerts are listed within a row.
    private let ruleDetectorNames: [String]
    private(set) var model: ModelDetector?
    private let modelConfiguration: ModelDetector.Configuration
    /// `nil` once a model exists (loaded or trained) or when models are off.
    private var warmUp: (rows: Int, held: [DetectionInput], heldRows: Int)?
    /// A model this stage trained on its warm-up window, for the caller to record.
    private(set) var trainedModel: ModelBundle?
    private(set) var scores: ScoreTable?

    init(configuration: PipelineConfiguration, model: ModelBundle?) {
        engine = FeatureEngine(configuration: configuration.features)
        let catalogue = engine.catalogue
        features = FeatureMatrix(dimensions: catalogue.names.count)
        let typologies = configuration.typologies
        ruleDetectorNames = ["amount_zscore"] + typologies.enabledInOrder
        // With a second core, the typologies that cost the most per row run beside the model (measured
        // per 1M rows: fan-out and fan-in ≈ 0.6 s each, address poisoning 0.36 s, the model ≈ 0.7 s).
        var local = typologies, offloaded = typologies
        if configuration.parallelDetectors {
            local.enabled = typologies.enabled.filter { !Self.offloadedTypologies.contains($0) }
            offloaded.enabled = typologies.enabled.filter(Self.offloadedTypologies.contains)
        } else {
            offloaded.enabled = []
        }
        ruleDetectors = [AmountZScoreDetector(configuration: configuration.amountZScore)]
            + TypologySuite.makeDetectors(local)
        worker = offloaded.enabled.isEmpty ? nil : DetectorWorker(name: "chainwatch-detectors") { [offloaded] in
            TypologySuite.makeDetectors(offloaded)
        }
        modelConfiguration = configuration.model
        if let model {
            self.model = ModelDetector(
                bundle: model, featureNames: catalogue.names, catalogueHash: catalogue.hash, configuration: configuration.model)
        } else if configuration.useModels {
            warmUp = (configuration.warmUpRows, [], 0)
        }
        if configuration.recordScores {
            var names = ruleDetectorNames
            if configuration.useModels { names += ["isolation_forest", "autoencoder", "ensemble"] }
            scores = ScoreTable(detectorNames: names)
        }
    }

    deinit { worker?.stop() }

    /// The typologies ``DetectorWorker`` runs when ``PipelineConfiguration/parallelDetectors`` is on.
    static let offloadedTypologies: Set<String> = ["fan_out", "fan_in", "address_poisoning", "wash_cycle", "structuring", "dusting"]

    var catalogue: FeatureCatalogue { engine.catalogue }
    var featureStatistics: FeatureStatistics { engine.statistics }
    var isWarmingUp: Bool { warmUp != nil }

    mutating func process(_ batch: TxBatch, alerts: inout [Alert]) {
        engine.process(batch, into: &features)
        let input = DetectionInput(batch: batch, features: features, fromIDs: engine.lastFromIDs, toIDs: engine.lastToIDs)
        if var pending = warmUp {
            pending.held.append(input)
            pending.heldRows += batch.count
            warmUp = pending
            if pending.heldRows >= pending.rows { trainAndRelease(alerts: &alerts) }
            return
        }
        detect(input, alerts: &alerts)
    }

    /// End of input: a stream shorter than the warm-up window trains on what it has.
    mutating func finish(alerts: inout [Alert]) {
        if let pending = warmUp, pending.heldRows > 0 { trainAndRelease(alerts: &alerts) }
    }

    private mutating func trainAndRelease(alerts: inout [Alert]) {
        guard let pending = warmUp else { return }
        warmUp = nil
        // Exactly the first `rows` rows, wherever the batch boundaries fall.
        let dimensions = catalogue.names.count
        var values: [Float] = []
        values.reserveCapacity(min(pending.rows, pending.heldRows) * dimensions)
        for input in pending.held where values.count < pending.rows * dimensions {
            values.append(contentsOf: input.features.values.prefix(pending.rows * dimensions - values.count))
        }
        let matrix = FeatureMatrix(dimensions: dimensions, values: values)
        var trained = ModelBundle.train(
            matrix, featureNames: catalogue.names, catalogueHash: catalogue.hash, configuration: modelConfiguration.training)
        trained.trainingNote = "trained on the first \(matrix.rows) rows of the stream (warm-up); " + trained.trainingNote
        trainedModel = trained
        model = ModelDetector(
            bundle: trained, featureNames: catalogue.names, catalogueHash: catalogue.hash, configuration: modelConfiguration)
        for input in pending.held { detect(input, alerts: &alerts) }
    }

    private mutating func detect(_ input: DetectionInput, alerts: inout [Alert]) {
        let first = alerts.count
        worker?.submit(input)
        for index in ruleDetectors.indices {
            ruleDetectors[index].process(input, alerts: &alerts)
        }
        model?.process(input, alerts: &alerts)
        // Listing order within the batch is settled by the row-and-detector sort below.
        if let worker { alerts += worker.collect() }
        let alerted = alerts.count - first
        let rowOf = alerted > 1 || (alerted > 0 && scores != nil) ? Self.rows(of: alerts[first...], in: input.batch) : [:]
        if alerted > 1 { putInRowOrder(&alerts, from: first, rowOf: rowOf) }
        if scores != nil { record(input.batch, alerts: alerts[first...], rowOf: rowOf) }
    }

    /// The batch row of each alerted transaction (its first row, should a hash repeat within the batch).
    private static func rows(of alerts: ArraySlice<Alert>, in batch: TxBatch) -> [String: Int] {
        var rowOf: [String: Int] = [:]
        for alert in alerts { rowOf[alert.txHash] = -1 }
        for row in 0 ..< batch.count {
            let hash = batch.hash[row]
            if rowOf[hash] == -1 { rowOf[hash] = row }
        }
        return rowOf
    }

    /// Orders a batch's alerts by row, then by detector, so alert ids do not depend on batch boundaries.
    private func putInRowOrder(_ alerts: inout [Alert], from first: Int, rowOf: [String: Int]) {
        var detectorOrder: [String: Int] = [:]
        for (index, name) in ruleDetectorNames.enumerated() { detectorOrder[name] = index }
        let keyed = alerts[first...].enumerated().map { offset, alert in
            (row: rowOf[alert.txHash] ?? -1, detector: detectorOrder[alert.detector] ?? ruleDetectorNames.count, offset: offset, alert: alert)
        }
        let sorted = keyed.sorted { ($0.row, $0.detector, $0.offset) < ($1.row, $1.detector, $1.offset) }
        alerts.replaceSubrange(first..., with: sorted.map(\.alert))
    }

    /// Appends the batch's rows to the score table (replay only).
    ///
    /// Rule and typology detectors score the rows they alert on (0 elsewhere); the models score every row.
    /// The combined score is the number of detectors that alerted plus the calibrated ensemble score, so
    /// any alert ranks above every non-alerted row, and the model orders rows within each group.
    private mutating func record(_ batch: TxBatch, alerts: ArraySlice<Alert>, rowOf: [String: Int]) {
        guard let names = scores?.detectorNames else { return }
        var columns = [[Double]](repeating: [Double](repeating: 0, count: batch.count), count: names.count)
        var masks = [UInt32](repeating: 0, count: batch.count)
        for alert in alerts {
            guard let row = rowOf[alert.txHash], row >= 0, let column = names.firstIndex(of: alert.detector) else { continue }
            masks[row] |= 1 << UInt32(column)
            if alert.detector != "ensemble" { columns[column][row] = alert.score }
        }
        var combined = masks.map { Double($0.nonzeroBitCount) }
        if let model, let forest = names.firstIndex(of: "isolation_forest") {
            let modelScores = model.lastScores
            for row in 0 ..< batch.count {
                columns[forest][row] = modelScores.forestCalibrated[row]
                columns[forest + 1][row] = modelScores.autoencoderCalibrated[row]
                columns[forest + 2][row] = model.lastRowScores[row]
                combined[row] += model.lastRowScores[row]
            }
        }
        scores?.append(batch: batch, combined: combined, detectorScores: columns, alertedBy: masks)
    }
}
