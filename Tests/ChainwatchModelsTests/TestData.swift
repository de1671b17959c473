import ChainwatchCore
@testable import ChainwatchModels

/// Seeded synthetic data for the model tests (small enough for debug builds).
enum TestData {
    /// Standard normal rows.
    static func gaussian(rows: Int, dimensions: Int, seed: UInt64) -> FeatureMatrix {
        var rng = _SplitMix64(seed: seed)
        return FeatureMatrix(dimensions: dimensions, values: (0 ..< rows * dimensions).map { _ in Float(rng.gaussian()) })
    }

    /// Rows generated from `factors` latent normals through a fixed random mixing plus small noise, so an
    /// autoencoder with a bottleneck ≥ `factors` can reconstruct them.
    static func lowRank(rows: Int, dimensions: Int, factors: Int, seed: UInt64) -> FeatureMatrix {
        var rng = _SplitMix64(seed: seed)
        let mixing = (0 ..< factors * dimensions).map { _ in rng.gaussian() }
        var values: [Float] = []
        values.reserveCapacity(rows * dimensions)
        for _ in 0 ..< rows {
            let z = (0 ..< factors).map { _ in rng.gaussian() }
            for j in 0 ..< dimensions {
                var v = 0.05 * rng.gaussian()
                for f in 0 ..< factors { v += z[f] * mixing[f * dimensions + j] }
                values.append(Float(v))
            }
        }
        return FeatureMatrix(dimensions: dimensions, values: values)
    }

    /// Overwrites rows `rows` with the bulk value plus `offset` in `feature` (a planted single-feature anomaly).
    static func plant(_ data: inout FeatureMatrix, rows: [Int], feature: Int, value: Float) {
        for r in rows { data[r, feature] = value }
    }

    /// Indices of the `k` largest scores.
    static func top(_ scores: [Float], _ k: Int) -> Set<Int> {
        Set(scores.indices.sorted { scores[$0] > scores[$1] }.prefix(k))
    }
}
