import ChainwatchCore

/// Flags address poisoning: right after a real transfer between a victim and a counterparty, a zero or
/// tiny transfer reaches the victim from a look-alike of that counterparty, so that the look-alike shows up
/// in the victim's history and gets copied by mistake.
///
/// Rule: a transfer of at least ``Configuration/maxPoisonAmount`` ETH between `V` and `C` (either
/// direction, no self-transfer) is *real*: each side remembers the other as a recent counterparty (the
/// latest ``Configuration/maxCounterpartiesPerAccount`` per account). A transfer `P → V` with
/// `amount < maxPoisonAmount` (zero included) alerts when `V` has a real counterparty `C ≠ P` whose real
/// transfer was at most ``Configuration/windowSeconds`` of block time before and whose address shares with
/// `P` the first ``Configuration/matchHexDigits`` and the last `matchHexDigits` hex digits after `0x`.
/// Every such poison transfer alerts (each one is a separate attempt). `score` = the number of leading plus
/// trailing hex digits `P` and `C` share.
///
/// Only meaningful for 20-byte hex addresses (Ethereum); other chains' keys are hashes. Memory: ≤
/// ``Configuration/maxTracked`` accounts. Cost: one or two hash operations per row, a scan of ≤
/// `maxCounterpartiesPerAccount` keys for tiny transfers.
public struct AddressPoisoningDetector: Detector, Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// Transfers strictly below this many ETH (zero included) are possible poison; the rest are real.
        public var maxPoisonAmount: Double = 0.000_1
        /// How long after a real transfer a poison transfer still counts, in seconds of block time (one day).
        public var windowSeconds: Int64 = 86_400
        /// Hex digits that must match at each end of the address (4 = first 4 and last 4), 1…16.
        public var matchHexDigits: Int = 4
        /// Real counterparties remembered per account (the latest ones).
        public var maxCounterpartiesPerAccount: Int = 16
        /// Cap on tracked accounts; the least recently active are dropped beyond it.
        public var maxTracked: Int = 100_000

        public init() {}
    }

    struct Recent: Sendable {
        /// The real counterparty of each entry is whichever side of the transfer is not this account.
        var transfers: [_TxRef] = []
        /// The real counterparty of `transfers[i]`, kept apart so the per-row lookup scans 24-byte keys.
        var counterparties: [AccountKey] = []
        var lastTime: Int64
    }

    public let name = "address_poisoning"
    public let configuration: Configuration
    private var recent: [_AccountSlot: Recent] = [:]
    private var sweeps: _SweepSchedule
    private let digits: Int

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        sweeps = _SweepSchedule(period: configuration.windowSeconds)
        digits = min(16, max(1, configuration.matchHexDigits))
    }

    /// Accounts with recent real counterparties currently held in memory.
    public var trackedEntries: Int { recent.count }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        for row in 0 ..< batch.count {
            let from = batch.from[row], to = batch.to[row]
            guard from != to, !batch.flags[row].contains(.contractCreation) else { continue }
            let time = batch.blockTime[row]
            if sweeps.isDue(at: time) { sweep(now: time) }
            if batch.amount[row] < configuration.maxPoisonAmount {
                guard let state = recent[_AccountSlot(to)] else { continue }
                for index in state.counterparties.indices.reversed() {
                    let real = state.counterparties[index]
                    guard real != from, Self.prefix(real, digits) == Self.prefix(from, digits),
                        Self.suffix(real, digits) == Self.suffix(from, digits),
                        time - state.transfers[index].time <= configuration.windowSeconds
                    else { continue }
                    alerts.append(alert(batch: batch, row: row, impersonated: real, real: state.transfers[index]))
                    break
                }
            } else {
                let ref = _TxRef(batch: batch, row: row)
                remember(to, for: from, ref: ref)
                remember(from, for: to, ref: ref)
            }
        }
    }

    /// The first `digits` hex digits of the address.
    static func prefix(_ key: AccountKey, _ digits: Int) -> UInt64 { key.high >> UInt64(64 - 4 * digits) }

    /// The last `digits` hex digits of the address.
    static func suffix(_ key: AccountKey, _ digits: Int) -> UInt64 {
        let bits = 4 * digits
        let low = UInt64(key.low), middle = key.middle
        if bits <= 32 { return low & (1 &<< UInt64(bits) &- 1) }
        return (middle & (1 &<< UInt64(bits - 32) &- 1)) << 32 | low
    }

    /// Digits shared at the start plus digits shared at the end (of 40).
    static func sharedDigits(_ a: AccountKey, _ b: AccountKey) -> Int {
        let x = a.hexString.utf8.dropFirst(2), y = b.hexString.utf8.dropFirst(2)
        let leading = zip(x, y).prefix { $0 == $1 }.count
        let trailing = zip(x.reversed(), y.reversed()).prefix { $0 == $1 }.count
        return leading + trailing
    }

    private mutating func remember(_ counterparty: AccountKey, for account: AccountKey, ref: _TxRef) {
        Self.add(counterparty, ref: ref, to: &recent[_AccountSlot(account), default: Recent(lastTime: ref.time)], keeping: configuration.maxCounterpartiesPerAccount)
        if recent.count > configuration.maxTracked {
            sweep(now: ref.time)
            _RecencyEviction.shrink(&recent, keep: _RecencyEviction.target(cap: configuration.maxTracked)) { $0.lastTime }
        }
    }

    private static func add(_ counterparty: AccountKey, ref: _TxRef, to state: inout Recent, keeping limit: Int) {
        state.lastTime = ref.time
        // Every transfer of the account has it on one side and its counterparty on the other (no
        // self-transfers), so matching either side against `counterparty` means matching the counterparty.
        if let index = state.counterparties.firstIndex(of: counterparty) {
            state.transfers.remove(at: index)
            state.counterparties.remove(at: index)
        }
        state.transfers.append(ref)
        state.counterparties.append(counterparty)
        if state.transfers.count > limit {
            state.transfers.removeFirst()
            state.counterparties.removeFirst()
        }
    }

    private mutating func sweep(now: Int64) {
        let cutoff = now - configuration.windowSeconds
        _RecencyEviction.removeExpired(&recent) { $0.lastTime < cutoff }
    }

    private func alert(batch: TxBatch, row: Int, impersonated: AccountKey, real: _TxRef) -> Alert {
        let poisoner = batch.from[row]
        let shared = Self.sharedDigits(poisoner, impersonated)
        var reasons = JSONObjectWriter()
        reasons.add("pattern", "tiny transfer from a look-alike of a recent counterparty")
        reasons.add("victim", batch.to[row]._hex)
        reasons.add("look_alike", poisoner._hex)
        reasons.add("impersonated", impersonated._hex)
        reasons.add("shared_hex_digits", shared)
        reasons.add("real_transfer", rawJSON: real.json)
        reasons.add("seconds_after_real_transfer", batch.blockTime[row] - real.time)
        var parameters = JSONObjectWriter()
        parameters.add("max_poison_amount_eth", configuration.maxPoisonAmount)
        parameters.add("window_s", configuration.windowSeconds)
        parameters.add("match_hex_digits", digits)
        reasons.add("parameters", rawJSON: parameters.finished())
        return Alert(batch: batch, row: row, detector: name, typology: name, score: Double(shared), reasons: reasons.finished())
    }
}
