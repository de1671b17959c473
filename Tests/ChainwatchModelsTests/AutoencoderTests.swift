import ChainwatchCore
@testable import ChainwatchModels
import RealModule
import Testing

struct AutoencoderTests {
    static let configuration = Autoencoder.Configuration(hidden: [16, 8, 16], epochs: 30, batchSize: 64,
                                                         learningRate: 5e-3, seed: 4)

    @Test func lossDecreases() {
        let data = Standardizer.fit(TestData.lowRank(rows: 800, dimensions: 10, factors: 3, seed: 8))
            .transform(TestData.lowRank(rows: 800, dimensions: 10, factors: 3, seed: 8))
        let (_, history) = Autoencoder.train(data, configuration: Self.configuration)
        #expect(history.count == 30)
        #expect(history.last! < 0.5 * history.first!, "\(history.first!) → \(history.last!)")
    }

    @Test func plantedAnomaliesHaveTheLargestErrors() {
        var raw = TestData.lowRank(rows: 1000, dimensions: 10, factors: 3, seed: 8)
        let standardizer = Standardizer.fit(raw)
        let model = Autoencoder.train(standardizer.transform(raw), configuration: Self.configuration).model
        // Break the correlation structure in single features, by an amount within the feature's normal range.
        let planted = [3, 250, 512, 777, 999]
        for (k, r) in planted.enumerated() { raw[r, k * 2] += 4 * standardizer.std[k * 2] }
        var scores: [Float] = []
        model.score(standardizer.transform(raw), into: &scores)
        #expect(TestData.top(scores, 10).isSuperset(of: planted))      // all in the top 1 %
        let errors = model.perFeatureError(row: standardizer.transform(row: raw.row(250)))
        #expect(errors.indices.max { errors[$0] < errors[$1] } == 2)
    }

    @Test func deterministicForASeed() {
        let data = TestData.gaussian(rows: 200, dimensions: 5, seed: 1)
        let configuration = Autoencoder.Configuration(epochs: 2, batchSize: 32, seed: 3)
        let a = Autoencoder.train(data, configuration: configuration)
        let b = Autoencoder.train(data, configuration: configuration)
        #expect(a.model == b.model)
        #expect(a.lossHistory == b.lossHistory)
    }
}

struct MatrixKernelTests {
    /// The SIMD16 batched forward against the scalar reference for every row count 0 … 67 (all tail sizes).
    @Test(arguments: [Autoencoder.Activation.relu, .tanh])
    func batchedForwardMatchesScalar(activation: Autoencoder.Activation) {
        var rng = _SplitMix64(seed: 99)
        let model = Autoencoder.initialized(layerSizes: [7, 5, 3, 5, 7], activation: activation, rng: &rng)
        let all = TestData.gaussian(rows: 67, dimensions: 7, seed: 5)
        var scores: [Float] = [1, 2, 3]
        for rows in 0 ... 67 {
            let data = FeatureMatrix(dimensions: 7, values: Array(all.values[0 ..< rows * 7]))
            model.score(data, into: &scores)
            #expect(scores.count == rows)
            for r in 0 ..< rows {
                let expected = model.score(row: data.row(r))
                #expect(scores[r].isApproximatelyEqual(to: expected, relativeTolerance: 1e-5), "rows \(rows), row \(r)")
            }
        }
    }

    @Test func transposeZeroFillsMissingLanes() {
        let rows: [Float] = (0 ..< 9).map(Float.init)                 // 3 rows × 3 features
        let out = UnsafeMutablePointer<_MatrixKernels.Lanes>.allocate(capacity: 3)
        defer { out.deallocate() }
        rows.withUnsafeBufferPointer { _MatrixKernels.transpose(rows: $0.baseAddress!, count: 3, dimensions: 3, into: out) }
        var expected = _MatrixKernels.Lanes()
        expected[0] = 1; expected[1] = 4; expected[2] = 7
        #expect(out[1] == expected)
        var stored = [Float](repeating: -1, count: 16)
        stored.withUnsafeMutableBufferPointer { _MatrixKernels.store(out[2], count: 5, to: $0.baseAddress!) }
        #expect(stored[0 ..< 6] == [2, 5, 8, 0, 0, -1])
    }
}
