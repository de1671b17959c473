/// Hex text decoded sixteen digits at a time in `SIMD16<UInt8>` vectors (SSE2 on a baseline x86-64 build): every
/// row has a transaction hash and two addresses to check and decode (the hash into ``TxBatch/canonicalHash``,
/// which the typology detectors keep as evidence), so this is the hottest per-character work of parsing. A
/// digit at a time costs about twenty instructions (range checks, nibble value, shift into the result); a
/// vector lane costs well under one.
///
/// Only operations that are vector instructions after inlining: the concrete vector-to-vector arithmetic and
/// comparisons, bit casts, and lane reads at constant indices (shuffles to LLVM). The generic SIMD helpers
/// (comparisons with a scalar, `pointwiseMin`, `all`, `init(truncatingIfNeeded:)`) are per-lane loops that are not
/// reliably inlined, and a call or a lane loop through memory when they are not (checked with `objdump -d`).
/// Each function reads only the bytes of `text`: the vectors start after the `0x` and the last one ends at the last
/// byte, overlapping the one before it where the digits are not a multiple of 16.
/// Public for the decoders and the typology detectors; not API.
public enum _HexDecoding {
    public typealias Vector = SIMD16<UInt8>
    public typealias Mask = SIMDMask<SIMD16<Int8>>

    /// `0x` or `0X` followed by exactly 40 hex digits in either case, as an ``AccountKey`` (`high` from the first
    /// 16 digits, `middle` from the next 16, `low` from the last 8, the first digit most significant), else `nil`.
    ///
    /// - Complexity: O(1) (three 16-byte loads), no allocation.
    @inlinable @inline(__always)
    public static func accountKey(_ text: UnsafeRawBufferPointer) -> AccountKey? {
        guard text.count == 42, let base = text.baseAddress, hasPrefix(base, eitherCase: true) else { return nil }
        let first = digits(base, at: 2, eitherCase: true)
        let second = digits(base, at: 18, eitherCase: true)
        // Digits 24–39: its first eight repeat the end of `second`; only its last four bytes are kept.
        let last = digits(base, at: 26, eitherCase: true)
        guard allSet(first.valid .& second.valid .& last.valid) else { return nil }
        // `high` and `low` from one pack, so that each pack's result is used whole: with only a middle part of one
        // used, LLVM narrows the shuffle into a longer sequence.
        let outer = pack(first.nibbles, last.nibbles)
        let middle = unsafeBitCast(pack(second.nibbles, second.nibbles), to: SIMD2<UInt64>.self)
        // The bytes are in text order, so each field is their big-endian reading.
        return AccountKey(
            high: UInt64(bigEndian: unsafeBitCast(outer, to: SIMD2<UInt64>.self)[0]),
            middle: UInt64(bigEndian: middle[0]),
            low: UInt32(bigEndian: unsafeBitCast(outer, to: SIMD4<UInt32>.self)[3])
        )
    }

    /// Whether `text` is `0x` or `0X` followed by exactly 64 hex digits in either case (a transaction hash).
    @inlinable @inline(__always)
    public static func isHash(_ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count == 66, let base = text.baseAddress, hasPrefix(base, eitherCase: true) else { return false }
        let valid = digits(base, at: 2, eitherCase: true).valid .& digits(base, at: 18, eitherCase: true).valid
            .& digits(base, at: 34, eitherCase: true).valid .& digits(base, at: 50, eitherCase: true).valid
        return allSet(valid)
    }

    /// The 32 bytes, in text order, that a hash in canonical form spells: `0x` followed by exactly 64 lowercase hex
    /// digits. `nil` for any other text, including upper-case digits or `0X`, which the bytes could not restore.
    @inlinable @inline(__always)
    public static func canonicalHashBytes(_ text: UnsafeRawBufferPointer) -> (Vector, Vector)? {
        guard text.count == 66, let base = text.baseAddress, hasPrefix(base, eitherCase: false) else { return nil }
        let first = digits(base, at: 2, eitherCase: false)
        let second = digits(base, at: 18, eitherCase: false)
        let third = digits(base, at: 34, eitherCase: false)
        let fourth = digits(base, at: 50, eitherCase: false)
        guard allSet(first.valid .& second.valid .& third.valid .& fourth.valid) else { return nil }
        return (pack(first.nibbles, second.nibbles), pack(third.nibbles, fourth.nibbles))
    }

    /// Whether the first two bytes are `0x` (or `0X` when `eitherCase`), as one 16-bit compare.
    @inlinable @inline(__always)
    static func hasPrefix(_ base: UnsafeRawPointer, eitherCase: Bool) -> Bool {
        let prefix = UInt16(littleEndian: base.loadUnaligned(as: UInt16.self))
        // `0` in the low byte, `x` (0x78) in the high one; `X` (0x58) differs only in bit 5 of the high byte.
        return (eitherCase ? prefix | 0x2000 : prefix) == 0x7830
    }

    /// The values of the 16 bytes at `offset` as hex digits (`0`–`9`, `a`–`f`, and `A`–`F` when `eitherCase`), one
    /// per lane, and the lanes that are such a digit; lanes outside `valid` hold garbage.
    @inlinable @inline(__always)
    static func digits(_ base: UnsafeRawPointer, at offset: Int, eitherCase: Bool) -> (nibbles: Vector, valid: Mask) {
        let text = base.loadUnaligned(fromByteOffset: offset, as: Vector.self)
        // Each range is moved to start at Int8.min so that one signed compare (`pcmpgtb`) checks it; SSE2 has no
        // unsigned byte compare. Setting bit 5 folds `A`–`F` onto `a`–`f` (and nothing else onto them); it would
        // also fold control bytes onto `0`–`9`, so digits use `text` as it is.
        let digit = unsafeBitCast(text &+ Vector(repeating: 0x80 - 0x30), to: SIMD16<Int8>.self)
        let folded = eitherCase ? text | Vector(repeating: 0x20) : text
        let letter = unsafeBitCast(folded &+ Vector(repeating: 0x80 - 0x61), to: SIMD16<Int8>.self)
        let isLetter = letter .< SIMD16<Int8>(repeating: Int8.min + 6)
        let valid = (digit .< SIMD16<Int8>(repeating: Int8.min + 10)) .| isLetter
        // `0`–`9` and `a`–`f`/`A`–`F` end in the nibbles 0–9 and 1–6: letters add 9. A true mask lane is all ones.
        let nine = unsafeBitCast(isLetter, to: Vector.self) & Vector(repeating: 9)
        return ((text & Vector(repeating: 0x0f)) &+ nine, valid)
    }

    /// The 16 bytes that 32 digit values spell (`first`'s then `second`'s, two per byte, the first one high).
    @inlinable @inline(__always)
    static func pack(_ first: Vector, _ second: Vector) -> Vector {
        let a = pairs(first), b = pairs(second)
        // Constant lane reads into the 16-scalar initializer are one shuffle to LLVM: `psrlw` and `packuswb` on
        // SSE2. (`init(truncatingIfNeeded:)` and `oddHalf` are generic lane loops, not always inlined.)
        return Vector(
            a[1], a[3], a[5], a[7], a[9], a[11], a[13], a[15],
            b[1], b[3], b[5], b[7], b[9], b[11], b[13], b[15]
        )
    }

    /// Each pair of digit values as one byte in the odd lanes (the second byte of each 16-bit lane in memory); the
    /// even lanes hold garbage.
    @inlinable @inline(__always)
    static func pairs(_ digits: Vector) -> Vector {
        let lanes = unsafeBitCast(digits, to: SIMD8<UInt16>.self)
        #if _endian(little)
        // The high-nibble digit is the lane's low byte: shifted to the top nibble, beside the other digit.
        return unsafeBitCast(lanes &<< 12 | lanes, to: Vector.self)
        #else
        return unsafeBitCast(lanes &>> 4 | lanes, to: Vector.self)
        #endif
    }

    /// Whether every lane of `mask` is true, as one 128-bit compare (`all(_:)` is a call to a reduction loop).
    @inlinable @inline(__always)
    static func allSet(_ mask: Mask) -> Bool {
        let halves = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return halves[0] & halves[1] == .max
    }
}
