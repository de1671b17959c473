import ChainwatchCore

/// A pair of accounts, `from → to`, as the key of a slot table of edge state.
struct _EdgeKey: _SlotKey, Comparable {
    var from: AccountKey
    var to: AccountKey

    /// One word from both accounts' hashes (each already well mixed).
    @inline(__always)
    var slotHash: UInt64 {
        let f = from.mixedHash, t = to.mixedHash
        return f ^ (t << 23 | t >> 41)
    }

    static func < (lhs: _EdgeKey, rhs: _EdgeKey) -> Bool {
        (lhs.from, lhs.to) < (rhs.from, rhs.to)
    }
}
