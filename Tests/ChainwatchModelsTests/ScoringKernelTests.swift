import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// The batch scoring kernels against the scalar paths, on the inputs where a fast kernel could differ:
/// special float values, values equal to split thresholds, every tail size and wide rows.
struct ForestWalkKernelTests {
    static let specials: [Float] = [
        0, -0.0, .infinity, -.infinity, .nan, -.nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
        .leastNormalMagnitude, -.greatestFiniteMagnitude, .greatestFiniteMagnitude, 1, -1, 0.5, -2.5,
    ]

    /// `valueKey(x) ≥ thresholdKey(t)` exactly when `x ≥ t`, for every pair of special values.
    @Test func orderKeysKeepFloatComparison() {
        for x in Self.specials {
            for t in Self.specials {
                #expect((IsolationForest.valueKey(x) >= IsolationForest.thresholdKey(t)) == (x >= t), "x \(x), t \(t)")
            }
        }
    }

    /// The vectorized key conversion gives the scalar keys, including the `count mod 4` tail.
    @Test func storedKeysMatchScalarKeys() {
        let values = Self.specials + [3, -7, 1e-30, -1e30]
        var keys = [UInt32](repeating: 1, count: values.count)
        values.withUnsafeBufferPointer { v in
            keys.withUnsafeMutableBufferPointer {
                IsolationForest.storeValueKeys(v.baseAddress!, count: v.count, to: $0.baseAddress!)
            }
        }
        #expect(keys == values.map(IsolationForest.valueKey))
    }

    /// Rows made of special values and of the forest's own thresholds score as the float walk of
    /// `score(row:)` does, whatever the batch size (tails of the 11-row groups and 66-row blocks).
    @Test(arguments: [6, 70])
    func batchScoresMatchScalarWalkOnSpecialValues(dimensions: Int) {
        let training = TestData.gaussian(rows: 400, dimensions: dimensions, seed: 31)
        let forest = IsolationForest.train(training, configuration: .init(trees: 15, sampleSize: 128, seed: 6))
        var rng = _SplitMix64(seed: 17)
        let finite = forest.threshold.filter { $0.isFinite }
        var values: [Float] = []
        for _ in 0 ..< 140 * dimensions {
            switch rng.below(3) {
            case 0: values.append(Self.specials[rng.below(Self.specials.count)])
            case 1: values.append(finite[rng.below(finite.count)])
            default: values.append(Float(rng.gaussian()))
            }
        }
        let all = FeatureMatrix(dimensions: dimensions, values: values)
        let expected = (0 ..< all.rows).map { forest.score(row: all.row($0)) }
        var scores: [Float] = []
        for rows in [0, 1, 10, 11, 12, 65, 66, 67, 140] {
            forest.score(FeatureMatrix(dimensions: dimensions, values: Array(values[0 ..< rows * dimensions])), into: &scores)
            #expect(scores.count == rows)
            #expect(scores == Array(expected[0 ..< rows]), "rows \(rows)")
        }
    }
}

struct AutoencoderTileKernelTests {
    /// The tile kernel has the same bits as the SIMD16 training forward (`_MatrixKernels.dense`), for every
    /// row count 0 … 35, both activations, and fewer layers than the four quarter-tile transposes of the next
    /// tile (done after the last layer then): training and scoring agree bit for bit.
    @Test(arguments: [(Autoencoder.Activation.relu, [9, 5, 3, 5, 9]), (.tanh, [9, 5, 3, 5, 9]), (.relu, [9, 4, 9])])
    func tileScoresMatchTrainingForwardBitForBit(activation: Autoencoder.Activation, layerSizes: [Int]) {
        var rng = _SplitMix64(seed: 23)
        let model = Autoencoder.initialized(layerSizes: layerSizes, activation: activation, rng: &rng)
        let all = TestData.gaussian(rows: 35, dimensions: 9, seed: 8)
        var scores: [Float] = []
        for rows in 0 ... 35 {
            let data = FeatureMatrix(dimensions: 9, values: Array(all.values[0 ..< rows * 9]))
            model.score(data, into: &scores)
            #expect(scores == Self.trainingForwardErrors(model, data), "rows \(rows)")
        }
    }

    /// Per-row errors through `_MatrixKernels.transpose` and `dense` (the SIMD16 forward training uses),
    /// then the mean of squared differences in feature order, 16 rows at a time.
    static func trainingForwardErrors(_ model: Autoencoder, _ data: FeatureMatrix) -> [Float] {
        typealias Lanes = _MatrixKernels.Lanes
        let sizes = model.layerSizes, total = sizes.reduce(0, +), d = model.dimensions
        let scratch = UnsafeMutablePointer<Lanes>.allocate(capacity: total)
        defer { scratch.deallocate() }
        var errors: [Float] = []
        var start = 0
        while start < data.rows {
            let count = min(16, data.rows - start)
            data.values.withUnsafeBufferPointer {
                _MatrixKernels.transpose(rows: $0.baseAddress! + start * d, count: count, dimensions: d, into: scratch)
            }
            var input = scratch
            model.parameters.withUnsafeBufferPointer { p in
                for l in 0 ..< sizes.count - 1 {
                    let n = sizes[l], m = sizes[l + 1], w = p.baseAddress! + model.weightOffset(l)
                    _MatrixKernels.dense(weights: w, bias: w + m * n, input: input, inCount: n, output: input + n,
                                         outCount: m, activation: l == sizes.count - 2 ? nil : model.activation)
                    input += n
                }
            }
            var squares = Lanes()
            for j in 0 ..< d {
                let diff = input[j] - scratch[j]
                squares = squares + diff * diff
            }
            let lanes = squares / Lanes(repeating: Float(d))
            for lane in 0 ..< count { errors.append(lanes[lane]) }
            start += count
        }
        return errors
    }

    /// Training keeps the broadcast copy of the parameters in step.
    @Test func broadcastParametersFollowTraining() {
        let data = TestData.gaussian(rows: 100, dimensions: 4, seed: 2)
        let model = Autoencoder.train(data, configuration: .init(hidden: [3], epochs: 2, batchSize: 16, seed: 1)).model
        #expect(model.broadcastParameters == model.parameters.map { SIMD4(repeating: $0) })
    }
}
