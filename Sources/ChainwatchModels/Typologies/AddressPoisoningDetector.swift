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

    /// One remembered real transfer of an account: its counterparty and time, and the stored transaction.
    /// The handle sits in the key's padding, so an entry is 32 bytes and a list of 16 scans 8 cache lines.
    struct Counterparty: Sendable {
        var key: AccountKey
        var ref: UInt32
        var time: Int64
    }

    struct Recent: Sendable {
        /// Oldest first; the real counterparty of each entry is whichever side is not this account.
        var counterparties = _ListArena<Counterparty>.List()
        var lastTime: Int64
        /// ``AddressPoisoningDetector/keyBit(_:)`` of every counterparty added since the list was last
        /// scanned whole (a superset of the keys it holds): a clear bit proves a key absent, so a new
        /// counterparty mostly skips the scan and its cache misses.
        var keyBits: UInt64 = 0
    }

    public let name = "address_poisoning"
    public let configuration: Configuration
    private var recent = _SlotTable<AccountKey, Recent>()
    private var lists = _ListArena<Counterparty>(filler: Counterparty(key: .none, ref: 0, time: 0))
    private var refs = _TxRefPool()
    private var sweeps: _SweepSchedule
    private let digits: Int
    private var prefetchSink: UInt64 = 0

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        sweeps = _SweepSchedule(period: configuration.windowSeconds)
        digits = min(16, max(1, configuration.matchHexDigits))
    }

    /// Accounts with recent real counterparties currently held in memory.
    public var trackedEntries: Int { recent.count }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        // Per chunk: each row's table hashes (receiver, sender), computed once for the prefetch and the row.
        withUnsafeTemporaryAllocation(of: (to: UInt64, from: UInt64).self, capacity: _Prefetch.chunkRows) { hashes in
            var chunk = 0
            while chunk < batch.count {
                let rows = chunk ..< min(chunk + _Prefetch.chunkRows, batch.count)
                chunk = rows.upperBound
                for row in rows {
                    let to = batch.to[row].slotHash, from = batch.from[row].slotHash
                    hashes[row - rows.lowerBound] = (to, from)
                    prefetchSink &+= recent.prefetch(hash: to)
                    if batch.amount[row] >= configuration.maxPoisonAmount { prefetchSink &+= recent.prefetch(hash: from) }
                }
                for row in rows { process(row: row, of: batch, hashes: hashes[row - rows.lowerBound], alerts: &alerts) }
            }
        }
    }

    @inline(__always)
    private mutating func process(row: Int, of batch: TxBatch, hashes: (to: UInt64, from: UInt64), alerts: inout [Alert]) {
        let from = batch.from[row], to = batch.to[row]
        guard from != to, !batch.flags[row].contains(.contractCreation) else { return }
        let time = batch.blockTime[row]
        if sweeps.isDue(at: time) { sweep(now: time) }
        if batch.amount[row] < configuration.maxPoisonAmount {
            guard let slot = recent.find(to, hash: hashes.to) else { return }
            let list = recent[slot].counterparties
            for index in (0 ..< Int(list.count)).reversed() {
                let entry = lists.element(index, of: list)
                let real = entry.key
                guard real != from, Self.prefix(real, digits) == Self.prefix(from, digits),
                    Self.suffix(real, digits) == Self.suffix(from, digits),
                    time - entry.time <= configuration.windowSeconds
                else { continue }
                let transfer = refs[entry.ref, time: entry.time, accounts: (real, to)]
                alerts.append(alert(batch: batch, row: row, impersonated: real, real: transfer))
                break
            }
        } else {
            let ref = refs.store(batch: batch, row: row)
            refs.retain(ref)
            remember(to, for: from, hash: hashes.from, time: time, ref: ref)
            remember(from, for: to, hash: hashes.to, time: time, ref: ref)
        }
    }

    /// One of 64 bits, by the key's hash (look-alikes share the address ends, so not by those).
    @inline(__always)
    static func keyBit(_ key: AccountKey) -> UInt64 { 1 << (key.mixedHash >> 58) }

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

    /// Adds `counterparty` to what `account` (whose table hash is `hash`) remembers.
    private mutating func remember(_ counterparty: AccountKey, for account: AccountKey, hash: UInt64, time: Int64, ref: UInt32) {
        let slot = recent.findOrInsert(account, hash: hash, value: Recent(lastTime: time)).slot
        Self.add(
            Counterparty(key: counterparty, ref: ref, time: time), to: &recent[slot], lists: &lists, refs: &refs,
            keeping: configuration.maxCounterpartiesPerAccount
        )
        if recent.count > configuration.maxTracked {
            sweep(now: time)
            remove(_RecencyEviction.doomedSlots(recent, keep: _RecencyEviction.target(cap: configuration.maxTracked)) { $0.lastTime })
        }
    }

    private static func add(
        _ counterparty: Counterparty, to state: inout Recent, lists: inout _ListArena<Counterparty>, refs: inout _TxRefPool,
        keeping limit: Int
    ) {
        state.lastTime = counterparty.time
        // Every transfer of the account has it on one side and its counterparty on the other (no
        // self-transfers), so matching either side against `counterparty` means matching the counterparty.
        let bit = keyBit(counterparty.key)
        if state.keyBits & bit != 0 {
            var scanned: UInt64 = 0
            var match: Int?
            for index in 0 ..< Int(state.counterparties.count) {
                let key = lists.element(index, of: state.counterparties).key
                if key == counterparty.key {
                    match = index
                    break
                }
                scanned |= keyBit(key)
            }
            if let match {
                refs.release(lists.element(match, of: state.counterparties).ref)
                lists.remove(at: match, from: &state.counterparties)
            } else {
                state.keyBits = scanned
            }
        }
        state.keyBits |= bit
        lists.append(counterparty, to: &state.counterparties, keeping: limit, refs: &refs) { $0.ref }
    }

    /// Drops the accounts in `slots` with what they remember.
    private mutating func remove(_ slots: [Int]) {
        for slot in slots {
            var list = recent[slot].counterparties
            lists.release(&list, refs: &refs, ref: \.ref)
        }
        recent.remove(slots: slots)
    }

    private mutating func sweep(now: Int64) {
        let cutoff = now - configuration.windowSeconds
        remove(_RecencyEviction.expiredSlots(recent) { $0.lastTime < cutoff })
    }

    private func alert(batch: TxBatch, row: Int, impersonated: AccountKey, real: _TxRef) -> Alert {
        let poisoner = batch.from[row]
        let shared = Self.sharedDigits(poisoner, impersonated)
        var reasons = _ReasonsWriter()
        reasons.add("pattern", "tiny transfer from a look-alike of a recent counterparty")
        reasons.add("victim", address: batch.to[row])
        reasons.add("look_alike", address: poisoner)
        reasons.add("impersonated", address: impersonated)
        reasons.add("shared_hex_digits", shared)
        reasons.add("real_transfer", transaction: real)
        reasons.add("seconds_after_real_transfer", batch.blockTime[row] - real.time)
        reasons.addObject("parameters") { parameters in
            parameters.add("max_poison_amount_eth", configuration.maxPoisonAmount)
            parameters.add("window_s", configuration.windowSeconds)
            parameters.add("match_hex_digits", digits)
        }
        return Alert(batch: batch, row: row, detector: name, typology: name, score: Double(shared), reasons: reasons.finished())
    }
}
