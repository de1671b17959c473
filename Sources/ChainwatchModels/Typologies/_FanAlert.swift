import ChainwatchCore

/// Builds the alert of a distinct-counterparty detector (fan-out, fan-in, dusting) from its window entries.
enum _FanAlert {
    static func make(
        batch: TxBatch, row: Int, detector: String, pattern: String, hubRole: String, evidence: _FanCounter.Evidence,
        counterparty: (_TxRef) -> AccountKey, minCounterparties: Int, windowSeconds: Int64, noveltySeconds: Int64?,
        extra: [(String, Double)]
    ) -> Alert {
        let shown = evidence.shown
        let hub = hubRole == "sender" ? batch.from[row] : batch.to[row]
        var reasons = JSONObjectWriter()
        reasons.add("pattern", pattern)
        reasons.add(hubRole, hub._hex)
        reasons.add("counterparties", evidence.count)
        reasons.add("total_amount_eth", evidence.totalAmount)
        reasons.add("window", rawJSON: _Evidence.window(from: evidence.firstTime ?? 0, to: batch.blockTime[row]))
        reasons.add("counterparty_addresses", rawJSON: _Evidence.addresses(shown.map(counterparty)))
        reasons.add("hashes", rawJSON: _Evidence.hashes(of: shown))
        reasons.add("amounts_eth", rawJSON: _Evidence.array(shown.map { JSONObjectWriter.number($0.amount) }))
        var parameters = JSONObjectWriter()
        parameters.add("min_counterparties", minCounterparties)
        parameters.add("window_s", windowSeconds)
        if let noveltySeconds { parameters.add("novelty_s", noveltySeconds) }
        for (key, value) in extra { parameters.add(key, value) }
        reasons.add("parameters", rawJSON: parameters.finished())
        return Alert(
            batch: batch, row: row, detector: detector, typology: detector, score: Double(evidence.count),
            reasons: reasons.finished()
        )
    }
}
