import ChainwatchCore
import ChainwatchFeatures
import Dispatch

/// sources → decode → reorder → features, with no detectors and no database: what `chainwatch features`
/// and `chainwatch train` need. Same reader thread and event order as ``Pipeline``, so the rows a model is
/// trained on are exactly the rows `run` would compute.
public struct FeatureExtraction {
    public let configuration: PipelineConfiguration
    /// Polled between batches, like ``Pipeline/isInterrupted``.
    public var isInterrupted: () -> Bool = { InterruptFlag.isRaised }

    public init(configuration: PipelineConfiguration) {
        self.configuration = configuration
    }

    /// Calls `body` with every batch and its feature rows, in event order; `body` returns false to stop early.
    ///
    /// - Returns: the reader's counters (rows, quarantined, late) and the feature engine's statistics.
    @discardableResult
    public func run(
        _ body: (TxBatch, FeatureMatrix, FeatureCatalogue) throws(ChainwatchError) -> Bool
    ) throws(ChainwatchError) -> (totals: ReaderTotals, features: FeatureStatistics) {
        var engine = FeatureEngine(configuration: configuration.features)
        var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
        let reader = ReaderStage(configuration: configuration)
        reader.start()
        var quarantined: Int64 = 0
        while true {
            if isInterrupted() {
                reader.cancel()
                throw ChainwatchError(.interrupted, "interrupted")
            }
            guard let message = reader.queue.pop(timeout: .milliseconds(100)) else { continue }
            switch message {
            case .batch(let batch, let quarantine):
                quarantined += Int64(quarantine.count)
                guard !batch.isEmpty else { continue }
                engine.process(batch, into: &features)
                if try !body(batch, features, engine.catalogue) {
                    reader.cancel()
                    var totals = ReaderTotals()
                    totals.rowsQuarantined = quarantined
                    return (totals, engine.statistics)
                }
            case .finished(var totals):
                totals.rowsQuarantined = quarantined
                return (totals, engine.statistics)
            case .failed(let error, _):
                throw error
            }
        }
    }
}
