/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator whose output is fixed by the seed on
/// every platform and toolchain, so a planted stream is reproducible byte for byte.
///
/// The helpers below use their own arithmetic instead of `Int.random(in:using:)`, whose algorithm the
/// standard library does not promise to keep.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

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
