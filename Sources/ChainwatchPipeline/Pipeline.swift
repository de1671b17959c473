import ChainwatchCore
import ChainwatchIO
import ChainwatchModels
import ChainwatchStore
import Foundation

/// sources → decode → reorder (reader thread) ⇒ features → detectors → alert store (this thread).
///
/// `run` and `replay` are the same pipeline: same inputs and settings give the same alert rows.
public final class Pipeline {
    public let configuration: PipelineConfiguration
    private var detectors: [any Detector]
    /// Called after every batch with the running summary (progress display).
    public var onProgress: ((RunSummary, _ lastBlock: Int64) -> Void)?
    /// Polled between batches; when it returns true the run commits what it has and stops as `interrupted`.
    public var isInterrupted: () -> Bool = { InterruptFlag.isRaised }

    public init(configuration: PipelineConfiguration) {
        self.configuration = configuration
        self.detectors = [AmountZScoreDetector(configuration: configuration.amountZScore)]
    }

    /// Runs to the end of the inputs (or Ctrl-C), committing alerts as it goes.
    ///
    /// - Throws: `ChainwatchError` for fatal problems (unreadable input, unknown format, store failure).
    ///   Alerts committed before the error stay in the database and the run is recorded as `failed`.
    public func run() throws(ChainwatchError) -> RunSummary {
        let store = try AlertStore(
            path: configuration.databasePath,
            commitEveryRows: configuration.commitEveryRows,
            commitEveryMilliseconds: configuration.commitEveryMilliseconds)
        var summary = RunSummary()
        summary.runID = try store.beginRun(
            command: configuration.command, inputs: configuration.inputs,
            settingsJSON: configuration.settingsJSON, modelID: nil)
        let started = ContinuousClock.now
        let reader = ReaderStage(configuration: configuration)
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
                    score(batch, alerts: &alerts)
                    summary.rowsRead += Int64(batch.count)
                    summary.alertsRaised += Int64(alerts.count)
                    summary.rowsAlerted += Int64(Set(alerts.map(\.txHash)).count)
                    summary.alertsNew += Int64(try store.add(alerts: alerts, runID: summary.runID))
                    try store.commitIfDue()
                    summary.elapsedSeconds = started.secondsElapsed
                    onProgress?(summary, batch.blockNumber.last ?? 0)
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
        summary.elapsedSeconds = started.secondsElapsed
        if failure != nil { summary.status = "failed" }
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

    private func score(_ batch: TxBatch, alerts: inout [Alert]) {
        let input = DetectionInput(batch: batch, features: FeatureMatrix(dimensions: 1, rows: batch.count))
        for index in detectors.indices {
            detectors[index].process(input, alerts: &alerts)
        }
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
