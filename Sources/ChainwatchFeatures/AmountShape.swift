/// Per-transaction amount features that need no state: roundness of the exact wei string and the
/// just-below-a-round-threshold flag (structuring: 9.6 ETH to stay under 10).
enum AmountShape {
    /// Trailing zeros of the decimal base-unit string divided by its digit count, in [0, 1):
    /// `1000000000000000000` (1 ETH) → 18/19 ≈ 0.947, `1642894143` → 0. 0 for `0`, empty or non-digit text.
    /// - Complexity: O(digits), no allocation.
    @inline(__always)
    static func roundness(_ digits: UnsafeBufferPointer<UInt8>) -> Float {
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
    @inline(__always)
    static func belowRoundThreshold(_ amount: Double, band: Double) -> Float {
        guard amount >= 1 - band, amount.isFinite else { return 0 }
        var power = 1.0
        while power <= amount { power *= 10 }
        return amount >= (1 - band) * power ? 1 : 0
    }
}
