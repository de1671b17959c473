/// One alert: a transaction, the detector that flagged it, and why.
///
/// - Warning: Fields map one to one onto the `alerts` table in ChainwatchStore; keep them in step.
public struct Alert: Sendable, Equatable {
    public var chain: Chain
    public var txHash: String
    public var blockNumber: Int64
    /// Unix seconds, UTC (event time, not wall clock).
    public var blockTime: Int64
    public var fromAddress: String
    public var toAddress: String?
    /// Exact integer amount in base units (wei, satoshi).
    public var valueRaw: String
    /// Amount in ETH / BTC.
    public var amount: Double
    /// `amount_zscore`, `isolation_forest`, `autoencoder`, `ensemble`, `peel_chain`, …
    public var detector: String
    /// The money-laundering / attack typology, for typology detectors.
    public var typology: String?
    /// The detector's raw score (higher = more anomalous).
    public var score: Double
    /// The calibrated score in [0, 1]: the share of normal traffic scoring below this one.
    public var calibrated: Double?
    /// A JSON object saying why (top features, evidence, model id).
    public var reasons: String
    public var modelID: String?

    public init(
        chain: Chain, txHash: String, blockNumber: Int64, blockTime: Int64, fromAddress: String, toAddress: String?,
        valueRaw: String, amount: Double, detector: String, typology: String? = nil, score: Double,
        calibrated: Double? = nil, reasons: String, modelID: String? = nil
    ) {
        self.chain = chain
        self.txHash = txHash
        self.blockNumber = blockNumber
        self.blockTime = blockTime
        self.fromAddress = fromAddress
        self.toAddress = toAddress
        self.valueRaw = valueRaw
        self.amount = amount
        self.detector = detector
        self.typology = typology
        self.score = score
        self.calibrated = calibrated
        self.reasons = reasons
        self.modelID = modelID
    }

    /// An alert for row `index` of `batch`, filling the transaction fields. The batch is borrowed: an
    /// initializer takes its arguments owned by default, which copied the batch (a retain per column).
    public init(
        batch: borrowing TxBatch, row index: Int, detector: String, typology: String? = nil, score: Double,
        calibrated: Double? = nil, reasons: String, modelID: String? = nil
    ) {
        let flags = batch.flags[index]
        self.init(
            chain: batch.chain, txHash: batch.hash[index], blockNumber: batch.blockNumber[index],
            blockTime: batch.blockTime[index], fromAddress: batch.fromAddress[index],
            toAddress: flags.contains(.contractCreation) ? nil : batch.toAddress[index],
            valueRaw: batch.valueRaw[index], amount: batch.amount[index], detector: detector, typology: typology,
            score: score, calibrated: calibrated, reasons: reasons, modelID: modelID
        )
    }
}
