import ChainwatchCore

/// Hex validation and parsing for hashes and addresses, the hottest per-field work.
///
/// `AccountKey(hexAddress:)` is generic over any collection and exits early per character; here the bytes are a
/// contiguous view, decoded sixteen digits at a time by ``_HexDecoding`` with the validity of all digits tested
/// once. Tested against `AccountKey(hexAddress:)` (`ByteLevelHelperTests`); the kernel in `HexDecodingTests`.
enum _HexParsing {
    /// `0x` + exactly 40 hex digits (either case) as an ``AccountKey``, else `nil`.
    ///
    /// - Complexity: O(1) (42 bytes), no allocation.
    @inline(__always)
    static func accountKey(_ bytes: UnsafeRawBufferPointer) -> AccountKey? {
        _HexDecoding.accountKey(bytes)
    }

    /// `true` for `0x` followed by exactly 64 hex digits (a transaction hash).
    @inline(__always)
    static func isHash(_ bytes: UnsafeRawBufferPointer) -> Bool {
        _HexDecoding.isHash(bytes)
    }
}
