import CProcessor
import ChainwatchCore

/// A fixed-size, four-way set-associative cache of recently seen keys, each with the time it was last seen
/// and a payload, told apart by 64-bit fingerprints.
///
/// A set's four (fingerprint, time) ways are one 64-byte cache line, so a lookup reads one line and an
/// update never moves anything else: no probe runs, no rebuild, no mass eviction. A key not in its set
/// takes an empty way, else the way seen least recently (the lowest way on a tie), so the cache forgets the
/// least recently seen key *of that set* — an approximation of least-recently-seen-first eviction that
/// costs nothing to keep. Nothing expires by itself: callers compare the time they get back. Payloads sit in
/// a parallel line-aligned buffer, read only on a hit (a payload of 64 bytes is one line).
///
/// Two keys that share a fingerprint (odds of about n / 2⁶⁴ per lookup with n keys held) read as one.
struct _RecencyCache<Payload: Sendable>: Sendable {
    /// Fingerprint, time, fingerprint, time, … in sets of ``ways`` (fingerprint 0 = empty way), each set
    /// on its own cache line.
    private var words: _LineAlignedBuffer<UInt64>
    /// By way: set × ``ways`` + way.
    private var payloads: _LineAlignedBuffer<Payload>
    private let setMask: Int
    /// Keys held.
    private(set) var count = 0

    static var ways: Int { 4 }
    private static var wordsPerSet: Int { 2 * ways }

    /// A cache of the largest power-of-two number of sets whose ways fit in `capacity` (at least one set);
    /// `filler` fills the empty ways' payloads and is never read back.
    init(capacity: Int, filler: Payload) {
        var sets = 1
        while sets * 2 * Self.ways <= capacity { sets *= 2 }
        setMask = sets - 1
        words = _LineAlignedBuffer(repeating: 0, count: sets * Self.wordsPerSet)
        payloads = _LineAlignedBuffer(repeating: filler, count: sets * Self.ways)
    }

    /// Keys the cache can hold.
    var capacity: Int { (setMask + 1) * Self.ways }

    /// A fingerprint (never 0) of a key made of two words, each already well mixed or not.
    @inline(__always)
    static func fingerprint(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var h = a ^ (b &* 0x9e37_79b9_7f4a_7c15)
        h ^= h >> 32
        h = h &* 0xd6e8_feb8_6659_fd93
        h ^= h >> 32
        return h | 1
    }

    @inline(__always)
    private func set(of fingerprint: UInt64) -> Int { Int(truncatingIfNeeded: fingerprint >> 40) & setMask }

    /// Requests the line of `fingerprint`'s set (a prefetch hint; changes nothing).
    @inline(__always)
    func prefetch(_ fingerprint: UInt64) {
        cw_prefetch(words.base + set(of: fingerprint) * Self.wordsPerSet)
    }

    /// Where `fingerprint` is held (a payload index) and when it was last seen, if it is.
    @inline(__always)
    func find(_ fingerprint: UInt64) -> (index: Int, time: Int64)? {
        let set = set(of: fingerprint)
        let line = words.base + set * Self.wordsPerSet
        for way in 0 ..< Self.ways where line[2 * way] == fingerprint {
            return (set * Self.ways + way, Int64(bitPattern: line[2 * way + 1]))
        }
        return nil
    }

    /// The payload at `index` (from ``find(_:)`` or ``insert(_:time:payload:)``).
    @inline(__always)
    subscript(index: Int) -> Payload {
        get {
            precondition(index >= 0 && index < payloads.count, "cache index out of range")
            return payloads.base[index]
        }
        _modify {
            precondition(index >= 0 && index < payloads.count, "cache index out of range")
            makePayloadsUnique()
            yield &payloads.base[index]
        }
    }

    /// Records that the key at `index` was seen at `time`.
    @inline(__always)
    mutating func touch(_ index: Int, time: Int64, assumingUnique: Bool = false) {
        makeWordsUnique(assumingUnique: assumingUnique)
        words.base[2 * index + 1] = UInt64(bitPattern: time)
    }

    /// Adds `fingerprint` (not held: see ``find(_:)``), seen at `time`, in its set's empty or least recently
    /// seen way (forgetting the key there) and returns its index.
    @inline(__always)
    @discardableResult
    mutating func insert(_ fingerprint: UInt64, time: Int64, payload: Payload, assumingUnique: Bool = false) -> Int {
        makeWordsUnique(assumingUnique: assumingUnique)
        let set = set(of: fingerprint)
        let line = words.base + set * Self.wordsPerSet
        var victim = 0
        var victimTime = Int64.max
        for way in 0 ..< Self.ways {
            let seen = line[2 * way] == 0 ? Int64.min : Int64(bitPattern: line[2 * way + 1])
            if seen < victimTime {
                victimTime = seen
                victim = way
            }
        }
        let filled = line[2 * victim] == 0
        line[2 * victim] = fingerprint
        line[2 * victim + 1] = UInt64(bitPattern: time)
        let index = set * Self.ways + victim
        if filled { count += 1 }
        // Keys alone (an empty payload) write nothing, and need no uniqueness check for it.
        guard MemoryLayout<Payload>.size > 0 else { return index }
        store(payload, at: index, assumingUnique: assumingUnique)
        return index
    }

    /// Replaces the payload at `index`.
    @inline(__always)
    mutating func replace(_ index: Int, with payload: Payload, assumingUnique: Bool = false) {
        precondition(index >= 0 && index < payloads.count, "cache index out of range")
        store(payload, at: index, assumingUnique: assumingUnique)
    }

    /// Writes a payload; one of a whole line goes out with non-temporal stores (``cw_stream_line``): it is
    /// read only on a hit, and a plain store would first read the cold line. Call ``fenceStores()`` before
    /// another thread may read the cache.
    @inline(__always)
    private mutating func store(_ payload: Payload, at index: Int, assumingUnique: Bool) {
        makePayloadsUnique(assumingUnique: assumingUnique)
        if MemoryLayout<Payload>.stride == 64 { payloads.stream(payload, at: index) } else { payloads.base[index] = payload }
    }

    /// Makes the payloads written so far visible to other threads (see ``cw_store_fence``).
    @inline(__always)
    func fenceStores() {
        if MemoryLayout<Payload>.stride == 64 { cw_store_fence() }
    }

    @inline(__always)
    private mutating func makeWordsUnique(assumingUnique: Bool = false) {
        _LineAlignedBuffer.makeUnique(&words, assumingUnique: assumingUnique)
    }

    /// Makes the storage unique ahead of a batch of writes that assume it (`assumingUnique: true`; see
    /// ``_SlotTable/ensureUnique()``).
    mutating func ensureUnique() {
        makeWordsUnique()
        makePayloadsUnique()
    }

    @inline(__always)
    private mutating func makePayloadsUnique(assumingUnique: Bool = false) {
        _LineAlignedBuffer.makeUnique(&payloads, assumingUnique: assumingUnique)
    }
}

extension _RecencyCache where Payload == Void {
    /// A cache of keys and times alone.
    init(capacity: Int) { self.init(capacity: capacity, filler: ()) }

    /// Records that the key with `fingerprint` was seen at `time` and returns when it was seen before, if
    /// the cache still holds it.
    @inline(__always)
    mutating func exchange(_ fingerprint: UInt64, time: Int64, assumingUnique: Bool = false) -> Int64? {
        if let (index, previous) = find(fingerprint) {
            touch(index, time: time, assumingUnique: assumingUnique)
            return previous
        }
        insert(fingerprint, time: time, payload: (), assumingUnique: assumingUnique)
        return nil
    }

    /// The fingerprint of the account pair `from → to`, given their `mixedHash`es.
    @inline(__always)
    static func pairFingerprint(from: UInt64, to: UInt64) -> UInt64 { fingerprint(from, to) }
}

extension AccountKey {
    /// The fingerprint of the account pair `self → to` in a ``_RecencyCache``.
    @inline(__always)
    func pairFingerprint(to: AccountKey) -> UInt64 {
        _RecencyCache<Void>.pairFingerprint(from: mixedHash, to: to.mixedHash)
    }
}
