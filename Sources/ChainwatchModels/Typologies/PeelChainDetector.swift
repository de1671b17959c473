import ChainwatchCore

/// Flags peel chains: a large amount hops from account to account in quick succession, each hop keeping
/// most of the value and peeling a small part off.
///
/// Rule: a transfer `A → B` (amount ≥ ``Configuration/minAmount`` ETH, no self-transfer, no contract
/// creation) *extends* the chain that ended at `A` when its amount is between ``Configuration/minRatio`` and
/// ``Configuration/maxRatio`` (inclusive) of that chain's last hop and it comes at most
/// ``Configuration/maxGapSeconds`` of block time after it; the chain then ends at `B` with one hop more and
/// `A` is consumed. Otherwise the transfer starts a one-hop chain at `B` (unless `B` already ends a longer
/// live chain). A transfer alerts when its chain reaches ``Configuration/minHops`` hops and again on every
/// further hop (the chain grew). `score` = hops.
///
/// Memory: one chain per account it ends at, ≤ ``Configuration/maxTracked`` accounts, each with at most 20
/// hops of evidence. Cost: one or two hash operations per row at or above `minAmount`.
public struct PeelChainDetector: Detector, Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// Hops (transfers) a chain needs before it alerts.
        public var minHops: Int = 4
        /// Every hop moves at least this many ETH.
        public var minAmount: Double = 1
        /// The next hop keeps at least this share of the previous hop's amount.
        public var minRatio: Double = 0.8
        /// … and at most this share (above it the hop is a plain forward, not a peel).
        public var maxRatio: Double = 0.999
        /// Longest gap in seconds of block time between consecutive hops (one hour).
        public var maxGapSeconds: Int64 = 3_600
        /// Cap on tracked chain ends; the least recently active are dropped beyond it.
        public var maxTracked: Int = 100_000

        public init() {}
    }

    struct Chain: Sendable {
        var hops: Int
        var last: _TxRef
        /// Earlier hops, oldest first, at most `_Evidence.listCap − 1` of them.
        var earlier: [_TxRef] = []
    }

    public let name = "peel_chain"
    public let configuration: Configuration
    /// Chains by the account they end at, kept in place (a chain is 170 bytes: a dictionary copied it in
    /// and out at every lookup and update).
    private var chains = _SlotTable<AccountKey, Chain>()
    private var sweeps: _SweepSchedule

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        sweeps = _SweepSchedule(period: configuration.maxGapSeconds)
    }

    /// Chain ends currently held in memory.
    public var trackedEntries: Int { chains.count }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        for row in 0 ..< batch.count where batch.amount[row] >= configuration.minAmount {
            let from = batch.from[row], to = batch.to[row]
            guard from != to, !batch.flags[row].contains(.contractCreation) else { continue }
            let time = batch.blockTime[row], amount = batch.amount[row]
            if sweeps.isDue(at: time) { sweep(now: time) }
            var next = Chain(hops: 1, last: _TxRef(batch: batch, row: row))
            if let slot = chains.find(from, hash: input.fromHashes[row]),
                extends(chains[slot].last.time, chains[slot].last.amount, amount: amount, time: time)
            {
                let chain = chains[slot]
                chains.remove(slot: slot)
                next.hops = chain.hops + 1
                next.earlier = chain.earlier
                next.earlier.append(chain.last)
                if next.earlier.count >= _Evidence.listCap { next.earlier.removeFirst() }
                if next.hops >= configuration.minHops { alerts.append(alert(batch: batch, row: row, chain: next)) }
            }
            let (slot, isNew) = chains.findOrInsert(to, hash: input.toHashes[row], value: next)
            if !isNew {
                // A longer live chain already ending at `to` is kept.
                if chains[slot].hops > next.hops, time - chains[slot].last.time <= configuration.maxGapSeconds { continue }
                chains[slot] = next
            }
            if chains.count > configuration.maxTracked { enforceCap(now: time) }
        }
    }

    /// Whether a transfer of `amount` at `time` is the next hop after a last hop at `lastTime` of `lastAmount`.
    @inline(__always)
    private func extends(_ lastTime: Int64, _ lastAmount: Double, amount: Double, time: Int64) -> Bool {
        time - lastTime <= configuration.maxGapSeconds && amount >= lastAmount * configuration.minRatio
            && amount <= lastAmount * configuration.maxRatio
    }

    private mutating func sweep(now: Int64) {
        let cutoff = now - configuration.maxGapSeconds
        chains.remove(slots: _RecencyEviction.expiredSlots(chains) { $0.last.time < cutoff })
    }

    private mutating func enforceCap(now: Int64) {
        sweep(now: now)
        chains.remove(slots: _RecencyEviction.doomedSlots(chains, keep: _RecencyEviction.target(cap: configuration.maxTracked)) { $0.last.time })
    }

    private func alert(batch: TxBatch, row: Int, chain: Chain) -> Alert {
        let hops = chain.earlier + [chain.last]
        var reasons = _ReasonsWriter()
        reasons.add("pattern", "value hops through consecutive accounts, peeling a small part off at each hop")
        reasons.add("hops", chain.hops)
        reasons.add("start_amount_eth", hops[0].amount)
        reasons.add("end_amount_eth", chain.last.amount)
        reasons.addHops(hops, windowEnd: chain.last.time)
        reasons.addObject("parameters") { parameters in
            parameters.add("min_hops", configuration.minHops)
            parameters.add("min_amount_eth", configuration.minAmount)
            parameters.add("min_ratio", configuration.minRatio)
            parameters.add("max_ratio", configuration.maxRatio)
            parameters.add("max_gap_s", configuration.maxGapSeconds)
        }
        return Alert(batch: batch, row: row, detector: name, typology: name, score: Double(chain.hops), reasons: reasons.finished())
    }
}
