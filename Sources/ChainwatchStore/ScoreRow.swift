/// One transaction's score in one run, kept for evaluation (`scores` table), alerted or not.
public struct ScoreRow: Sendable, Equatable {
    public var txHash: String
    public var blockNumber: Int64
    /// The raw score (higher = more anomalous).
    public var score: Double
    /// An optional JSON object with per-detector parts.
    public var partsJSON: String?

    public init(txHash: String, blockNumber: Int64, score: Double, partsJSON: String? = nil) {
        self.txHash = txHash
        self.blockNumber = blockNumber
        self.score = score
        self.partsJSON = partsJSON
    }
}
