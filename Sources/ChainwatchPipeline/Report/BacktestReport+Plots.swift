import Foundation

extension BacktestReport {
    static let palette = ["#1f6fb2", "#e8710a", "#2e9e44", "#8e44ad", "#c0392b", "#7f8c8d", "#b8860b"]

    /// Precision–recall curves: combined score plus each detector; AUC (average precision) in the title.
    static func prPlot(_ metrics: BacktestMetrics) -> String {
        var plot = SVGPlot(
            id: "pr-curve", title: "Precision–recall · PR-AUC \(HTMLText.fixed(metrics.overall.prAUC))",
            xLabel: "recall", yLabel: "precision", x: 0 ... 1, y: 0 ... 1
        )
        for (index, ranking) in ([metrics.overall] + metrics.detectors).enumerated() {
            plot.addLine(
                ranking.prCurve.map { ($0.x, $0.y) }, color: palette[index % palette.count],
                label: "\(ranking.name) (\(HTMLText.fixed(ranking.prAUC)))", dashed: index > 0
            )
        }
        if metrics.transactions > 0 {
            let base = Double(metrics.positives) / Double(metrics.transactions)
            plot.addLine([(0, base), (1, base)], color: "#b8c0ca", label: "base rate", dashed: true)
        }
        return plot.svg()
    }

    /// ROC curves: combined score plus each detector; AUC in the title.
    static func rocPlot(_ metrics: BacktestMetrics) -> String {
        var plot = SVGPlot(
            id: "roc-curve", title: "ROC · ROC-AUC \(HTMLText.fixed(metrics.overall.rocAUC))",
            xLabel: "false-positive rate", yLabel: "true-positive rate", x: 0 ... 1, y: 0 ... 1
        )
        plot.legendBelow = true
        for (index, ranking) in ([metrics.overall] + metrics.detectors).enumerated() {
            plot.addLine(
                ranking.rocCurve.map { ($0.x, $0.y) }, color: palette[index % palette.count],
                label: "\(ranking.name) (\(HTMLText.fixed(ranking.rocAUC)))", dashed: index > 0
            )
        }
        plot.addLine([(0, 0), (1, 1)], color: "#b8c0ca", label: nil, dashed: true)
        return plot.svg()
    }

    /// Overlaid histograms of the combined score, 40 bins, positives and negatives. Counts are drawn on a
    /// log scale (log₁₀(1 + count)) when the tallest bin is over 50× the shortest non-empty one, so the
    /// few positives stay visible next to thousands of negatives.
    static func distributionPlot(table: ScoreTable, positives: [Bool]) -> String {
        let finite = table.combined.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        let bins = 40
        let width = high > low ? (high - low) / Double(bins) : 1
        var counts = [[Int]](repeating: [Int](repeating: 0, count: bins), count: 2)
        for (row, score) in table.combined.enumerated() where score.isFinite {
            let bin = min(bins - 1, Int((score - low) / width))
            counts[positives[row] ? 1 : 0][bin] += 1
        }
        let nonZero = counts.joined().filter { $0 > 0 }
        let log = (nonZero.max() ?? 1) > 50 * (nonZero.min() ?? 1)
        let height = { (count: Int) in log ? log10(1 + Double(count)) : Double(count) }
        let top = height(nonZero.max() ?? 1) * 1.05
        var plot = SVGPlot(
            id: "score-distribution", title: "Combined score: positives vs negatives",
            xLabel: "score (higher = more anomalous)", yLabel: log ? "transactions (log scale)" : "transactions",
            x: low ... low + width * Double(bins), y: 0 ... max(top, 1)
        )
        if log {
            plot.yTicks = (0 ... Int(top.rounded(.down))).map { (log10(1 + pow(10, Double($0))), HTMLText.compact(pow(10, Double($0)))) }
        }
        for (series, name, color) in [(0, "negatives", "#7f8c8d"), (1, "positives", "#c0392b")] {
            let bars = (0 ..< bins).map { (low + Double($0) * width, low + Double($0 + 1) * width, height(counts[series][$0])) }
            plot.addBars(bars, color: color, label: "\(name) (\(HTMLText.grouped(counts[series].reduce(0, +))))")
        }
        return plot.svg()
    }

    /// Alerts per bucket of blocks (at most 100 buckets over the replayed range), true positives drawn
    /// over them.
    static func timelinePlot(table: ScoreTable, positives: [Bool]) -> String {
        let first = table.blockNumber.min() ?? 0, last = table.blockNumber.max() ?? 0
        let bucket = max(1, (last - first + 100) / 100)
        let buckets = Int((last - first) / bucket) + 1
        var alerts = [Int](repeating: 0, count: buckets), hits = [Int](repeating: 0, count: buckets)
        for row in 0 ..< table.count where table.alertedBy[row] != 0 {
            let index = Int((table.blockNumber[row] - first) / bucket)
            alerts[index] += 1
            if positives[row] { hits[index] += 1 }
        }
        var plot = SVGPlot(
            id: "alert-timeline", title: "Alerts per \(bucket)-block bucket",
            xLabel: "block number", yLabel: "alerts",
            x: Double(first) ... Double(first + bucket * Int64(buckets)), y: 0 ... Double(max(1, alerts.max() ?? 1)) * 1.1
        )
        plot.integerXTicks = true
        let bars = { (values: [Int]) in
            values.indices.map { (Double(first + Int64($0) * bucket), Double(first + Int64($0 + 1) * bucket), Double(values[$0])) }
        }
        plot.addBars(bars(alerts), color: "#1f6fb2", label: "alerts (\(HTMLText.grouped(alerts.reduce(0, +))))")
        plot.addBars(bars(hits), color: "#c0392b", label: "labelled positive (\(HTMLText.grouped(hits.reduce(0, +))))", opacity: 0.8)
        return plot.svg()
    }
}
