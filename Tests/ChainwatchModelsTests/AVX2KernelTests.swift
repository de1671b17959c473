import _ChainwatchAVX2Kernels
import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// The AVX2 autoencoder kernel against the SSE2 one: same bits for every score and every unit of every layer,
/// on random and special values and at every batch size class. Skipped where the CPU cannot run it.
struct AVX2KernelTests {
    /// Values where two kernels could round or compare differently: zeros of both signs, subnormals, values
    /// near overflow (their squares overflow to +∞), ones.
    static let specials: [Float] = [
        0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 3 * .leastNonzeroMagnitude, .leastNormalMagnitude,
        -.leastNormalMagnitude.nextDown, 1e30, -1e30, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1,
    ]

    /// A ReLU model with random (non-zero) weights and biases, so units are active and inactive in every layer.
    static func model(_ layerSizes: [Int], seed: UInt64) -> Autoencoder {
        var rng = _SplitMix64(seed: seed)
        let parameters = (0 ..< Autoencoder.parameterCount(layerSizes)).map { _ in Float(0.5 * rng.gaussian()) }
        return Autoencoder(layerSizes: layerSizes, activation: .relu, parameters: parameters)
    }

    /// Rows mixing Gaussian values with `specials` (one value in four special), seeded.
    static func rows(_ count: Int, dimensions d: Int, seed: UInt64) -> FeatureMatrix {
        var rng = _SplitMix64(seed: seed)
        return FeatureMatrix(dimensions: d, values: (0 ..< count * d).map { _ in
            rng.below(4) == 0 ? specials[rng.below(specials.count)] : Float(3 * rng.gaussian())
        })
    }

    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    @Test(.enabled(if: SIMDKernel.cpuSupportsAVX2Kernel), arguments: [1, 7, 15, 16, 17, 777, 4096])
    func scoresMatchSSE2BitForBit(rows: Int) {
        let model = Self.model([40, 16, 8, 16, 40], seed: 5)
        let data = Self.rows(rows, dimensions: 40, seed: UInt64(rows))
        var sse2: [Float] = [], avx2: [Float] = []
        model.score(data, into: &sse2, kernel: .sse2)
        model.score(data, into: &avx2, kernel: .avx2)
        #expect(avx2.count == rows)
        #expect(Self.bits(avx2) == Self.bits(sse2))
        // The specials do reach the scores: some overflow to +∞, the rest stay finite and positive.
        if rows >= 777 { #expect(avx2.contains(.infinity) && avx2.contains { $0.isFinite && $0 > 0 }) }
    }

    /// Non-finite inputs give non-finite scores on both kernels, and the same bits where the score is not NaN
    /// (NaN payloads may differ between instruction sequences; callers only test `isNaN`).
    @Test(.enabled(if: SIMDKernel.cpuSupportsAVX2Kernel))
    func nonFiniteInputsAgree() {
        let model = Self.model([40, 16, 8, 16, 40], seed: 9)
        var data = Self.rows(40, dimensions: 40, seed: 3)
        for r in 0 ..< 40 { data[r, r] = [Float.infinity, -.infinity, .nan][r % 3] }
        var sse2: [Float] = [], avx2: [Float] = []
        model.score(data, into: &sse2, kernel: .sse2)
        model.score(data, into: &avx2, kernel: .avx2)
        #expect(avx2.allSatisfy { !$0.isFinite })
        #expect(avx2.map(\.isNaN) == sse2.map(\.isNaN))
        #expect(zip(avx2, sse2).allSatisfy { $0.isNaN || $0.bitPattern == $1.bitPattern })
    }

    /// Every unit of every layer and every row's error, tile by tile, with unit counts that are not
    /// multiples of four (the AVX2 kernel's one-unit tail) and a partial tile.
    @Test(.enabled(if: SIMDKernel.cpuSupportsAVX2Kernel), arguments: [[40, 16, 8, 16, 40], [9, 5, 3, 6, 9], [7, 1, 7]])
    func everyLayerOutputMatchesSSE2BitForBit(layerSizes: [Int]) {
        typealias Quad = _AutoencoderTile.Quad
        let model = Self.model(layerSizes, seed: 11)
        let d = layerSizes[0], units = layerSizes.reduce(0, +)
        let data = Self.rows(16, dimensions: d, seed: 2)
        for count in [16, 13] {
            let sse2 = UnsafeMutablePointer<Quad>.allocate(capacity: 4 * units)
            let avx2 = UnsafeMutablePointer<Quad>.allocate(capacity: 4 * units)
            defer { sse2.deallocate(); avx2.deallocate() }
            var sse2Errors = [Float](repeating: -1, count: 16), avx2Errors = sse2Errors
            data.values.withUnsafeBufferPointer {
                _AutoencoderTile.transpose(rows: $0.baseAddress!, count: count, dimensions: d, into: sse2)
            }
            avx2.update(from: sse2, count: 4 * d)
            var offset = 0, w = 0
            for l in 0 ..< layerSizes.count - 1 {
                let n = layerSizes[l], m = layerSizes[l + 1], last = l == layerSizes.count - 2
                model.broadcastParameters.withUnsafeBufferPointer {
                    _AutoencoderTile.dense(weights: $0.baseAddress! + w, input: sse2 + 4 * offset, inCount: n,
                                           output: sse2 + 4 * (offset + n), outCount: m, activation: last ? nil : .relu)
                }
                model.parameters.withUnsafeBufferPointer {
                    AutoencoderTileAVX2.dense(weights: $0.baseAddress! + w, input: avx2 + 4 * offset, inCount: n,
                                              output: avx2 + 4 * (offset + n), outCount: m, relu: !last)
                }
                offset += n
                w += m * (n + 1)
            }
            let sse2Bits = UnsafeRawBufferPointer(start: sse2, count: 64 * units)
            let avx2Bits = UnsafeRawBufferPointer(start: avx2, count: 64 * units)
            #expect(Array(avx2Bits) == Array(sse2Bits), "layer outputs, \(count) rows")
            _AutoencoderTile.storeMeanSquaredErrors(reconstruction: sse2 + 4 * offset, input: sse2, dimensions: d,
                                                    count: count, to: &sse2Errors)
            AutoencoderTileAVX2.storeMeanSquaredErrors(reconstruction: avx2 + 4 * offset, input: avx2, dimensions: d,
                                                       count: count, to: &avx2Errors)
            #expect(Self.bits(avx2Errors) == Self.bits(sse2Errors), "errors, \(count) rows")
            // Rows past `count` are left alone (the caller's scores array ends there).
            #expect(avx2Errors[count...].allSatisfy { $0 == -1 })
        }
    }

    /// The parser finds this CPU's feature list: every x86-64 lists `sse2`.
    @Test(.enabled(if: isLinuxX86_64)) func cpuFlagsAreRead() throws {
        #if arch(x86_64) && os(Linux)
        let flags = try #require(SIMDKernel.cpuFlags())
        #expect(flags.contains("sse2"))
        #expect(SIMDKernel.cpuSupportsAVX2Kernel == SIMDKernel.requiredFlags.isSubset(of: flags))
        #endif
    }

    /// Models whose kernel cannot be AVX2 still score, with the SSE2 kernel's bits (tanh has no AVX2 kernel).
    @Test func tanhModelsScoreWithTheSSE2Kernel() {
        var rng = _SplitMix64(seed: 4)
        let model = Autoencoder.initialized(layerSizes: [9, 5, 9], activation: .tanh, rng: &rng)
        let data = Self.rows(37, dimensions: 9, seed: 6)
        var sse2: [Float] = [], requested: [Float] = []
        model.score(data, into: &sse2, kernel: .sse2)
        model.score(data, into: &requested, kernel: .avx2)
        #expect(Self.bits(requested) == Self.bits(sse2))
    }
}

#if arch(x86_64) && os(Linux)
let isLinuxX86_64 = true
#else
let isLinuxX86_64 = false
#endif
