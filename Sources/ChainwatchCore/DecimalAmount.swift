/// Conversions of exact integer amount strings (uint256 wei, satoshi) to floating point.
public enum DecimalAmount {
    /// Powers of ten that `Double` holds exactly up to 10^22.
    @usableFromInline
    static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0 ..< exponent { value *= 10 }
        return value
    }

    /// Converts a non-negative decimal integer in base units to the display unit (`digits / 10^decimals`).
    ///
    /// Values beyond 2^64 (a 32 ETH transfer is 3.2·10^19 wei) are handled: digits are folded 19 at a time
    /// into `UInt64` chunks, so the result is within a few ulps of the exact quotient. Returns `nil` when
    /// the bytes are empty, longer than 78 digits (uint256) or contain anything but ASCII digits.
    ///
    /// - Complexity: O(n) in the number of digits, no allocation.
    @inlinable
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes, decimals: Int) -> Double? {
        let count = bytes.count
        guard count > 0, count <= 78 else { return nil }
        var total = 0.0
        var chunk: UInt64 = 0
        var chunkDigits = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            chunk = chunk &* 10 &+ UInt64(digit)
            chunkDigits += 1
            if chunkDigits == 19 {
                total = total * 1e19 + Double(chunk)
                chunk = 0
                chunkDigits = 0
            }
        }
        if chunkDigits > 0 {
            total = total * powersOfTen[chunkDigits] + Double(chunk)
        }
        var scale = decimals
        while scale > 22 {
            total /= powersOfTen[22]
            scale -= 22
        }
        return total / powersOfTen[scale]
    }

    /// Parses a non-negative decimal integer that fits in `Int64` (block numbers, timestamps, gas).
    @inlinable
    public static func parseInt64<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return value
    }
}
