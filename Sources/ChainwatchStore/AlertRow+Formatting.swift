import ChainwatchCore
import Foundation

extension AlertRow {
    /// One JSON object with every column, for `chainwatch alerts --json` (one per line, no newline added).
    ///
    /// Keys are the column names in table order; `reasons` is embedded as JSON, not as a string. Numbers
    /// use Swift's shortest round-tripping form (not ``JSONObjectWriter/number(_:)``'s 6 digits), so a
    /// consumer reads back the exact stored `score`, `calibrated` and `amount`; non-finite values are `null`.
    ///
    ///     {"id":1,"run_id":1,"chain":"ethereum","tx_hash":"0xeb10…","block_number":17173049,…,"reasons":{"z":7.5}}
    public var jsonLine: String {
        var writer = JSONObjectWriter()
        writer.add("id", id)
        writer.add("run_id", runID)
        writer.add("chain", alert.chain.rawValue)
        writer.add("tx_hash", alert.txHash)
        writer.add("block_number", alert.blockNumber)
        writer.add("block_time", alert.blockTime)
        writer.add("from_address", alert.fromAddress)
        Self.add(&writer, "to_address", alert.toAddress)
        writer.add("value_wei", alert.valueRaw)
        writer.add("amount", rawJSON: Self.exactNumber(alert.amount))
        writer.add("detector", alert.detector)
        Self.add(&writer, "typology", alert.typology)
        writer.add("score", rawJSON: Self.exactNumber(alert.score))
        writer.add("calibrated", rawJSON: alert.calibrated.map(Self.exactNumber) ?? "null")
        // The schema guarantees valid JSON; an empty string (impossible through the store) still prints valid output.
        writer.add("reasons", rawJSON: alert.reasons.isEmpty ? "null" : alert.reasons)
        Self.add(&writer, "model_id", alert.modelID)
        return writer.finished()
    }

    /// One readable line for a terminal:
    ///
    ///     #12 block 17173049 0xeb10…8dd0 amount_zscore score 7.52 cal 0.9990 0xae2f…ae13→0x1f98…f984 32.0000 ETH  z=7.5,mean=0.3
    ///
    /// `cal -` when uncalibrated, `→(create)` for a contract creation. The reason summary is `reasons` shortened
    /// (see `reasonSummary(_:)`).
    public var humanLine: String {
        let unit = alert.chain == .bitcoin ? "BTC" : "ETH"
        let calibrated = alert.calibrated.map { String(format: "%.4f", $0) } ?? "-"
        let to = alert.toAddress.map(Self.short) ?? "(create)"
        var line = "#\(id) block \(alert.blockNumber) \(Self.short(alert.txHash)) \(alert.detector)"
        if let typology = alert.typology { line += "/\(typology)" }
        line += " score \(String(format: "%.3g", alert.score)) cal \(calibrated)"
        line += " \(Self.short(alert.fromAddress))→\(to) \(String(format: "%.4f", alert.amount)) \(unit)"
        let summary = Self.reasonSummary(alert.reasons)
        if !summary.isEmpty { line += "  " + summary }
        return line
    }

    private static func add(_ writer: inout JSONObjectWriter, _ key: String, _ value: String?) {
        if let value { writer.add(key, value) } else { writer.addNull(key) }
    }

    private static func exactNumber(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    /// `0xeb10…8dd0`: the first 6 and last 4 characters of anything longer than 12.
    static func short(_ text: String) -> String {
        guard text.count > 12 else { return text }
        return "\(text.prefix(6))…\(text.suffix(4))"
    }

    /// The reasons text, shortened for a terminal: the outer braces and quotes dropped, `:` shown as `=`,
    /// cut to 72 characters. Order is the writer's (detectors put the strongest evidence first).
    ///
    ///     {"z":7.52,"top":["amount","gas"]}  →  z=7.52,top=[amount,gas]
    static func reasonSummary(_ reasons: String) -> String {
        var text = Substring(reasons.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("{"), text.hasSuffix("}") { text = text.dropFirst().dropLast() }
        let compact = text.replacingOccurrences(of: "\":", with: "=").replacingOccurrences(of: "\"", with: "")
        return compact.count > 72 ? compact.prefix(71) + "…" : compact
    }
}
