/// A transaction hash in its canonical text form, `0x` + 64 lowercase hex digits (every Ethereum hash),
/// held as its 32 raw bytes: stored evidence keeps half the bytes of the text, and ``text`` rebuilds the
/// input byte for byte. Any other text (upper-case digits, another length) has no `_TxHash`, since it could
/// not be rebuilt exactly.
///
/// Decoded once per row by the decoders (``TxBatch/canonicalHash``), the way addresses become
/// ``AccountKey``s, for the typology detectors that keep hashes as evidence. Public for them; not API.
public struct _TxHash: Sendable, Equatable {
    /// The hash bytes in text order, eight per word in memory order.
    public typealias Words = (UInt64, UInt64, UInt64, UInt64)

    /// Length of the canonical text.
    public static let textLength = 66

    public var words: Words

    @inlinable
    public init(words: Words) { self.words = words }

    @inlinable
    public static func == (lhs: _TxHash, rhs: _TxHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    /// Parses canonical hash text; `nil` for any other text.
    ///
    /// Sixteen digits at a time in vectors (``_HexDecoding/canonicalHashBytes(_:)``); the two 16-byte halves are
    /// the hash bytes in text order, so they are the words as they are.
    @inlinable @inline(__always)
    public init?(text: UnsafeRawBufferPointer) {
        guard let bytes = _HexDecoding.canonicalHashBytes(text) else { return nil }
        words = unsafeBitCast(bytes, to: Words.self)
    }

    /// Writes the canonical text into the first ``textLength`` bytes of `buffer`.
    @inlinable
    public func write(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= Self.textLength)
        buffer[0] = UInt8(ascii: "0")
        buffer[1] = UInt8(ascii: "x")
        // Each word's bytes in memory order, four at a time with the first most significant, spell 8 digits.
        func write(_ word: UInt64, at offset: Int) {
            let bytes = UInt64(littleEndian: word)
            _HexDigits.write(UInt32(truncatingIfNeeded: bytes).byteSwapped, into: buffer, at: offset)
            _HexDigits.write(UInt32(truncatingIfNeeded: bytes >> 32).byteSwapped, into: buffer, at: offset + 8)
        }
        write(words.0, at: 2)
        write(words.1, at: 18)
        write(words.2, at: 34)
        write(words.3, at: 50)
    }
}
