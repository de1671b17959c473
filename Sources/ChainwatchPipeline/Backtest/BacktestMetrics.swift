/// Everything a replay measured against its labels: overall (combined score), per detector (its own
/// score column and alerts) and per label category.
///
/// **Unlabelled transactions count as negatives.** Label lists are incomplete, so precision is a lower
/// bound; the JSON says so with `"unlabelled_as_negative": true`.
public struct BacktestMetrics: Sendable {
    /// Ranking and alert-set quality of one score column against one ground truth.
    public struct Ranking: Sendable {
        /// `overall`, a detector name or a label category.
        public var name: String
        public var positives: Int
        public var negatives: Int
        public var rocAUC: Double?
        /// Average precision (scikit-learn's definition, see ``BinaryMetrics/averagePrecision(scores:labels:)``).
        public var prAUC: Double?
        /// Precision among the `k` highest scores.
        public var precisionAtK: Double?
        /// Rows in the alert set (for a detector: the rows it alerted on).
        public var alerts: Int
        public var recallAtAlerts: Double?
        public var precisionAtAlerts: Double?
        /// Plot points (≤ 200 each).
        public var rocCurve: [BinaryMetrics.CurvePoint]
        public var prCurve: [BinaryMetrics.CurvePoint]

        public init(name: String, scores: [Double], labels: [Bool], alerted: [Bool], k: Int) {
            self.name = name
            positives = labels.lazy.filter { $0 }.count
            negatives = labels.count - positives
            let ranked = BinaryMetrics.Ranked(scores: scores)
            rocAUC = BinaryMetrics.rocAUC(ranked, labels: labels)
            prAUC = BinaryMetrics.averagePrecision(ranked, labels: labels)
            precisionAtK = positives > 0 ? BinaryMetrics.precision(atK: k, ranked, labels: labels) : nil
            alerts = alerted.lazy.filter { $0 }.count
            recallAtAlerts = BinaryMetrics.recall(alerted: alerted, labels: labels)
            precisionAtAlerts = BinaryMetrics.precision(alerted: alerted, labels: labels)
            rocCurve = BinaryMetrics.rocCurve(ranked, labels: labels)
            prCurve = BinaryMetrics.precisionRecallCurve(ranked, labels: labels)
        }
    }

    public var transactions: Int
    public var positives: Int
    public var alerts: Int
    /// The `k` of precision@k (default 100).
    public var k: Int
    public var firstBlock: Int64?
    public var lastBlock: Int64?
    /// Unix seconds of block time.
    public var firstBlockTime: Int64?
    public var lastBlockTime: Int64?
    public var alertsPerThousand: Double?
    /// Per day of block time (see ``BinaryMetrics/alertsPerDay(alerts:firstBlockTime:lastBlockTime:)``).
    public var alertsPerDay: Double?
    public var overall: Ranking
    public var detectors: [Ranking]
    /// One ranking per category that has positives: that category's positives against all negatives.
    public var categories: [Ranking]
    public var delay: DetectionDelay

    /// Measures `table` against `labels`.
    ///
    /// - Parameter delayAddresses: the addresses whose detection delay is measured; by default the
    ///   positive addresses of `labels` (pass the generator's actor addresses for planted streams).
    public init(table: ScoreTable, labels: LabelSet, k: Int = 100, delayAddresses: Set<String>? = nil) {
        self.init(
            table: table, positives: table.positives(labels), categoryOfRow: table.categories(labels), k: k,
            delayAddresses: delayAddresses ?? labels.positiveAddresses
        )
    }

    /// Measures `table` against a per-row ground truth (`positives[i]`, `categoryOfRow[i]` for row `i`).
    public init(table: ScoreTable, positives isPositive: [Bool], categoryOfRow: [String?], k: Int = 100, delayAddresses: Set<String>) {
        precondition(isPositive.count == table.count && categoryOfRow.count == table.count, "one label per row")
        let alerted = table.alerted
        transactions = table.count
        positives = isPositive.lazy.filter { $0 }.count
        alerts = alerted.lazy.filter { $0 }.count
        self.k = k
        firstBlock = table.blockNumber.min()
        lastBlock = table.blockNumber.max()
        firstBlockTime = table.blockTime.min()
        lastBlockTime = table.blockTime.max()
        alertsPerThousand = BinaryMetrics.alertsPerThousand(alerts: alerts, transactions: transactions)
        if let first = table.blockTime.min(), let last = table.blockTime.max() {
            alertsPerDay = BinaryMetrics.alertsPerDay(alerts: alerts, firstBlockTime: first, lastBlockTime: last)
        } else {
            alertsPerDay = nil
        }
        overall = Ranking(name: "overall", scores: table.combined, labels: isPositive, alerted: alerted, k: k)
        let k = k
        detectors = table.detectorNames.enumerated().map { index, name in
            let bit = UInt32(1) << UInt32(index)
            return Ranking(
                name: name, scores: table.detectorScores[index], labels: isPositive,
                alerted: table.alertedBy.map { $0 & bit != 0 }, k: k
            )
        }
        var rowsByCategory: [String: [Int]] = [:]
        var negativeRows: [Int] = []
        for row in 0 ..< table.count {
            if isPositive[row] { rowsByCategory[categoryOfRow[row] ?? "(none)", default: []].append(row) }
            else { negativeRows.append(row) }
        }
        let alertedRows = alerted
        categories = rowsByCategory.keys.sorted().map { category in
            let rows = rowsByCategory[category]! + negativeRows
            let positiveCount = rowsByCategory[category]!.count
            return Ranking(
                name: category, scores: rows.map { table.combined[$0] }, labels: rows.indices.map { $0 < positiveCount },
                alerted: rows.map { alertedRows[$0] }, k: k
            )
        }
        delay = DetectionDelay(table: table, positives: isPositive, addresses: delayAddresses)
    }
}
