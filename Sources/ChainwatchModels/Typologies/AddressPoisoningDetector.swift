import ChainwatchCore

/// Flags address poisoning: right after a real transfer between a victim and a counterparty, a zero or
/// tiny transfer reaches the victim from a look-alike of that counterparty, so that the look-alike shows up
/// in the victim's history and gets copied by mistake.
///
/// Rule: a transfer of at least ``Configuration/maxPoisonAmount`` ETH between `V` and `C` (either
/// direction, no self-transfer) is *real*: each side remembers the other as a recent counterparty, under
/// the counterparty's *ends* (its first and last ``Configuration/matchHexDigits`` hex digits after `0x`). A
/// transfer `P → V` with `amount < maxPoisonAmount` (zero included) alerts when `V` remembers, under `P`'s
/// ends, a real counterparty `C ≠ P` whose real transfer was at most ``Configuration/windowSeconds`` of
/// block time before. Per account and ends only the latest real counterparty is kept (two real
/// counterparties sharing eight hex digits of ends are rare by chance, and the latest is the one a victim
/// would copy), with what the evidence shows of its real transfer. Every such poison transfer alerts (each
/// one is a separate attempt). `score` = the number of leading plus trailing hex digits `P` and `C` share.
///
/// Only meaningful for 20-byte hex addresses (Ethereum); other chains' keys are hashes. Memory: ≤
/// ``Configuration/maxTracked`` remembered (account, ends) entries of 64 bytes in a ``_RecencyCache`` (a full
/// set of four forgets its least recently seen entry), each holding its real transfer's hash, block and
/// amount itself: both sides keep a copy, where a shared, counted record in a pool cost a random line to
/// store and a count to update at every release. Cost: a set line and an entry per side of a real
/// transfer, a set line for a tiny transfer, no scan.
public struct AddressPoisoningDetector: Detector, Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// Transfers strictly below this many ETH (zero included) are possible poison; the rest are real.
        public var maxPoisonAmount: Double = 0.000_1
        /// How long after a real transfer a poison transfer still counts, in seconds of block time (one day).
        public var windowSeconds: Int64 = 86_400
        /// Hex digits that must match at each end of the address (4 = first 4 and last 4), 1…16.
        public var matchHexDigits: Int = 4
        /// Cap on remembered (account, counterparty ends) entries (2²⁰), rounded down to a power of two (at
        /// least 4); 80 bytes each, allocated up front (80 MiB by default).
        public var maxTracked: Int = 1 << 20

        public init() {}
    }

    /// A remembered real counterparty and what an alert shows of their real transfer (the owner's side of
    /// the entry, and the transfer's time, are the cache's): 64 bytes, one cache line.
    struct Counterparty: Sendable {
        /// The hash when canonical (else the transfer is in `irregular`).
        var hash: _TxHash
        var amount: Double
        var key: AccountKey
        /// The block number times two, plus one when the transfer's sender is the lesser of the owner and
        /// ``key`` (a block from 2³¹ on puts the transfer in `irregular`).
        var blockAndDirection: UInt32

        init(hash: _TxHash, amount: Double, key: AccountKey, block: Int64, lesserSent: Bool) {
            self.hash = hash
            self.amount = amount
            self.key = key
            blockAndDirection = UInt32(truncatingIfNeeded: block) << 1 | (lesserSent ? 1 : 0)
        }

        /// Whether `block` fits ``blockAndDirection``.
        static func holds(block: Int64) -> Bool { block >= 0 && block < 1 << 31 }

        /// Fills the cache's empty ways; never read back.
        static let none = Counterparty(hash: _TxHash(words: (0, 0, 0, 0)), amount: 0, key: .none, block: 0, lesserSent: false)

        /// The real transfer between `owner` and ``key`` at `time`.
        func transfer(owner: AccountKey, time: Int64) -> _TxRef {
            let (lesser, greater) = owner < key ? (owner, key) : (key, owner)
            let (from, to) = blockAndDirection & 1 == 1 ? (lesser, greater) : (greater, lesser)
            return _TxRef(hash: hash, block: Int64(blockAndDirection >> 1), time: time, amount: amount, from: from, to: to)
        }
    }

    public let name = "address_poisoning"
    public let configuration: Configuration
    private var remembered: _RecencyCache<Counterparty>
    /// The real transfers whose hash ``_TxHash`` or block ``Counterparty`` cannot hold (none for Ethereum
    /// input), by cache index.
    private var irregular: [Int: _TxRef] = [:]
    private let digits: Int

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        digits = min(16, max(1, configuration.matchHexDigits))
        remembered = _RecencyCache(capacity: max(1, configuration.maxTracked), filler: .none)
    }

    /// Remembered (account, counterparty ends) entries currently held in memory.
    public var trackedEntries: Int { remembered.count }

    /// The cache fingerprints a row needs: what the receiver remembers under the sender's ends, and (for a
    /// real transfer; 0 otherwise) what the sender remembers under the receiver's.
    struct RowKeys {
        var receiverSide: UInt64
        var senderSide: UInt64
    }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        // A chunk's fingerprints are computed and their lines requested before the chunk runs. Heap scratch
        // rather than `withUnsafeTemporaryAllocation`, whose closure retained and released the detector's
        // storage around every row.
        remembered.ensureUnique()
        let keys = UnsafeMutableBufferPointer<RowKeys>.allocate(capacity: _Prefetch.chunkRows)
        defer { keys.deallocate() }
        var chunk = 0
        while chunk < batch.count {
            let rows = chunk ..< min(chunk + _Prefetch.chunkRows, batch.count)
            chunk = rows.upperBound
            for row in rows {
                let from = batch.from[row], to = batch.to[row]
                let isReal = batch.amount[row] >= configuration.maxPoisonAmount
                let rowKeys = RowKeys(
                    receiverSide: fingerprint(of: input.toHashes[row], under: from),
                    senderSide: isReal ? fingerprint(of: input.fromHashes[row], under: to) : 0
                )
                keys[row - rows.lowerBound] = rowKeys
                remembered.prefetch(rowKeys.receiverSide)
                if isReal { remembered.prefetch(rowKeys.senderSide) }
            }
            for row in rows { process(row: row, of: batch, keys: keys[row - rows.lowerBound], alerts: &alerts) }
        }
        remembered.fenceStores()
    }

    /// The fingerprint of what the account whose `mixedHash` is `account` remembers under the ends of
    /// `counterparty`.
    @inline(__always)
    private func fingerprint(of account: UInt64, under counterparty: AccountKey) -> UInt64 {
        let ends = Self.prefix(counterparty, digits) &* 0xc2b2_ae3d_27d4_eb4f ^ Self.suffix(counterparty, digits)
        return _RecencyCache<Counterparty>.fingerprint(account, ends)
    }

    @inline(__always)
    private mutating func process(row: Int, of batch: TxBatch, keys: RowKeys, alerts: inout [Alert]) {
        let from = batch.from[row], to = batch.to[row]
        guard from != to, !batch.flags[row].contains(.contractCreation) else { return }
        let time = batch.blockTime[row]
        if batch.amount[row] < configuration.maxPoisonAmount {
            guard let (index, realTime) = remembered.find(keys.receiverSide), time - realTime <= configuration.windowSeconds
            else { return }
            let real = remembered[index]
            guard real.key != from, Self.prefix(real.key, digits) == Self.prefix(from, digits),
                Self.suffix(real.key, digits) == Self.suffix(from, digits)
            else { return }
            let transfer = (irregular.isEmpty ? nil : irregular[index]) ?? real.transfer(owner: to, time: realTime)
            alerts.append(alert(batch: batch, row: row, impersonated: real.key, real: transfer))
        } else {
            let hash = batch.canonicalHash[row], block = batch.blockNumber[row]
            var real = Counterparty(
                hash: hash ?? _TxHash(words: (0, 0, 0, 0)), amount: batch.amount[row], key: to, block: block,
                lesserSent: from < to
            )
            let sender = remember(real, under: keys.senderSide, time: time)
            real.key = from
            let receiver = remember(real, under: keys.receiverSide, time: time)
            if !irregular.isEmpty {
                irregular[sender] = nil
                irregular[receiver] = nil
            }
            if hash == nil || !Counterparty.holds(block: block) {
                let transaction = _TxRef(batch: batch, row: row)
                irregular[sender] = transaction
                irregular[receiver] = transaction
            }
        }
    }

    /// Keeps `counterparty` as the latest real counterparty under its ends and returns its cache index
    /// (after `remembered.ensureUnique()`).
    @inline(__always)
    private mutating func remember(_ counterparty: Counterparty, under fingerprint: UInt64, time: Int64) -> Int {
        if let (index, _) = remembered.find(fingerprint) {
            remembered.replace(index, with: counterparty, assumingUnique: true)
            remembered.touch(index, time: time, assumingUnique: true)
            return index
        }
        return remembered.insert(fingerprint, time: time, payload: counterparty, assumingUnique: true)
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
