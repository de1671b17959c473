import Foundation

/// An independent, deliberately naive statement of the `amount_zscore` rule, for end-to-end tests.
///
/// It parses the CSV with `split`, sorts rows by (block, index), and for every sender keeps the full list
/// of earlier (time, ln(1+ETH)) points, computing the decayed weighted mean and variance directly from
/// the weights 2^(−Δt/h) — no recursive update, no shared code with the product.
enum AmountZScoreReference {
    struct Row {
        var hash: String
        var block: Int64
        var index: Int64
        var time: Int64
        var from: String
        var eth: Double
    }

    static func rows(csv text: String) -> [Row] {
        var lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        let header = lines.removeFirst().trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let (h, b, i, t, f, v) = (column("hash"), column("block_number"), column("transaction_index"),
                                  column("block_timestamp"), column("from_address"), column("value"))
        return lines.map { line in
            let fields = line.trimmingCharacters(in: .whitespacesAndNewlines)
                .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // Decimal(string:) keeps all digits of a uint256; the product uses its own parser.
            let wei = Decimal(string: fields[v])!
            let eth = NSDecimalNumber(decimal: wei / pow(Decimal(10), 18)).doubleValue
            return Row(hash: fields[h], block: Int64(fields[b])!, index: Int64(fields[i])!, time: Int64(fields[t])!,
                       from: fields[f], eth: eth)
        }
        .sorted { ($0.block, $0.index) < ($1.block, $1.index) }
    }

    /// Hashes that the rule flags.
    static func alerts(_ rows: [Row], threshold: Double = 4, minHistory: Int = 5, halfLife: Double = 86_400,
                       minStd: Double = 0.25) -> [String] {
        var history: [String: [(time: Int64, x: Double)]] = [:]
        var flagged: [String] = []
        for row in rows where row.eth > 0 {
            let x = log1p(row.eth)
            let past = history[row.from, default: []]
            if past.count >= minHistory {
                let weights = past.map { pow(2, -Double(row.time - $0.time) / halfLife) }
                let total = weights.reduce(0, +)
                let mean = zip(weights, past).map { $0 * $1.x }.reduce(0, +) / total
                let variance = zip(weights, past).map { $0 * ($1.x - mean) * ($1.x - mean) }.reduce(0, +) / total
                let z = (x - mean) / max(variance.squareRoot(), minStd)
                if z >= threshold { flagged.append(row.hash) }
            }
            history[row.from, default: []].append((row.time, x))
        }
        return flagged
    }
}
