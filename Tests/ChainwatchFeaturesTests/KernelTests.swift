import ChainwatchCore
import _ChainwatchAVX2Kernels
@testable import ChainwatchFeatures
import Foundation
import Testing
import _ChainwatchTestSupport

/// Every SIMD kernel against a plain scalar loop, for every length 0…67 (covers all tail lanes).
struct KernelTests {
    @Test func exp2MatchesScalarForEveryLength() {
        var rng = SeededGenerator(seed: 1)
        var output: [Float] = []
        for length in 0 ... 67 {
            var input = (0 ..< length).map { _ in Float.random(in: -140 ... 20, using: &rng) }
            if length > 0 { input[0] = 0 }
            _FeatureKernels.exp2(input, into: &output)
            #expect(output.count == length)
            for (x, y) in zip(input, output) {
                let expected = x < -126 ? 0 : Foundation.exp2(Double(x))
                #expect(abs(Double(y) - expected) <= 3e-7 * expected, "x = \(x)")
            }
            if length > 0 { #expect(output[0] == 1) }
        }
    }

    /// The shared 8-wide log1p (baseline build) within 3·10⁻⁷ of `Foundation.log1p`, and the Haswell build
    /// (where the CPU has it) with the same bits, for every length 0…67 padded to whole vectors.
    @Test func log1pMatchesScalarAndBuildsAgree() {
        var rng = SeededGenerator(seed: 4)
        for length in 0 ... 67 {
            var input = (0 ..< length).map { i in Float.random(in: 0 ... 1, using: &rng) * pow(10, Float(i % 14 - 9)) }
            if length > 3 { input[0] = 0; input[1] = 1e-30; input[2] = 3e9; input[3] = .leastNonzeroMagnitude }
            let padded = input + [Float](repeating: 0, count: (8 - length % 8) % 8)
            var baseline = padded
            VectorMath.log1p(inPlace: &baseline, count: padded.count)
            for (x, y) in zip(input, baseline) {
                let expected = Foundation.log1p(Double(x))
                #expect(abs(Double(y) - expected) <= 3e-7 * expected + 1e-45, "x = \(x)")
            }
            guard SIMDKernel.cpuSupportsAVX2Kernel else { continue }
            var wide = padded
            VectorMathAVX2.log1p(inPlace: &wide, count: padded.count)
            #expect(wide.map(\.bitPattern) == baseline.map(\.bitPattern), "length \(length)")
        }
    }

    @Test func squareRootMatchesScalar() {
        var rng = SeededGenerator(seed: 5)
        var input = (0 ..< 400).map { i in Float.random(in: 0 ... 1, using: &rng) * pow(10, Float(i % 60 - 30)) }
        input[0] = 0; input[1] = -2; input[2] = .leastNormalMagnitude; input[3] = 3e38
        for start in stride(from: 0, to: input.count, by: 8) {
            let x = SIMD8(input[start ..< start + 8])
            let y = VectorMath.squareRoot(x)
            for lane in 0 ..< 8 {
                let expected = x[lane] > 0 ? Foundation.sqrt(Double(x[lane])) : 0
                #expect(abs(Double(y[lane]) - expected) <= 4e-7 * expected, "x = \(x[lane])")
            }
        }
    }

    /// The shrunk moments of random records (with empty and spread-free lanes) against a scalar computation,
    /// and the Haswell build (where the CPU has it) with the same bits.
    @Test func shrunkMomentsMatchScalarAndBuildsAgree() {
        var rng = SeededGenerator(seed: 6)
        let records = 16, width = VectorMath.momentsRecord, shrink: Float = 1e-4
        var input = [Float](repeating: 0, count: records * width)
        for r in 0 ..< records {
            for lane in 0 ..< 8 {
                let n = lane == 0 ? 0 : Float.random(in: 0 ... 50, using: &rng)
                input[r * width + lane] = n * Float.random(in: 0 ... 1, using: &rng) // decayed count
                input[r * width + 8 + lane] = Float.random(in: -5 ... 20, using: &rng) // mean
                input[r * width + 16 + lane] = lane == 1 ? 0 : Float.random(in: 0 ... 100, using: &rng) // M2
                input[r * width + 24 + lane] = n
            }
        }
        var baseline = input
        VectorMath.shrunkMoments(inPlace: &baseline, count: records, shrinkWeight: shrink)
        for r in 0 ..< records {
            for lane in 0 ..< 8 {
                let c = Double(input[r * width + lane]), mean = Double(input[r * width + 8 + lane])
                let m2 = Double(input[r * width + 16 + lane]), n = Double(input[r * width + 24 + lane])
                let std = n > 0 && m2 > 0 ? (m2 / n).squareRoot() : 0
                let w = c / (c + Double(shrink))
                #expect(abs(Double(baseline[r * width + lane]) - mean * w) <= 1e-5 * (abs(mean) + 1e-30))
                #expect(baseline[r * width + 8 + lane] == input[r * width + 8 + lane])
                #expect(abs(Double(baseline[r * width + 16 + lane]) - std * w) <= 1e-5 * std + 1e-30)
                #expect(abs(Double(baseline[r * width + 24 + lane]) - std) <= 1e-6 * std)
            }
        }
        guard SIMDKernel.cpuSupportsAVX2Kernel else { return }
        var wide = input
        VectorMathAVX2.shrunkMoments(inPlace: &wide, count: records, shrinkWeight: shrink)
        #expect(wide.map(\.bitPattern) == baseline.map(\.bitPattern))
    }

    @Test func belowRoundThresholdMatchesItsDefinition() {
        var amounts: [Double] = [0, -1, -9.6, -1e30, -1e300, .nan, .infinity, -.infinity, 1e23, 1e24, 9.99e22, 1e22, .leastNonzeroMagnitude]
        for k in 0 ... 24 {
            let power = (0 ..< k).reduce(1.0) { value, _ in value * 10 }
            for factor in [0.94, 0.949999, 0.95, 0.950001, 0.96, 0.999999, 1, 1.000001, 9.5, 9.6] {
                amounts.append(power * factor)
            }
            amounts.append(power.nextDown)
            amounts.append(power.nextUp)
            amounts.append((0.95 * power).nextDown)
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0 ..< 20_000 {
            amounts.append(Double(sign: .plus, exponent: Int.random(in: -40 ... 90, using: &generator), significand: Double.random(in: 1 ..< 2, using: &generator)))
        }
        var flagged = 0
        for band in [0.05, 0.01, 0.5] {
            for amount in amounts {
                let fast = AmountShape.belowRoundThreshold(amount, band: band)
                #expect(fast == AmountShape.plainBelowRoundThreshold(amount, band: band), "amount \(amount) band \(band)")
                flagged += fast == 1 ? 1 : 0
            }
        }
        #expect(AmountShape.belowRoundThreshold(9.6, band: 0.05) == 1 && AmountShape.belowRoundThreshold(10, band: 0.05) == 0)
        #expect(AmountShape.belowRoundThreshold(0.97, band: 0.05) == 1 && AmountShape.belowRoundThreshold(0.9, band: 0.05) == 0)
        #expect(flagged > 100)
    }

    @Test func roundnessMatchesScalarForEveryLength() {
        var rng = SeededGenerator(seed: 9)
        let alphabet = Array("0000000123456789".utf8) + [UInt8(ascii: "x"), UInt8(ascii: "/"), UInt8(ascii: ":")]
        for length in 0 ... 40 {
            for trial in 0 ..< 200 {
                var bytes = (0 ..< length).map { _ in alphabet[Int.random(in: 0 ..< 16, using: &rng)] }
                // Runs of leading / trailing zeros of every size, and an occasional non-digit anywhere.
                let lead = Int.random(in: 0 ... length, using: &rng), trail = Int.random(in: 0 ... length, using: &rng)
                for k in 0 ..< lead { bytes[k] = UInt8(ascii: "0") }
                for k in 0 ..< trail { bytes[length - 1 - k] = UInt8(ascii: "0") }
                if trial % 7 == 0, length > 0 { bytes[Int.random(in: 0 ..< length, using: &rng)] = alphabet[16 + trial % 3] }
                bytes.withUnsafeBufferPointer { digits in
                    #expect(AmountShape.roundness(digits) == AmountShape.scalarRoundness(digits), "\(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
        let ether = Array("1000000000000000000".utf8)
        ether.withUnsafeBufferPointer { #expect(AmountShape.roundness($0) == Float(18) / 19) }
    }

    @Test func hyperLogLogSumsMatchScalarForEveryLength() {
        var rng = SeededGenerator(seed: 6)
        for blocks in 0 ... 67 {
            let registers = (0 ..< blocks + 32).map { _ in UInt8.random(in: 0 ... 3, using: &rng) == 0 ? 0 : UInt8.random(in: 0 ... 40, using: &rng) }
            let (sum, zeros) = _FeatureKernels.hyperLogLogSums(registers, at: 16, count: blocks)
            let window = registers[16 ..< 16 + blocks]
            #expect(zeros == window.filter { $0 == 0 }.count)
            let expected = window.reduce(0.0) { $0 + pow(2.0, -Double($1)) }
            #expect(abs(Double(sum) - expected) <= 1e-6 * max(expected, 1))
        }
    }

    @Test func zeroRegisterCountMatchesScalar() {
        var rng = SeededGenerator(seed: 12)
        for blocks in 0 ... 16 {
            for density in [0, 1, 2, 3] {
                let registers = (0 ..< 16 * blocks + 48).map { _ in UInt8.random(in: 0 ... 3, using: &rng) < density ? 0 : UInt8.random(in: 1 ... 59, using: &rng) }
                let count = 16 * blocks
                let expected = registers[7 ..< 7 + count].filter { $0 == 0 }.count
                #expect(_FeatureKernels.zeroRegisterCount(registers, at: 7, count: count) == expected)
            }
        }
        #expect(_FeatureKernels.zeroRegisterCount([UInt8](repeating: 0, count: 65_536), at: 0, count: 65_536) == 65_536)
        #expect(_FeatureKernels.zeroRegisterCount([UInt8](repeating: 0x80, count: 64), at: 0, count: 64) == 0)
        #expect(_FeatureKernels.zeroRegisterCount([UInt8](repeating: 1, count: 64), at: 0, count: 64) == 0)
    }

    @Test func hyperLogLogFastPathGivesTheFullEstimate() {
        // Every register block the fast path answers must equal the sum-based formula bit for bit.
        var rng = SeededGenerator(seed: 13)
        for m in [16, 32, 64, 256] {
            for _ in 0 ..< 400 {
                let zeros = Int.random(in: 0 ... m, using: &rng)
                var registers = (0 ..< m).map { _ in UInt8.random(in: 1 ... 30, using: &rng) }
                for k in 0 ..< zeros { registers[k] = 0 }
                registers.shuffle(using: &rng)
                let (sum, z) = _FeatureKernels.hyperLogLogSums(registers, at: 0, count: m)
                let md = Double(m)
                let alpha: Double = switch m { case 16: 0.673; case 32: 0.697; case 64: 0.709; default: 0.7213 / (1 + 1.079 / md) }
                let raw = alpha * md * md / Double(sum)
                let expected = raw <= 2.5 * md && z > 0 ? md * log(md / Double(z)) : raw
                #expect(HyperLogLog.estimate(registers, at: 0, count: m).bitPattern == expected.bitPattern)
            }
        }
    }

    @Test func scaleMatchesScalarForEveryLength() {
        var rng = SeededGenerator(seed: 2)
        for length in 0 ... 67 {
            let input = (0 ..< length).map { _ in Float.random(in: -1e6 ... 1e6, using: &rng) }
            var simd = input
            _FeatureKernels.scale(&simd, by: 0.37)
            var scalar = input
            for i in scalar.indices { scalar[i] *= 0.37 }
            #expect(simd == scalar)
        }
    }

    @Test func midasScoreMatchesScalarFormula() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0 ... 67 {
            let a = SIMD4<Float>((0 ..< 4).map { _ in Float.random(in: 0 ... 50, using: &rng) })
            let s = SIMD4<Float>((0 ..< 4).map { i in i == 3 ? 0 : Float.random(in: 0 ... 500, using: &rng) })
            let t = Float.random(in: 0 ... 1_000, using: &rng)
            let score = _FeatureKernels.midasScore(current: a, total: s, ticks: t)
            for lane in 0 ..< 4 {
                let (al, sl, tl) = (Double(a[lane]), Double(s[lane]), Double(t))
                let expected = tl > 1 && sl > 0 ? (al - sl / tl) * (al - sl / tl) * tl * tl / (sl * (tl - 1)) : 0
                #expect(abs(Double(score[lane]) - expected) <= 1e-4 * max(1, expected))
            }
        }
    }

    @Test func decayFactorsAreOneWithoutElapsedTime() {
        let lanes = SIMD4<Float>(1 / 120, 1 / 3_600, 1 / 86_400, 1 / 604_800)
        #expect(_FeatureKernels.decayFactors(elapsed: 0, inverseHalfLives: lanes) == SIMD4(repeating: 1))
        let halved = _FeatureKernels.decayFactors(elapsed: 120, inverseHalfLives: lanes)
        #expect(abs(halved[0] - 0.5) < 1e-7)
    }
}
