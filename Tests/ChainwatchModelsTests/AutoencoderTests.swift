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
    /// The batched scoring forward (16-row tiles) against the scalar reference for every row count 0 … 67.
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

    /// Lane-wise backward pass against scalar sums over rows, for full and partial blocks.
    @Test(arguments: [(Autoencoder.Activation.relu, 16), (.tanh, 16), (.relu, 5)])
    func denseBackwardMatchesScalar(activation: Autoencoder.Activation, rows: Int) {
        typealias Lanes = _MatrixKernels.Lanes
        let n = 6, m = 4
        var rng = _SplitMix64(seed: 12)
        let w = (0 ..< m * n).map { _ in Float(rng.gaussian()) }
        let a = (0 ..< rows * n).map { _ in Float(rng.gaussian()) }      // rows × n, row-major
        let delta = (0 ..< rows * m).map { _ in Float(rng.gaussian()) }  // rows × m
        let input = UnsafeMutablePointer<Lanes>.allocate(capacity: n), deltaLanes = UnsafeMutablePointer<Lanes>.allocate(capacity: m)
        let gradients = UnsafeMutablePointer<Lanes>.allocate(capacity: m * n + m), inputDelta = UnsafeMutablePointer<Lanes>.allocate(capacity: n)
        defer { input.deallocate(); deltaLanes.deallocate(); gradients.deallocate(); inputDelta.deallocate() }
        a.withUnsafeBufferPointer { _MatrixKernels.transpose(rows: $0.baseAddress!, count: rows, dimensions: n, into: input) }
        delta.withUnsafeBufferPointer { _MatrixKernels.transpose(rows: $0.baseAddress!, count: rows, dimensions: m, into: deltaLanes) }
        gradients.initialize(repeating: Lanes(), count: m * n + m)
        w.withUnsafeBufferPointer {
            _MatrixKernels.denseBackward(weights: $0.baseAddress!, input: input, inCount: n, delta: deltaLanes, outCount: m,
                                         gradients: gradients, inputDelta: inputDelta, activation: activation)
        }
        var summed = [Float](repeating: 0, count: m * n + m)
        summed.withUnsafeMutableBufferPointer { _MatrixKernels.laneSums(gradients, count: m * n + m, into: $0.baseAddress!) }
        for o in 0 ..< m {
            for i in 0 ..< n {
                let expected = (0 ..< rows).reduce(Float(0)) { $0 + delta[$1 * m + o] * a[$1 * n + i] }
                #expect(summed[o * n + i].isApproximatelyEqual(to: expected, absoluteTolerance: 1e-5))
            }
            let bias = (0 ..< rows).reduce(Float(0)) { $0 + delta[$1 * m + o] }
            #expect(summed[m * n + o].isApproximatelyEqual(to: bias, absoluteTolerance: 1e-5))
        }
        for r in 0 ..< rows {
            for i in 0 ..< n {
                let back = (0 ..< m).reduce(Float(0)) { $0 + w[$1 * n + i] * delta[r * m + $1] }
                let x = a[r * n + i]
                let expected = activation == .relu ? (x > 0 ? back : 0) : back * (1 - x * x)
                #expect(inputDelta[i][r].isApproximatelyEqual(to: expected, absoluteTolerance: 1e-5))
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
        expected = _MatrixKernels.Lanes()
        expected[0] = 2; expected[1] = 5; expected[2] = 8
        #expect(out[2] == expected)
    }
}
