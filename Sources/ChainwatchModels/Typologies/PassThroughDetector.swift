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
    /// Each receiving account's pending incoming transfers, oldest first, in ``lists`` (no array of its own
    /// per account, and no copy of the list at each lookup).
    private var pending = _SlotTable<AccountKey, _ListArena<_TxRef>.List>()
    private var lists = _ListArena<_TxRef>(
        filler: _TxRef(hash: _TxHash(words: (0, 0, 0, 0)), block: 0, time: 0, amount: 0, from: .none, to: .none)
    )
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
            if let slot = pending.find(from, hash: input.fromHashes[row]),
                let match = bestMatch(in: pending[slot], amount: amount, block: block)
            {
                let received = lists.element(match, of: pending[slot])
                lists.remove(at: match, from: &pending[slot])
                if pending[slot].isEmpty { remove([slot]) }
                alerts.append(alert(batch: batch, row: row, received: received))
            }
            guard amount >= configuration.minAmount else { continue }
            let slot = pending.findOrInsert(to, hash: input.toHashes[row], value: _ListArena<_TxRef>.List()).slot
            append(_TxRef(batch: batch, row: row), to: slot)
            if pending.count > configuration.maxTracked { enforceCap(now: block) }
        }
    }

    /// Appends to the account's list in place, keeping its latest `maxPendingPerAccount` entries (the account
    /// stays tracked, with an empty list, when that is 0).
    private mutating func append(_ ref: _TxRef, to slot: Int) {
        let limit = configuration.maxPendingPerAccount
        guard limit > 0 else { return lists.removeAll(from: &pending[slot]) }
        lists.append(ref, to: &pending[slot], keeping: limit)
    }

    private func bestMatch(in incoming: _ListArena<_TxRef>.List, amount: Double, block: Int64) -> Int? {
        var best: Int?
        var bestError = Double.infinity
        for index in 0 ..< Int(incoming.count) {
            let ref = lists.element(index, of: incoming)
            guard block - ref.block <= configuration.maxBlocks, block >= ref.block else { continue }
            let error = abs(amount - ref.amount)
            if error <= configuration.tolerance * ref.amount, error < bestError * ref.amount {
                best = index
                bestError = error / ref.amount
            }
        }
        return best
    }

    /// Block of an account's latest pending transfer (`.min` with none), which sweeps and the cap go by.
    private static func lastBlock(_ list: _ListArena<_TxRef>.List, in lists: _ListArena<_TxRef>) -> Int64 {
        list.isEmpty ? .min : lists.element(Int(list.count) - 1, of: list).block
    }

    /// Drops the accounts in `slots` with their pending transfers.
    private mutating func remove(_ slots: [Int]) {
        for slot in slots { lists.release(&pending[slot]) }
        pending.remove(slots: slots)
    }

    private mutating func sweep(now: Int64) {
        let cutoff = now - configuration.maxBlocks
        let lists = lists
        remove(_RecencyEviction.expiredSlots(pending) { Self.lastBlock($0, in: lists) < cutoff })
    }

    private mutating func enforceCap(now: Int64) {
        sweep(now: now)
        let lists = lists
        remove(_RecencyEviction.doomedSlots(pending, keep: _RecencyEviction.target(cap: configuration.maxTracked)) {
            Self.lastBlock($0, in: lists)
        })
    }

    private func alert(batch: TxBatch, row: Int, received: _TxRef) -> Alert {
        let amount = batch.amount[row]
        var reasons = _ReasonsWriter()
        reasons.add("pattern", "account forwarded about the amount it had just received")
        reasons.add("account", address: batch.from[row])
        reasons.add("received", transaction: received)
        reasons.add("forwarded", transaction: _TxRef(batch: batch, row: row))
        reasons.add("ratio", amount / received.amount)
        reasons.add("blocks_between", batch.blockNumber[row] - received.block)
        reasons.addObject("parameters") { parameters in
            parameters.add("min_amount_eth", configuration.minAmount)
            parameters.add("tolerance", configuration.tolerance)
            parameters.add("max_blocks", configuration.maxBlocks)
        }
        return Alert(batch: batch, row: row, detector: name, typology: name, score: amount, reasons: reasons.finished())
    }
}
