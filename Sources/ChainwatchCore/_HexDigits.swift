/// Lowercase hex text and JSON byte checks eight bytes at a time in one 64-bit word: addresses
/// (``AccountKey/hexString``) and hashes in alert evidence, a few thousand hex digits per fan-out alert.
/// Public for the typology detectors' evidence writers; not API.
public enum _HexDigits {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101

    /// The eight lowercase hex digits of `value`, most significant first, as ASCII bytes in memory order
    /// (the first digit in the lowest byte of the result on little-endian storage).
    @inlinable @inline(__always)
    public static func eight(_ value: UInt32) -> UInt64 {
        // Spread the nibbles one per byte, least significant in the lowest byte, then reverse the bytes.
        var nibbles = UInt64(value)
        nibbles = (nibbles | nibbles << 16) & 0x0000_ffff_0000_ffff
        nibbles = (nibbles | nibbles << 8) & 0x00ff_00ff_00ff_00ff
        nibbles = (nibbles | nibbles << 4) & 0x0f0f_0f0f_0f0f_0f0f
        nibbles = nibbles.byteSwapped
        // A nibble of 10 or more carries into bit 4 when 6 is added; those bytes skip from `9`+1 to `a`.
        let letters = ((nibbles &+ ones &* 6) >> 4) & ones
        return nibbles &+ ones &* 0x30 &+ letters &* 0x27
    }

    /// Stores `eight(value)` at `offset` of `buffer` (which must have room for its eight bytes).
    @inlinable @inline(__always)
    public static func write(_ value: UInt32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        precondition(offset >= 0 && offset + 8 <= buffer.count)
        buffer.storeBytes(of: eight(value).littleEndian, toByteOffset: offset, as: UInt64.self)
    }

    /// Whether all eight bytes of `word` go into a JSON string as they are: printable ASCII other than `"`
    /// and `\`.
    @inlinable @inline(__always)
    public static func arePlain(_ word: UInt64) -> Bool {
        let high = ones &* 0x80
        let control = (word &- ones &* 0x20) & ~word & high
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5c))
        return (control | word & high | quote | backslash) == 0
    }

    @inlinable @inline(__always)
    static func hasZeroByte(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & (ones &* 0x80) }
}
