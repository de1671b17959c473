import CProcessor
import ChainwatchCore

/// When each recently seen account pair last transferred: a fixed-size, four-way set-associative cache of
/// 64-bit pair fingerprints and times.
///
/// A set is one 64-byte cache line of four (fingerprint, time) ways, so a lookup or an update reads one
/// line and never moves anything else: no probe runs, no rebuild, no mass eviction. A pair not in its set
/// takes an empty way, else the way seen least recently (the lowest way on a tie), so the memory forgets
/// the least recently seen pair *of that set* — an approximation of least-recently-seen-first eviction that
/// costs nothing to keep. Nothing expires by itself: the caller compares the time it gets back.
///
/// Pairs are told apart by a 64-bit fingerprint of both accounts' hashes; two pairs that share one (odds of
/// about n / 2⁶⁴ per lookup with n pairs held) would read as the same pair.
struct _PairMemory: Sendable {
    /// Fingerprint, time, fingerprint, time, … in sets of ``ways`` (0 = empty way).
    private var words: [UInt64]
    private let setMask: Int
    /// Pairs held.
    private(set) var count = 0

    static let ways = 4
    private static let wordsPerSet = 2 * ways

    /// A memory of the largest power-of-two number of sets whose ways fit in `capacity` (at least one set).
    init(capacity: Int) {
        var sets = 1
        while sets * 2 * Self.ways <= capacity { sets *= 2 }
        setMask = sets - 1
        // One spare set: set 0 starts at the storage's first 64-byte boundary (see ``lead(of:)``).
        words = [UInt64](repeating: 0, count: sets * Self.wordsPerSet + Self.wordsPerSet)
    }

    /// Pairs the memory can hold.
    var capacity: Int { (setMask + 1) * Self.ways }

    /// Words before the first 64-byte boundary of an array's storage, where set 0 starts (measured at
    /// every access: a copy's storage starts elsewhere).
    @inline(__always)
    private static func lead(of base: UnsafeRawPointer) -> Int {
        ((64 &- Int(bitPattern: base) & 63) & 63) >> 3
    }

    /// The fingerprint of the pair `from → to` (never 0), from the accounts' well-mixed hashes.
    @inline(__always)
    static func fingerprint(from: AccountKey, to: AccountKey) -> UInt64 {
        var h = from.mixedHash ^ (to.mixedHash &* 0x9e37_79b9_7f4a_7c15)
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
        let index = set(of: fingerprint) * Self.wordsPerSet
        words.withUnsafeBufferPointer { buffer in
            cw_prefetch(buffer.baseAddress! + Self.lead(of: buffer.baseAddress!) + index)
        }
    }

    /// Records that the pair with `fingerprint` transferred at `time` and returns when it did before, if
    /// the memory still holds it.
    @inline(__always)
    mutating func exchange(_ fingerprint: UInt64, time: Int64) -> Int64? {
        let index = set(of: fingerprint) * Self.wordsPerSet
        let (previous, filled) = words.withUnsafeMutableBufferPointer { buffer -> (Int64?, Bool) in
            let start = Self.lead(of: buffer.baseAddress!) + index
            var victim = 0
            var victimTime = Int64.max
            for way in 0 ..< Self.ways {
                let word = buffer[start + 2 * way]
                if word == fingerprint {
                    let previous = Int64(bitPattern: buffer[start + 2 * way + 1])
                    buffer[start + 2 * way + 1] = UInt64(bitPattern: time)
                    return (previous, false)
                }
                let seen = word == 0 ? Int64.min : Int64(bitPattern: buffer[start + 2 * way + 1])
                if seen < victimTime {
                    victimTime = seen
                    victim = way
                }
            }
            let filled = buffer[start + 2 * victim] == 0
            buffer[start + 2 * victim] = fingerprint
            buffer[start + 2 * victim + 1] = UInt64(bitPattern: time)
            return (nil, filled)
        }
        if filled { count += 1 }
        return previous
    }
}
