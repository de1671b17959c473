import ChainwatchCore

/// Every scored transaction of a replay, one row per transaction in event order: the input to
/// ``BacktestMetrics`` and the `--scores` CSV. Columnar and append-only, like ``TxBatch``.
///
///     row:            0          1          …
///     txHash         [0x5b4d…   0xe6e3…   ]   StringColumn
///     blockNumber    [3300400   3300400   ]   blocks
///     blockTime      [1488775107 …        ]   Unix seconds of block time
///     combined       [0.61      0.12      ]   higher = more anomalous
///     detectorScores [[…] per detector    ]   one column per name in detectorNames
///     alertedBy      [0b01      0         ]   bit i = detectorNames[i] alerted
///
/// - Warning: Columns must stay in step: append only through the `append` methods.
public struct ScoreTable: Sendable, Equatable {
    public private(set) var txHash = StringColumn()
    public private(set) var blockNumber: [Int64] = []
    /// Unix seconds, UTC (block time, not wall clock).
    public private(set) var blockTime: [Int64] = []
    /// Lowercased addresses as in the input; `to` is empty for a contract creation.
    public private(set) var from = StringColumn()
    public private(set) var to = StringColumn()
    /// The combined (ensemble) score.
    public private(set) var combined: [Double] = []
    public let detectorNames: [String]
    /// `detectorScores[d][row]`: the raw score of detector `d` (NaN where it did not score the row).
    public private(set) var detectorScores: [[Double]]
    /// Bit `d` set when detector `d` alerted on the row (at most 32 detectors).
    public private(set) var alertedBy: [UInt32] = []

    /// - Precondition: at most 32 detectors (one bit each in ``alertedBy``).
    public init(detectorNames: [String]) {
        precondition(detectorNames.count <= 32, "ScoreTable holds at most 32 detectors")
        self.detectorNames = detectorNames
        detectorScores = Array(repeating: [], count: detectorNames.count)
    }

    public var count: Int { blockNumber.count }
    /// Whether any detector alerted on each row.
    public var alerted: [Bool] { alertedBy.map { $0 != 0 } }

    /// Appends one row. `detectorScores` is in ``detectorNames`` order.
    public mutating func append(
        txHash hash: String, blockNumber block: Int64, blockTime time: Int64, from sender: String, to receiver: String?,
        combined score: Double, detectorScores scores: [Double], alertedBy mask: UInt32
    ) {
        precondition(scores.count == detectorNames.count, "one score per detector")
        txHash.append(hash)
        blockNumber.append(block)
        blockTime.append(time)
        from.append(sender.lowercased())
        to.append(receiver?.lowercased() ?? "")
        combined.append(score)
        for (column, value) in scores.enumerated() { detectorScores[column].append(value) }
        alertedBy.append(mask)
    }

    /// Appends every row of a scored batch: `combined[i]`, `detectorScores[d][i]` and `alertedBy[i]` belong
    /// to row `i` of `batch`.
    public mutating func append(batch: TxBatch, combined scores: [Double], detectorScores columns: [[Double]], alertedBy masks: [UInt32]) {
        precondition(scores.count == batch.count && masks.count == batch.count, "one score and mask per row")
        precondition(columns.count == detectorNames.count && columns.allSatisfy { $0.count == batch.count }, "one column per detector")
        for row in 0 ..< batch.count {
            txHash.append(from: batch.hash, at: row)
            blockNumber.append(batch.blockNumber[row])
            blockTime.append(batch.blockTime[row])
            from.append(batch.fromAddress[row].lowercased())
            to.append(batch.flags[row].contains(.contractCreation) ? "" : batch.toAddress[row].lowercased())
        }
        combined.append(contentsOf: scores)
        for column in columns.indices { detectorScores[column].append(contentsOf: columns[column]) }
        alertedBy.append(contentsOf: masks)
    }

    /// Ground truth per row from `labels` (unlabelled rows are negative).
    public func positives(_ labels: LabelSet) -> [Bool] {
        (0 ..< count).map { labels.isPositive(txHash: txHash[$0], from: from[$0], to: to[$0].isEmpty ? nil : to[$0]) }
    }

    /// The label category per row (see ``LabelSet/category(txHash:from:to:)``).
    public func categories(_ labels: LabelSet) -> [String?] {
        (0 ..< count).map { labels.category(txHash: txHash[$0], from: from[$0], to: to[$0].isEmpty ? nil : to[$0]) }
    }
}
