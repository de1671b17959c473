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

    struct Incoming: Sendable {
        var ref: _TxRef
        var sequence: Int64
        var used: Bool
    }

    public let name = "wash_cycle"
    public let configuration: Configuration
    private var incoming: [_AccountSlot: [Incoming]] = [:]
    private var sequence: Int64 = 0
    private var sweeps: _SweepSchedule

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        sweeps = _SweepSchedule(period: configuration.windowSeconds)
    }

    /// Receiving accounts currently held in memory.
    public var trackedEntries: Int { incoming.count }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        for row in 0 ..< batch.count where batch.amount[row] > configuration.minAmount {
            let from = batch.from[row], to = batch.to[row]
            guard from != to, !batch.flags[row].contains(.contractCreation) else { continue }
            let time = batch.blockTime[row]
            sequence += 1
            if sweeps.isDue(at: time) { sweep(now: time) }
            var used = false
            if let cycle = findCycle(closing: from, origin: to, amount: batch.amount[row], time: time) {
                used = true
                markUsed(cycle)
                let hops = cycle.map { incoming[_AccountSlot($0.account)]![$0.index].ref }
                alerts.append(alert(batch: batch, row: row, hops: hops))
            }
            Self.append(
                Incoming(ref: _TxRef(batch: batch, row: row), sequence: sequence, used: used), to: &incoming[_AccountSlot(to), default: []],
                keeping: configuration.maxIncomingPerAccount
            )
            if incoming.count > configuration.maxTracked { enforceCap(now: time) }
        }
    }

    /// The earlier hops (account, index in its incoming list), first hop first, of a cycle that the transfer
    /// `closing → origin` completes.
    private func findCycle(closing: AccountKey, origin: AccountKey, amount: Double, time: Int64) -> [(account: AccountKey, index: Int)]? {
        guard let intoClosing = incoming[_AccountSlot(closing)] else { return nil }
        let cutoff = time - configuration.windowSeconds
        // 2-cycle: origin → closing → origin.
        for index in intoClosing.indices.reversed() {
            let hop = intoClosing[index]
            if !hop.used, hop.ref.from == origin, hop.ref.time >= cutoff, similar(amount, to: hop.ref.amount) {
                return [(closing, index)]
            }
        }
        // 3-cycle: origin → middle → closing → origin.
        for index in intoClosing.indices.reversed() {
            let second = intoClosing[index]
            guard !second.used, second.ref.time >= cutoff, second.ref.from != origin,
                let intoMiddle = incoming[_AccountSlot(second.ref.from)]
            else { continue }
            for firstIndex in intoMiddle.indices.reversed() {
                let first = intoMiddle[firstIndex]
                if !first.used, first.ref.from == origin, first.sequence < second.sequence, first.ref.time >= cutoff,
                    similar(second.ref.amount, to: first.ref.amount), similar(amount, to: first.ref.amount)
                {
                    return [(second.ref.from, firstIndex), (closing, index)]
                }
            }
        }
        return nil
    }

    /// Appends in place (one hash lookup), keeping the latest `limit` entries.
    private static func append(_ entry: Incoming, to list: inout [Incoming], keeping limit: Int) {
        list.append(entry)
        if list.count > limit { list.removeFirst(list.count - limit) }
    }

    private func similar(_ amount: Double, to reference: Double) -> Bool {
        abs(amount - reference) <= configuration.tolerance * reference
    }

    private mutating func markUsed(_ cycle: [(account: AccountKey, index: Int)]) {
        for hop in cycle { incoming[_AccountSlot(hop.account)]![hop.index].used = true }
    }

    private mutating func sweep(now: Int64) {
        let cutoff = now - configuration.windowSeconds
        _RecencyEviction.removeExpired(&incoming) { ($0.last?.ref.time ?? .min) < cutoff }
    }

    private mutating func enforceCap(now: Int64) {
        sweep(now: now)
        _RecencyEviction.shrink(&incoming, keep: _RecencyEviction.target(cap: configuration.maxTracked)) {
            $0.last?.ref.time ?? .min
        }
    }

    private func alert(batch: TxBatch, row: Int, hops earlier: [_TxRef]) -> Alert {
        let hops = earlier + [_TxRef(batch: batch, row: row)]
        var reasons = JSONObjectWriter()
        reasons.add("pattern", "value returned to its origin through a short cycle")
        reasons.add("origin", batch.to[row]._hex)
        reasons.add("hops", hops.count)
        reasons.add("window", rawJSON: _Evidence.window(from: hops[0].time, to: batch.blockTime[row]))
        reasons.add("addresses", rawJSON: _Evidence.addresses([hops[0].from] + hops.map(\.to)))
        reasons.add("hashes", rawJSON: _Evidence.strings(hops.map(\.hash)))
        reasons.add("amounts_eth", rawJSON: _Evidence.array(hops.map { JSONObjectWriter.number($0.amount) }))
        reasons.add("blocks", rawJSON: _Evidence.array(hops.map { String($0.block) }))
        var parameters = JSONObjectWriter()
        parameters.add("tolerance", configuration.tolerance)
        parameters.add("window_s", configuration.windowSeconds)
        parameters.add("min_amount_eth", configuration.minAmount)
        reasons.add("parameters", rawJSON: parameters.finished())
        return Alert(batch: batch, row: row, detector: name, typology: name, score: Double(hops.count), reasons: reasons.finished())
    }
}
