/// C's `%.6g` for the numbers alerts print most often (finite, not whole, 10⁻⁸ ≤ |x| < 10¹⁵), computed
/// exactly in integer arithmetic. `vsnprintf` costs about 470 ns a number here (format parsing, `CVarArg`
/// boxing and a dynamic cast per call), this about 80, and a typology alert prints twenty amounts.
///
/// A double in that range is `m × 2⁻ˢ` exactly (`s > 0`). With `X` its decimal exponent, the six digits are
/// `m × 10^(5−X) / 2ˢ` rounded half to even, which is what glibc does with the exact binary value: the
/// quotient and the remainder against one half come from a 128-bit product, so no step rounds. The text then
/// follows `%g`: exponent notation when `X < −4` or `X ≥ 6`, trailing zeros dropped.
enum _SixSignificantDigits {
    /// 10⁰ … 10¹⁹.
    private static let powersOfTen: [UInt64] = {
        var powers: [UInt64] = [1]
        for _ in 1 ... 19 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// The `%.6g` text of `value`, or `nil` outside the range above (the caller formats those itself).
    static func text(_ value: Double) -> String? {
        var written = 0
        let text = String(unsafeUninitializedCapacity: maxLength) { buffer in
            written = write(value, into: buffer.baseAddress!)
            return written
        }
        return written > 0 ? text : nil
    }

    /// The most bytes ``write(_:into:)`` writes (`-1.23456e-08`).
    static let maxLength = 16

    /// Writes the `%.6g` text of `value` at `start` (room for ``maxLength`` bytes) and returns its length,
    /// or 0 outside the range above (nothing is written then).
    static func write(_ value: Double, into start: UnsafeMutablePointer<UInt8>) -> Int {
        let magnitude = value.magnitude
        guard magnitude >= 1e-8, magnitude < 1e15, magnitude != magnitude.rounded() else { return 0 }
        let significand = magnitude.significandBitPattern | 1 << 52
        let shift = 52 - Int(magnitude.exponent)
        // floor(log₁₀ 2) × binary exponent, off by at most one; the loop settles it.
        var exponent = (Int(magnitude.exponent) * 1_233) >> 12
        for _ in 0 ..< 3 {
            let (quotient, versusHalf) = scaled(significand, shift: shift, byPowerOfTen: 5 - exponent)
            if quotient >= 1_000_000 {
                exponent += 1
            } else if quotient < 100_000 {
                exponent -= 1
            } else {
                var digits = versusHalf > 0 || (versusHalf == 0 && quotient & 1 == 1) ? quotient + 1 : quotient
                if digits == 1_000_000 {
                    digits = 100_000
                    exponent += 1
                }
                return render(negative: value < 0, digits: digits, exponent: exponent, into: start)
            }
        }
        return 0
    }

    /// `⌊m × 10ᵏ / 2ˢ⌋` and the sign of (remainder − half the divisor) for `0 < s`, `m < 2⁵³`, `−10 ≤ k ≤ 13`
    /// (what the range allows: the product stays below 2¹²⁸, the divisor below 2⁶⁴).
    private static func scaled(_ m: UInt64, shift s: Int, byPowerOfTen k: Int) -> (quotient: UInt64, versusHalf: Int) {
        if k >= 0 {
            let (high, low) = m.multipliedFullWidth(by: powersOfTen[k])
            if s >= 64 {
                let inHigh = s - 64
                if inHigh == 0 { return (high, compare((0, low), (0, 1 << 63))) }
                let remainder = (high & (1 << UInt64(inHigh) - 1), low)
                return (high >> UInt64(inHigh), compare(remainder, (1 << UInt64(inHigh - 1), 0)))
            }
            // A quotient past 64 bits only happens for a wrong exponent guess: report it as too big.
            guard high >> UInt64(s) == 0 else { return (.max, 1) }
            let quotient = high << UInt64(64 - s) | low >> UInt64(s)
            return (quotient, compare((0, low & (1 << UInt64(s) - 1)), (0, 1 << UInt64(s - 1))))
        }
        let divisor = powersOfTen[-k] << UInt64(s)
        let twiceRemainder = (m % divisor).multipliedFullWidth(by: 2)
        return (m / divisor, compare((twiceRemainder.high, twiceRemainder.low), (0, divisor)))
    }

    /// The sign of `a − b` for 128-bit numbers given as (high, low) words.
    private static func compare(_ a: (UInt64, UInt64), _ b: (UInt64, UInt64)) -> Int {
        if a.0 != b.0 { return a.0 < b.0 ? -1 : 1 }
        if a.1 != b.1 { return a.1 < b.1 ? -1 : 1 }
        return 0
    }

    /// Writes the `%g` text of `±d.ddddd × 10^exponent` from the six digits `digits` (100000 … 999999) at
    /// `text` and returns its length.
    private static func render(negative: Bool, digits: UInt64, exponent: Int, into text: UnsafeMutablePointer<UInt8>) -> Int {
        var digit: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        var last = 0
        withUnsafeMutableBytes(of: &digit) { digit in
            var rest = digits
            for index in (0 ..< 6).reversed() {
                digit[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                if last == 0, digit[index] != UInt8(ascii: "0") { last = index }
            }
        }
        return withUnsafeBytes(of: &digit) { digit in
            var end = 0
            func put(_ byte: UInt8) {
                text[end] = byte
                end += 1
            }
            if negative { put(UInt8(ascii: "-")) }
            if exponent < -4 || exponent >= 6 {
                put(digit[0])
                if last > 0 {
                    put(UInt8(ascii: "."))
                    for index in 1 ... last { put(digit[index]) }
                }
                put(UInt8(ascii: "e"))
                put(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                put(UInt8(ascii: "0") + UInt8(abs(exponent) / 10))
                put(UInt8(ascii: "0") + UInt8(abs(exponent) % 10))
            } else if exponent >= 0 {
                for index in 0 ... exponent { put(digit[index]) }
                if last > exponent {
                    put(UInt8(ascii: "."))
                    for index in exponent + 1 ... last { put(digit[index]) }
                }
            } else {
                put(UInt8(ascii: "0"))
                put(UInt8(ascii: "."))
                for _ in 0 ..< -exponent - 1 { put(UInt8(ascii: "0")) }
                for index in 0 ... last { put(digit[index]) }
            }
            return end
        }
    }
}
