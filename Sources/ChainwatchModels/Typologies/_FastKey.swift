import ChainwatchCore

/// Seeded 64-bit finalizer used by the typology dictionary keys' `_rawHashValue(seed:)`: the keys are
/// already well mixed (``AccountKey/mixedHash``), so one multiply-xorshift replaces a full `Hasher` run.
/// The per-table seed still changes the bucket order, so tables of different sizes do not line up.
@inline(__always)
func _fastHash(_ value: UInt64, seed: Int) -> Int {
    var h = value &+ UInt64(bitPattern: Int64(seed))
    h ^= h >> 32
    h = h &* 0xd6e8_feb8_6659_fd93
    h ^= h >> 32
    return Int(truncatingIfNeeded: h)
}

/// An ``AccountKey`` as a dictionary key with a cheap hash (see ``_fastHash(_:seed:)``).
struct _AccountSlot: Hashable, Sendable, Comparable {
    var key: AccountKey

    @inline(__always)
    init(_ key: AccountKey) { self.key = key }

    static func == (lhs: _AccountSlot, rhs: _AccountSlot) -> Bool { lhs.key == rhs.key }

    func hash(into hasher: inout Hasher) { hasher.combine(key.mixedHash) }

    func _rawHashValue(seed: Int) -> Int { _fastHash(key.mixedHash, seed: seed) }

    static func < (lhs: _AccountSlot, rhs: _AccountSlot) -> Bool { lhs.key < rhs.key }
}

extension AccountKey {
    /// Length of the address as a JSON string, `"0x…"` with the quotes.
    static let _quotedHexLength = 44

    /// Writes `key` as a JSON string (`"0x…"`, hex never needs escaping) into `buffer` from `start`.
    @inline(__always)
    static func _writeQuotedHex(_ key: AccountKey, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        buffer[start] = UInt8(ascii: "\"")
        _writeHex(key, into: buffer, at: start + 1)
        buffer[start + 43] = UInt8(ascii: "\"")
    }
}
