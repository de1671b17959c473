import ChainwatchCore

/// Builds the alert of a distinct-counterparty detector (fan-out, fan-in, dusting) from its window entries.
enum _FanAlert {
    static func make(
        batch: TxBatch, row: Int, detector: String, pattern: String, hubIsSender: Bool, evidence: _FanCounter.Evidence,
        minCounterparties: Int, windowSeconds: Int64, noveltySeconds: Int64?,
        extra: (name: StaticString, value: Double)
    ) -> Alert {
        let shown = evidence.shown
        var reasons = _ReasonsWriter(capacity: 4_096)
        reasons.add("pattern", pattern)
        if hubIsSender { reasons.add("sender", address: batch.from[row]) } else { reasons.add("receiver", address: batch.to[row]) }
        reasons.add("counterparties", evidence.count)
        reasons.add("total_amount_eth", evidence.totalAmount)
        reasons.addWindow(from: evidence.firstTime ?? 0, to: batch.blockTime[row])
        reasons.addArray("counterparty_addresses", shown) { $0.appendAddress($1.counterparty) }
        reasons.addArray("hashes", shown) { evidence.appendHash(of: $1, to: &$0) }
        reasons.addArray("amounts_eth", shown) { $0.appendNumber($1.amount) }
        reasons.addObject("parameters") { parameters in
            parameters.add("min_counterparties", minCounterparties)
            parameters.add("window_s", windowSeconds)
            if let noveltySeconds { parameters.add("novelty_s", noveltySeconds) }
            parameters.add(extra.name, extra.value)
        }
        return Alert(
            batch: batch, row: row, detector: detector, typology: detector, score: Double(evidence.count),
            reasons: reasons.finished()
        )
    }
}
