/// Per-transaction amount features that need no state: roundness of the exact wei string and the
/// just-below-a-round-threshold flag (structuring: 9.6 ETH to stay under 10).
enum AmountShape {
    /// Trailing zeros of the decimal base-unit string divided by its digit count, in [0, 1):
    /// `1000000000000000000` (1 ETH) → 18/19 ≈ 0.947, `1642894143` → 0. 0 for `0`, empty or non-digit text.
    ///
    /// Eight bytes per step (SWAR) for strings of eight bytes or more; ``scalarRoundness(_:)`` is the
    /// plain definition (used below eight bytes, and by the tests as the reference).
    /// - Complexity: O(digits), no allocation.
    @inline(__always)
    static func roundness(_ digits: UnsafeBufferPointer<UInt8>) -> Float {
        let n = digits.count
        guard n >= 8, let base = digits.baseAddress else { return scalarRoundness(digits) }
        let raw = UnsafeRawPointer(base)
        @inline(__always) func word(_ offset: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        // Every byte a digit: high nibble 3, and low nibble + 6 does not carry (low nibble ≤ 9).
        @inline(__always) func allDigits(_ w: UInt64) -> Bool {
            (w & 0xf0f0_f0f0_f0f0_f0f0) == 0x3030_3030_3030_3030
                && ((w & 0x0f0f_0f0f_0f0f_0f0f) &+ 0x0606_0606_0606_0606) & 0xf0f0_f0f0_f0f0_f0f0 == 0
        }
        var offset = 0
        while offset + 8 < n {
            guard allDigits(word(offset)) else { return 0 }
            offset += 8
        }
        guard allDigits(word(n - 8)) else { return 0 }
        // Bytes equal to "0" become zero bytes; the string's first byte is the word's lowest.
        let zero: UInt64 = 0x3030_3030_3030_3030
        var leading = 0
        while leading + 8 <= n {
            let x = word(leading) ^ zero
            if x != 0 { leading += x.trailingZeroBitCount / 8; break }
            leading += 8
        }
        while leading < n, digits[leading] == UInt8(ascii: "0") { leading += 1 }
        let significant = n - leading
        guard significant > 0 else { return 0 }
        // The first significant digit is not "0", so counting stops there.
        var trailing = 0
        while n - trailing - 8 >= 0 {
            let x = word(n - trailing - 8) ^ zero
            if x != 0 { trailing += x.leadingZeroBitCount / 8; break }
            trailing += 8
        }
        if n - trailing - 8 < 0 {
            while n - trailing - 1 > leading, digits[n - trailing - 1] == UInt8(ascii: "0") { trailing += 1 }
        }
        return Float(trailing) / Float(significant)
    }

    /// The plain definition of ``roundness(_:)``, byte by byte.
    static func scalarRoundness(_ digits: UnsafeBufferPointer<UInt8>) -> Float {
        var start = 0
        while start < digits.count, digits[start] == UInt8(ascii: "0") { start += 1 }
        let significant = digits.count - start
        guard significant > 0 else { return 0 }
        var zeros = 0
        var index = digits.count - 1
        while index > start, digits[index] == UInt8(ascii: "0") {
            zeros += 1
            index -= 1
        }
        for k in start ..< digits.count where digits[k] &- UInt8(ascii: "0") > 9 { return 0 }
        return Float(zeros) / Float(significant)
    }

    /// 1 when `amount` (ETH) is in [(1 − band)·10^k, 10^k) for some k ≥ 0 (just under 1, 10, 100, … ETH), else 0.
    ///
    /// The threshold is the smallest power of ten above `amount` (1 below 1 ETH). Below 10²³ it comes from
    /// the amount's binary exponent and one comparison, without branches: amounts of every size arrive in
    /// no order, and a loop over the powers mispredicted its exit on most rows. ``plainBelowRoundThreshold(_:band:)``
    /// is the definition (used above 10²³, and by the tests as the reference).
    @inline(__always)
    static func belowRoundThreshold(_ amount: Double, band: Double) -> Float {
        // Not taken for any real amount (also takes NaN and ∞).
        guard amount < 1e23 else { return plainBelowRoundThreshold(amount, band: band) }
        // 2^e ≤ |amount| < 2^(e+1) puts log10 |amount| in [t, t + 1] with t = ⌊e·log10 2⌋ (1233/4096 is
        // log10 2 closely enough for |e| ≤ 1000); so for amount ≥ 1 the count of powers 10^j ≤ amount
        // (j ≥ 0) is t + 1, plus one if 10^(t+1) ≤ amount. Below 1 (e ≤ −1) the count comes out 0.
        // Negative amounts (never flagged) may have any exponent: e is clamped to the table.
        let e = min(max(Int((amount.bitPattern >> 52) & 0x7ff) - 1023, -1), 76)
        let lower = (e &* 1233) >> 12 &+ 1
        let count = lower &+ (amount >= powersOfTen[lower] ? 1 : 0)
        return amount >= (1 - band) * powersOfTen[count] ? 1 : 0
    }

    /// 10⁰ … 10²⁴ as the loop in ``plainBelowRoundThreshold(_:band:)`` computes them (exact up to 10²², and
    /// 10²³ is the correctly rounded product 10²² · 10).
    private static let powersOfTen: [Double] = {
        var powers = [1.0]
        while powers.count < 25 { powers.append(powers.last! * 10) }
        return powers
    }()

    /// The plain definition of ``belowRoundThreshold(_:band:)``: multiply up to the first power of ten above.
    static func plainBelowRoundThreshold(_ amount: Double, band: Double) -> Float {
        guard amount >= 1 - band, amount.isFinite else { return 0 }
        var power = 1.0
        while power <= amount { power *= 10 }
        return amount >= (1 - band) * power ? 1 : 0
    }
}
