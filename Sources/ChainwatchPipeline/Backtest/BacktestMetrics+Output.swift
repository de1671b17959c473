import ChainwatchCore
import Foundation

extension BacktestMetrics {
    /// One JSON object, keys in a fixed order (two runs compare byte for byte); curves are left out
    /// (they are in the HTML report); undefined metrics are `null`.
    public var json: String {
        var writer = JSONObjectWriter()
        writer.add("transactions", transactions)
        writer.add("positives", positives)
        writer.add("negatives", transactions - positives)
        writer.add("unlabelled_as_negative", true)
        writer.add("alerts", alerts)
        Self.add(&writer, "alerts_per_1000_tx", alertsPerThousand)
        Self.add(&writer, "alerts_per_day", alertsPerDay)
        Self.add(&writer, "first_block", firstBlock.map(Double.init))
        Self.add(&writer, "last_block", lastBlock.map(Double.init))
        Self.add(&writer, "first_block_time", firstBlockTime.map(Double.init))
        Self.add(&writer, "last_block_time", lastBlockTime.map(Double.init))
        writer.add("k", k)
        writer.add("overall", rawJSON: Self.json(overall))
        writer.add("detectors", rawJSON: JSONObjectWriter.array(detectors.map(Self.json)))
        writer.add("categories", rawJSON: JSONObjectWriter.array(categories.map(Self.json)))
        var delayWriter = JSONObjectWriter()
        delayWriter.add("detected", delay.detected)
        delayWriter.add("undetected", delay.undetected)
        Self.add(&delayWriter, "median_blocks", delay.medianBlocks)
        Self.add(&delayWriter, "mean_blocks", delay.meanBlocks)
        Self.add(&delayWriter, "max_blocks", delay.maxBlocks.map(Double.init))
        writer.add("detection_delay", rawJSON: delayWriter.finished())
        return writer.finished()
    }

    /// A few lines for stderr at the end of a replay.
    public var summaryLines: [String] {
        var lines = [
            "backtest: \(transactions) tx, \(positives) positive (unlabelled = negative), \(alerts) alerts"
                + " (\(Self.text(alertsPerThousand, digits: 1)) per 1,000 tx, \(Self.text(alertsPerDay, digits: 1)) per day of block time)",
        ]
        for ranking in [overall] + detectors {
            lines.append("  \(ranking.name): " + Self.line(ranking, k: k))
        }
        for ranking in categories {
            lines.append("  category \(ranking.name): " + Self.line(ranking, k: k))
        }
        lines.append(
            "  detection delay: \(delay.detected) detected, \(delay.undetected) undetected, median "
                + "\(Self.text(delay.medianBlocks, digits: 1)) blocks, mean \(Self.text(delay.meanBlocks, digits: 1)), max "
                + (delay.maxBlocks.map(String.init) ?? "n/a")
        )
        return lines
    }

    static func line(_ ranking: Ranking, k: Int) -> String {
        "ROC-AUC \(text(ranking.rocAUC)), PR-AUC \(text(ranking.prAUC)), precision@\(k) \(text(ranking.precisionAtK)), "
            + "recall at alerts \(text(ranking.recallAtAlerts)) (\(ranking.alerts) alerts, \(ranking.positives) positives)"
    }

    /// `n/a` for an undefined metric, else fixed-point with `digits` decimals.
    static func text(_ value: Double?, digits: Int = 3) -> String {
        guard let value, value.isFinite else { return "n/a" }
        return String(format: "%.\(digits)f", value)
    }

    static func json(_ ranking: Ranking) -> String {
        var writer = JSONObjectWriter()
        writer.add("name", ranking.name)
        writer.add("positives", ranking.positives)
        writer.add("negatives", ranking.negatives)
        add(&writer, "roc_auc", ranking.rocAUC)
        add(&writer, "pr_auc", ranking.prAUC)
        add(&writer, "precision_at_k", ranking.precisionAtK)
        writer.add("alerts", ranking.alerts)
        add(&writer, "recall_at_alerts", ranking.recallAtAlerts)
        add(&writer, "precision_at_alerts", ranking.precisionAtAlerts)
        return writer.finished()
    }

    static func add(_ writer: inout JSONObjectWriter, _ key: String, _ value: Double?) {
        if let value { writer.add(key, value) } else { writer.addNull(key) }
    }
}
