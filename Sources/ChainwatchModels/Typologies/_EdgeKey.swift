import ChainwatchCore

/// A pair of accounts, `from → to`, as a dictionary key for edge state.
struct _EdgeKey: Hashable, Sendable, Comparable {
    var from: AccountKey
    var to: AccountKey

    /// One 64-bit word into the hasher instead of six (the keys are already well mixed).
    func hash(into hasher: inout Hasher) {
        let f = from.mixedHash, t = to.mixedHash
        hasher.combine(f ^ (t << 23 | t >> 41))
    }

    /// The same word, finalized directly (no `Hasher` run per lookup).
    func _rawHashValue(seed: Int) -> Int {
        let f = from.mixedHash, t = to.mixedHash
        return _fastHash(f ^ (t << 23 | t >> 41), seed: seed)
    }

    static func < (lhs: _EdgeKey, rhs: _EdgeKey) -> Bool {
        (lhs.from, lhs.to) < (rhs.from, rhs.to)
    }
}
