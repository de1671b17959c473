import ChainwatchCore
import RealModule

/// The training draws on ``SplitMix64`` (ChainwatchCore).
///
/// Every random choice in training (forest subsamples, split features and values, hyperplane normals,
/// autoencoder initialization and shuffling) draws from one of these, so a seed fixes a model bit for bit on
/// every platform. `Float`/`Double` draws use the top bits only; `gaussian()` is Box–Muller without caching.
typealias _SplitMix64 = SplitMix64

extension SplitMix64 {
    /// Uniform in [0, bound) without modulo bias worth caring about (bound ≪ 2^64).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Standard normal (Box–Muller, one value per call).
    mutating func gaussian() -> Double {
        let u1 = max(unit(), 0x1p-60)
        let u2 = unit()
        return Double.sqrt(-2 * Double.log(u1)) * Double.cos(2 * Double.pi * u2)
    }

    /// A child generator for an independent stream (e.g. one per tree), derived deterministically.
    mutating func split() -> _SplitMix64 { _SplitMix64(seed: next() ^ 0x5851_f42d_4c95_7f2d) }
}
