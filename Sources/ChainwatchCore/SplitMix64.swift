/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator whose output is fixed by the seed on every
/// platform and toolchain.
///
/// Every random choice in chainwatch draws from one of these — model training (subsamples, splits,
/// initialization, shuffling), planted backtest streams, tests — so a seed fixes a result byte for byte.
/// Helpers built on it use their own arithmetic instead of `Int.random(in:using:)`, whose algorithm the
/// standard library does not promise to keep.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z &>> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z &>> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() &>> 11) * 0x1p-53 }
}
