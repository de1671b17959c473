import ChainwatchCore

/// Draws used to plant backtest patterns.
extension SplitMix64 {
    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Uniform integer in `range` (modulo bias below 2^-40 for the small ranges used here).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// `count` lowercase hex digits.
    public mutating func hexDigits(_ count: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var word = next(), left = 16
        for _ in 0 ..< count {
            if left == 0 { word = next(); left = 16 }
            bytes.append(digits[Int(word & 0xf)])
            word >>= 4
            left -= 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
