import ChainwatchCore

/// Flags wash cycles: value returns to where it came from through a short cycle of similar transfers
/// (`A → B → A` or `A → B → C → A`).
///
/// Rule: every transfer with amount > ``Configuration/minAmount`` (no self-transfer, no contract creation)
/// is remembered at its receiver (the latest ``Configuration/maxIncomingPerAccount`` per account). A
/// transfer `X → A` closes a cycle when an unused earlier transfer `B → X` exists with `B = A` (2-cycle),
/// or with an unused earlier transfer `A → B` before it (3-cycle), when every hop's amount `a` is close
/// to the first hop's `a₁` (`|a − a₁| ≤ tolerance × a₁`, ``Configuration/tolerance``) and the first hop
/// is at most ``Configuration/windowSeconds`` of block time before the closing one. 2-cycles are preferred, then the
/// most recent candidate. The hops of a reported cycle, and the closing transfer, are marked used, so
/// repeated ping-pong alerts once per full round trip. `score` = hops in the cycle (2 or 3).
/// Works on any transfer batch (ether now, decoded token transfers later): it only reads from, to,
/// amount and block time.
///
/// Memory: ≤ ``Configuration/maxTracked`` receiving accounts. Cost: one hash lookup per row plus up to
/// `maxIncomingPerAccount²` comparisons for a receiver with similar incoming amounts.
public struct WashCycleDetector: Detector, Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// Transfers of at most this many ETH are ignored.
        public var minAmount: Double = 0
        /// Relative tolerance of every hop against the first hop (0.1 = ±10 %).
        public var tolerance: Double = 0.1
        /// Longest time from the first hop to the closing hop, in seconds of block time (one hour).
        public var windowSeconds: Int64 = 3_600
        /// Incoming transfers remembered per account (the latest ones).
        public var maxIncomingPerAccount: Int = 16
        /// Cap on tracked receiving accounts; the least recently active are dropped beyond it.
        public var maxTracked: Int = 100_000

        public init() {}
    }

    /// One remembered transfer into an account: what the cycle search compares, and what an alert shows of
    /// it (the receiver is the list's owner). Kept whole in the entry: a record in a transaction pool cost a
    /// random cold line to store for every row.
    struct Incoming: Sendable {
        /// The hash when canonical (else the transaction is in `irregular`, under ``sequence``).
        var hash: _TxHash
        var time: Int64
        var amount: Double
        /// Arrival order over all remembered transfers (a 3-cycle's first hop must precede its second).
        var sequence: Int64
        var block: Int64
        var from: AccountKey
        var used: Bool

        /// The transfer, with its receiver `to`.
        func transfer(to: AccountKey) -> _TxRef {
            _TxRef(hash: hash, block: block, time: time, amount: amount, from: from, to: to)
        }
    }

    /// A receiving account's remembered transfers, oldest first, and the time of the latest one (`.min`
    /// while none is kept), which sweeps and the cap go by.
    struct Receiver: Sendable {
        var incoming = _ListArena<Incoming>.List()
        var lastTime: Int64 = .min
    }

    /// An earlier hop of a cycle: the receiving account's slot and the hop's index in its list.
    typealias Hop = (slot: Int, index: Int)

    public let name = "wash_cycle"
    public let configuration: Configuration
    private var receivers = _SlotTable<AccountKey, Receiver>()
    private var lists = _ListArena<Incoming>(
        filler: Incoming(hash: _TxHash(words: (0, 0, 0, 0)), time: 0, amount: 0, sequence: 0, block: 0, from: .none, used: false)
    )
    /// The remembered transfers whose hash ``_TxHash`` cannot hold (none for Ethereum input), by sequence.
    private var irregular: [Int64: _TxRef] = [:]
    private var sequence: Int64 = 0
    private var sweeps: _SweepSchedule
    private var prefetchSink: UInt64 = 0

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        sweeps = _SweepSchedule(period: configuration.windowSeconds)
    }

    /// Receiving accounts currently held in memory.
    public var trackedEntries: Int { receivers.count }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        receivers.ensureUnique()
        lists.ensureUnique()
        var chunk = 0
        while chunk < batch.count {
            let rows = chunk ..< min(chunk + _Prefetch.chunkRows, batch.count)
            chunk = rows.upperBound
            for row in rows where counts(batch, row) {
                prefetchSink &+= receivers.prefetch(hash: input.fromHashes[row])
                    &+ receivers.prefetch(hash: input.toHashes[row])
            }
            for row in rows where counts(batch, row) { process(row: row, of: input, alerts: &alerts) }
        }
    }

    /// Rows the detector looks at: transfers above the minimum amount between two accounts.
    @inline(__always)
    private func counts(_ batch: TxBatch, _ row: Int) -> Bool {
        batch.amount[row] > configuration.minAmount && batch.from[row] != batch.to[row]
            && !batch.flags[row].contains(.contractCreation)
    }

    @inline(__always)
    private mutating func process(row: Int, of input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        let from = batch.from[row], to = batch.to[row], time = batch.blockTime[row], amount = batch.amount[row]
        sequence += 1
        if sweeps.isDue(at: time) { sweep(now: time) }
        var used = false
        if let closing = receivers.find(from, hash: input.fromHashes[row]),
            let cycle = findCycle(closing: closing, origin: to, amount: amount, time: time)
        {
            used = true
            var hops: [_TxRef] = []
            for hop in cycle {
                let list = receivers[hop.slot].incoming
                var entry = lists.element(hop.index, of: list)
                entry.used = true
                lists.set(hop.index, of: list, to: entry)
                hops.append(transfer(entry, to: receivers.key(hop.slot)))
            }
            alerts.append(alert(batch: batch, row: row, hops: hops))
        }
        let hash = batch.canonicalHash[row]
        let entry = Incoming(
            hash: hash ?? _TxHash(words: (0, 0, 0, 0)), time: time, amount: amount, sequence: sequence,
            block: batch.blockNumber[row], from: from, used: used
        )
        if hash == nil, configuration.maxIncomingPerAccount > 0 { irregular[sequence] = _TxRef(batch: batch, row: row) }
        let slot = receivers.findOrInsert(to, hash: input.toHashes[row], value: Receiver(), assumingUnique: true).slot
        Self.append(
            entry, to: &receivers[assumingUnique: slot], lists: &lists, irregular: &irregular,
            keeping: configuration.maxIncomingPerAccount
        )
        if receivers.count > configuration.maxTracked { enforceCap(now: time) }
    }

    /// The earlier hops, first hop first, of a cycle that the transfer `closing → origin` completes
    /// (`closing` is the slot of the account the transfer leaves).
    private func findCycle(closing: Int, origin: AccountKey, amount: Double, time: Int64) -> [Hop]? {
        let intoClosing = receivers[closing].incoming
        let cutoff = time - configuration.windowSeconds
        // 2-cycle: origin → closing → origin.
        for index in (0 ..< Int(intoClosing.count)).reversed() {
            let hop = lists.element(index, of: intoClosing)
            if !hop.used, hop.from == origin, hop.time >= cutoff, similar(amount, to: hop.amount) { return [(closing, index)] }
        }
        // 3-cycle: origin → middle → closing → origin.
        for index in (0 ..< Int(intoClosing.count)).reversed() {
            let second = lists.element(index, of: intoClosing)
            guard !second.used, second.time >= cutoff, second.from != origin, let middle = receivers.find(second.from)
            else { continue }
            let intoMiddle = receivers[middle].incoming
            for firstIndex in (0 ..< Int(intoMiddle.count)).reversed() {
                let first = lists.element(firstIndex, of: intoMiddle)
                if !first.used, first.from == origin, first.sequence < second.sequence, first.time >= cutoff,
                    similar(second.amount, to: first.amount), similar(amount, to: first.amount)
                {
                    return [(middle, firstIndex), (closing, index)]
                }
            }
        }
        return nil
    }

    /// Appends in place, keeping the latest `limit` entries (none when `limit` is 0); after
    /// `lists.ensureUnique()`.
    private static func append(
        _ entry: Incoming, to state: inout Receiver, lists: inout _ListArena<Incoming>, irregular: inout [Int64: _TxRef],
        keeping limit: Int
    ) {
        if limit > 0, irregular.isEmpty {
            lists.append(entry, to: &state.incoming, keeping: limit, assumingUnique: true)
        } else if limit > 0 {
            lists.append(entry, to: &state.incoming, keeping: limit) { irregular[$0.sequence] = nil }
        } else {
            release(&state.incoming, lists: &lists, irregular: &irregular)
        }
        state.lastTime = state.incoming.isEmpty ? .min : entry.time
    }

    /// Frees `list` and the side-table entries of what it held.
    private static func release(_ list: inout _ListArena<Incoming>.List, lists: inout _ListArena<Incoming>, irregular: inout [Int64: _TxRef]) {
        if !irregular.isEmpty {
            for index in 0 ..< Int(list.count) { irregular[lists.element(index, of: list).sequence] = nil }
        }
        lists.release(&list)
    }

    /// The remembered transfer `entry` into `receiver`, from the side table when its hash is not canonical.
    private func transfer(_ entry: Incoming, to receiver: AccountKey) -> _TxRef {
        irregular.isEmpty ? entry.transfer(to: receiver) : irregular[entry.sequence] ?? entry.transfer(to: receiver)
    }

    private func similar(_ amount: Double, to reference: Double) -> Bool {
        abs(amount - reference) <= configuration.tolerance * reference
    }

    /// Drops the accounts in `slots` with what they remember.
    private mutating func remove(_ slots: [Int]) {
        for slot in slots {
            var list = receivers[slot].incoming
            Self.release(&list, lists: &lists, irregular: &irregular)
        }
        receivers.remove(slots: slots)
    }

    private mutating func sweep(now: Int64) {
        let cutoff = now - configuration.windowSeconds
        remove(_RecencyEviction.expiredSlots(receivers) { $0.lastTime < cutoff })
    }

    private mutating func enforceCap(now: Int64) {
        sweep(now: now)
        remove(_RecencyEviction.doomedSlots(receivers, keep: _RecencyEviction.target(cap: configuration.maxTracked)) { $0.lastTime })
    }

    private func alert(batch: TxBatch, row: Int, hops earlier: [_TxRef]) -> Alert {
        let hops = earlier + [_TxRef(batch: batch, row: row)]
        var reasons = _ReasonsWriter()
        reasons.add("pattern", "value returned to its origin through a short cycle")
        reasons.add("origin", address: batch.to[row])
        reasons.add("hops", hops.count)
        reasons.addHops(hops, windowEnd: batch.blockTime[row])
        reasons.addObject("parameters") { parameters in
            parameters.add("tolerance", configuration.tolerance)
            parameters.add("window_s", configuration.windowSeconds)
            parameters.add("min_amount_eth", configuration.minAmount)
        }
        return Alert(batch: batch, row: row, detector: name, typology: name, score: Double(hops.count), reasons: reasons.finished())
    }
}
