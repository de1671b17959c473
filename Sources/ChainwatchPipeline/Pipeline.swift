import ChainwatchCore
import ChainwatchFeatures
import ChainwatchIO
import ChainwatchModels
import ChainwatchStore
import Foundation

/// sources → decode → reorder (reader thread) ⇒ features → detectors → alert store (this thread).
///
/// `run` and `replay` are the same pipeline: same inputs and settings give the same alert rows.
public final class Pipeline {
    public let configuration: PipelineConfiguration
    /// Called after every batch with the running summary (progress display), the last block scored, and the
    /// share of the input read so far when it is known (plain files; not stdin or LZ4).
    public var onProgress: ((RunSummary, _ lastBlock: Int64, _ fractionRead: Double?) -> Void)?
    /// Polled between batches; when it returns true the run commits what it has and stops as `interrupted`.
    public var isInterrupted: () -> Bool = { InterruptFlag.isRaised }

    /// Called once if the ensemble has no model file and starts training on the first rows.
    public var onWarmUp: ((_ rows: Int) -> Void)?

    // Results of the last `run()`.
    /// Every transaction's scores (only with ``PipelineConfiguration/recordScores``).
    public private(set) var scores: ScoreTable?
    /// A model trained on the warm-up window (when no model file was given).
    public private(set) var trainedModel: ModelBundle?
    /// The ids of the models that scored this run, in order.
    public private(set) var modelIDs: [String] = []
    public private(set) var featureStatistics: FeatureStatistics?
    /// Every alert raised in the last run, new or not (only with ``PipelineConfiguration/recordScores``).
    public private(set) var raisedAlerts: [Alert] = []

    public init(configuration: PipelineConfiguration) {
        self.configuration = configuration
    }

    /// Loads the configured model, checking it was trained on this build's feature catalogue.
    func loadModel() throws(ChainwatchError) -> ModelBundle? {
        guard configuration.useModels, let path = configuration.modelPath else { return nil }
        return try ModelBundle.load(from: path, expectedCatalogueHash: FeatureCatalogue.standard.hash)
    }

    /// Runs to the end of the inputs (or Ctrl-C), committing alerts as it goes.
    ///
    /// - Throws: `ChainwatchError` for fatal problems (unreadable input, unknown format, store failure).
    ///   Alerts committed before the error stay in the database and the run is recorded as `failed`.
    public func run() throws(ChainwatchError) -> RunSummary {
        let model = try loadModel()
        let store = try AlertStore(
            path: configuration.databasePath,
            commitEveryRows: configuration.commitEveryRows,
            commitEveryMilliseconds: configuration.commitEveryMilliseconds)
        var summary = RunSummary()
        summary.runID = try store.beginRun(
            command: configuration.command, inputs: configuration.inputs,
            settingsJSON: configuration.settingsJSON, modelID: model?.id)
        if let model {
            try store.recordModel(
                id: model.id, path: configuration.modelPath, catalogueHash: model.catalogueHash,
                metadataJSON: Self.modelMetadata(model))
        } else if configuration.useModels {
            onWarmUp?(configuration.warmUpRows)
        }
        var scoring = ScoringStage(configuration: configuration, model: model)
        let started = ContinuousClock.now
        let reader = ReaderStage(configuration: configuration)
        let totalBytes = Self.plainInputSize(configuration.inputs)
        reader.start()

        var failure: ChainwatchError?
        var alerts: [Alert] = []
        loop: while true {
            if isInterrupted() {
                summary.status = "interrupted"
                reader.cancel()
                break
            }
            guard let message = reader.queue.pop(timeout: .milliseconds(100)) else {
                do { try store.commitIfDue() } catch { failure = error; break }
                continue
            }
            do {
                switch message {
                case .batch(let batch, let quarantine):
                    if !quarantine.isEmpty {
                        try store.add(quarantine: quarantine, runID: summary.runID)
                        summary.rowsQuarantined += Int64(quarantine.count)
                    }
                    alerts.removeAll(keepingCapacity: true)
                    scoring.process(batch, alerts: &alerts)
                    summary.rowsRead += Int64(batch.count)
                    try record(alerts, in: store, summary: &summary)
                    summary.elapsedSeconds = started.secondsElapsed
                    onProgress?(summary, batch.blockNumber.last ?? 0, totalBytes.map { Double(reader.bytesDecoded) / Double(max(1, $0)) })
                case .finished(let totals):
                    summary.absorb(totals)
                    break loop
                case .failed(let error, let totals):
                    summary.absorb(totals)
                    failure = error
                    break loop
                }
            } catch {
                failure = error
                reader.cancel()
                break loop
            }
        }
        if summary.status == "completed" {
            // End of input: a model still warming up trains on what it has and scores the held rows.
            alerts.removeAll(keepingCapacity: true)
            scoring.finish(alerts: &alerts)
            do {
                try record(alerts, in: store, summary: &summary)
            } catch {
                failure = failure ?? error
            }
        }
        summary.elapsedSeconds = started.secondsElapsed
        if failure != nil { summary.status = "failed" }
        if let trained = scoring.trainedModel {
            trainedModel = trained
            try store.recordModel(
                id: trained.id, path: nil, catalogueHash: trained.catalogueHash, metadataJSON: Self.modelMetadata(trained))
        }
        modelIDs = scoring.model?.modelIDs ?? []
        scores = scoring.scores
        featureStatistics = scoring.featureStatistics
        try store.commit()
        try store.finishRun(
            summary.runID, status: summary.status,
            stats: RunStats(
                rowsRead: summary.rowsRead, rowsAlerted: summary.rowsAlerted,
                rowsQuarantined: summary.rowsQuarantined, rowsLate: summary.rowsLate, alertsNew: summary.alertsNew),
            error: failure?.description)
        if let failure { throw failure }
        return summary
    }

    private func record(_ alerts: [Alert], in store: AlertStore, summary: inout RunSummary) throws(ChainwatchError) {
        summary.alertsRaised += Int64(alerts.count)
        if configuration.recordScores { raisedAlerts.append(contentsOf: alerts) }
        summary.rowsAlerted += Int64(Set(alerts.map(\.txHash)).count)
        summary.alertsNew += Int64(try store.add(alerts: alerts, runID: summary.runID))
        try store.commitIfDue()
    }

    /// Total size of the inputs when all are plain files (decoded bytes then measure progress exactly).
    static func plainInputSize(_ inputs: [String]) -> Int64? {
        var total: Int64 = 0
        for input in inputs {
            guard input != "-", !input.hasSuffix(".lz4"),
                  let size = (try? FileManager.default.attributesOfItem(atPath: input))?[.size] as? NSNumber
            else { return nil }
            total += size.int64Value
        }
        return total
    }

    static func modelMetadata(_ model: ModelBundle) -> String {
        var json = JSONObjectWriter()
        json.add("trained_on", model.trainedOn)
        json.add("note", model.trainingNote)
        json.add("features", model.featureNames.count)
        return json.finished()
    }
}

extension RunSummary {
    mutating func absorb(_ totals: ReaderTotals) {
        rowsLate = totals.rowsLate
        recordsSkipped = totals.recordsSkipped
    }
}

extension ContinuousClock.Instant {
    var secondsElapsed: Double {
        let duration = ContinuousClock.now - self
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
