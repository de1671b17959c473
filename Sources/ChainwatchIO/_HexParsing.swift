import ChainwatchCore

/// Branch-light hex validation and parsing for hashes and addresses, the hottest per-field work.
///
/// `AccountKey(hexAddress:)` is generic over any collection and exits early per character; here the
/// bytes are a contiguous view and each character is decoded arithmetically with the validity of all
/// characters folded into one flag, which the compiler turns into straight-line code. Tested against
/// `AccountKey(hexAddress:)` (`HexParsingTests`).
enum _HexParsing {
    /// `0x` + exactly 40 hex digits (either case) as an ``AccountKey``, else `nil`.
    ///
    /// - Complexity: O(1) (42 bytes), no allocation.
    @inline(__always)
    static func accountKey(_ bytes: UnsafeRawBufferPointer) -> AccountKey? {
        guard bytes.count == 42, bytes[0] == UInt8(ascii: "0"), bytes[1] | 0x20 == UInt8(ascii: "x") else { return nil }
        var invalid: UInt8 = 0
        let high = digits(bytes, from: 2, count: 16, invalid: &invalid)
        let middle = digits(bytes, from: 18, count: 16, invalid: &invalid)
        let low = digits(bytes, from: 34, count: 8, invalid: &invalid)
        guard invalid == 0 else { return nil }
        return AccountKey(high: high, middle: middle, low: UInt32(truncatingIfNeeded: low))
    }

    /// `true` for `0x` followed by exactly 64 hex digits (a transaction hash).
    @inline(__always)
    static func isHash(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == 66, bytes[0] == UInt8(ascii: "0"), bytes[1] | 0x20 == UInt8(ascii: "x") else { return false }
        var invalid: UInt8 = 0
        for start in stride(from: 2, to: 66, by: 16) {
            _ = digits(bytes, from: start, count: 16, invalid: &invalid)
        }
        return invalid == 0
    }

    /// Decodes `count` (≤ 16) hex digits starting at `from`; sets `invalid` non-zero on any non-hex byte.
    @inline(__always)
    private static func digits(_ bytes: UnsafeRawBufferPointer, from: Int, count: Int, invalid: inout UInt8) -> UInt64 {
        var value: UInt64 = 0
        for index in from ..< from + count {
            let byte = bytes[index]
            // Validity and value without data-dependent branches: hex digit vs letter is a coin flip,
            // so a branch here mispredicts on every other character.
            let notDigit: UInt8 = byte &- UInt8(ascii: "0") < 10 ? 0 : 1
            let notLetter: UInt8 = (byte | 0x20) &- UInt8(ascii: "a") < 6 ? 0 : 1
            invalid |= notDigit & notLetter
            // '0'…'9' are 0x30…0x39 (bit 6 clear); 'a'…'f'/'A'…'F' are 0x61…/0x41… (bit 6 set) and need + 9.
            value = value &<< 4 | UInt64((byte & 0x0F) &+ 9 &* (byte &>> 6))
        }
        return value
    }
}
