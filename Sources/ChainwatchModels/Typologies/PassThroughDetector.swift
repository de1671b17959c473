import ChainwatchCore

/// Flags pass-through (money-mule) accounts: an account receives an amount and forwards about the same
/// amount within a few blocks.
///
/// Rule: a transfer `W → B` of at least ``Configuration/minAmount`` ETH is remembered as pending at `B`
/// (the latest ``Configuration/maxPendingPerAccount`` per account). A later transfer `B → C` (no
/// self-transfer, no contract creation) alerts when a pending incoming amount `x` of `B` satisfies
/// `|amount − x| ≤ tolerance × x` and `0 ≤ block(B → C) − block(W → B) ≤ maxBlocks`; the closest amount
/// (then the earliest) is chosen and consumed, so each incoming transfer explains at most one alert.
/// `score` = the forwarded amount in ETH.
///
/// Memory: ≤ ``Configuration/maxTracked`` receiving accounts. Cost: one hash lookup per row at or above
/// `minAmount`, plus a scan of ≤ `maxPendingPerAccount` entries for senders with pending amounts.
public struct PassThroughDetector: Detector, Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// Smallest incoming amount in ETH worth following (5 ETH: at 1 ETH, exchange deposit-address sweeps
        /// alone made 3.1 % of the 2017 sample alert).
        public var minAmount: Double = 5
        /// Relative tolerance between received and forwarded amounts (0.05 = ±5 %).
        public var tolerance: Double = 0.05
        /// Most blocks between receiving and forwarding.
        public var maxBlocks: Int64 = 10
        /// Incoming transfers remembered per account (the latest ones).
        public var maxPendingPerAccount: Int = 8
        /// Cap on tracked receiving accounts; the least recently active are dropped beyond it.
        public var maxTracked: Int = 100_000

        public init() {}
    }

    public let name = "pass_through"
    public let configuration: Configuration
    private var pending: [_AccountSlot: [_TxRef]] = [:]
    private var sweeps: _SweepSchedule

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        sweeps = _SweepSchedule(period: max(1_000, configuration.maxBlocks))
    }

    /// Accounts with pending incoming transfers currently held in memory.
    public var trackedEntries: Int { pending.count }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        for row in 0 ..< batch.count {
            let amount = batch.amount[row]
            guard amount >= configuration.minAmount * (1 - configuration.tolerance) else { continue }
            let from = batch.from[row], to = batch.to[row]
            guard from != to, !batch.flags[row].contains(.contractCreation) else { continue }
            let block = batch.blockNumber[row]
            if sweeps.isDue(at: block) { sweep(now: block) }
            if var incoming = pending[_AccountSlot(from)], let match = bestMatch(in: incoming, amount: amount, block: block) {
                let received = incoming.remove(at: match)
                pending[_AccountSlot(from)] = incoming.isEmpty ? nil : incoming
                alerts.append(alert(batch: batch, row: row, received: received))
            }
            guard amount >= configuration.minAmount else { continue }
            Self.append(_TxRef(batch: batch, row: row), to: &pending[_AccountSlot(to), default: []], keeping: configuration.maxPendingPerAccount)
            if pending.count > configuration.maxTracked { enforceCap(now: block) }
        }
    }

    /// Appends in place (one hash lookup), keeping the latest `limit` entries.
    private static func append(_ ref: _TxRef, to list: inout [_TxRef], keeping limit: Int) {
        list.append(ref)
        if list.count > limit { list.removeFirst(list.count - limit) }
    }

    private func bestMatch(in incoming: [_TxRef], amount: Double, block: Int64) -> Int? {
        var best: Int?
        var bestError = Double.infinity
        for (index, ref) in incoming.enumerated() where block - ref.block <= configuration.maxBlocks && block >= ref.block {
            let error = abs(amount - ref.amount)
            if error <= configuration.tolerance * ref.amount, error < bestError * ref.amount {
                best = index
                bestError = error / ref.amount
            }
        }
        return best
    }

    private mutating func sweep(now: Int64) {
        let cutoff = now - configuration.maxBlocks
        _RecencyEviction.removeExpired(&pending) { ($0.last?.block ?? .min) < cutoff }
    }

    private mutating func enforceCap(now: Int64) {
        sweep(now: now)
        _RecencyEviction.shrink(&pending, keep: _RecencyEviction.target(cap: configuration.maxTracked)) {
            $0.last?.block ?? .min
        }
    }

    private func alert(batch: TxBatch, row: Int, received: _TxRef) -> Alert {
        let amount = batch.amount[row]
        var reasons = JSONObjectWriter()
        reasons.add("pattern", "account forwarded about the amount it had just received")
        reasons.add("account", batch.from[row]._hex)
        reasons.add("received", rawJSON: received.json)
        reasons.add("forwarded", rawJSON: _TxRef(batch: batch, row: row).json)
        reasons.add("ratio", amount / received.amount)
        reasons.add("blocks_between", batch.blockNumber[row] - received.block)
        var parameters = JSONObjectWriter()
        parameters.add("min_amount_eth", configuration.minAmount)
        parameters.add("tolerance", configuration.tolerance)
        parameters.add("max_blocks", configuration.maxBlocks)
        reasons.add("parameters", rawJSON: parameters.finished())
        return Alert(batch: batch, row: row, detector: name, typology: name, score: amount, reasons: reasons.finished())
    }
}
