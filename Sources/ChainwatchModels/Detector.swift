import ChainwatchCore

/// What every detector sees for one batch: the transactions in event order and their feature rows.
///
/// `features` row `i` describes `batch` row `i` as seen *before* that transaction updated any state.
public struct DetectionInput: Sendable {
    public var batch: TxBatch {
        didSet { (fromHashes, toHashes) = Self.accountHashes(batch) }
    }
    public var features: FeatureMatrix
    /// Dense account ids of sender and receiver per row (`UInt32.max` = no receiver), from the feature engine.
    public var fromIDs: [UInt32]
    public var toIDs: [UInt32]
    /// `AccountKey.mixedHash` of sender and receiver per row: computed once per batch for the detectors that
    /// look accounts up in hash tables, where each had hashed the same keys again (about twenty a row).
    public private(set) var fromHashes: [UInt64]
    public private(set) var toHashes: [UInt64]

    public init(batch: TxBatch, features: FeatureMatrix, fromIDs: [UInt32] = [], toIDs: [UInt32] = []) {
        self.batch = batch
        self.features = features
        self.fromIDs = fromIDs
        self.toIDs = toIDs
        (fromHashes, toHashes) = Self.accountHashes(batch)
    }

    private static func accountHashes(_ batch: TxBatch) -> ([UInt64], [UInt64]) {
        (batch.from.map(\.mixedHash), batch.to.map(\.mixedHash))
    }
}

/// One detector behind one tiny interface: look at a batch, emit alerts, learn.
///
/// Detectors are fed batches strictly in event order and must be deterministic: the same batches give the
/// same alerts, whatever the wall clock or batch boundaries. A detector that learns online must not learn
/// from the transactions it alerted on.
public protocol Detector {
    /// The `detector` column of the alerts it raises (`amount_zscore`, `isolation_forest`, `peel_chain`, …); a
    /// detector that runs several in one pass joins their names with `+` (`fan_out+fan_in`).
    var name: String { get }
    /// Scores `input` and appends alerts for it, then updates internal state with the batch.
    mutating func process(_ input: DetectionInput, alerts: inout [Alert])
}

/// A detector with a score for every row, not only for the rows it alerts on (backtests rank by it).
public protocol RowScoringDetector: Detector {
    /// One score per row of the batch handled by the last `process` call, higher = more anomalous.
    var lastRowScores: [Double] { get }
}
