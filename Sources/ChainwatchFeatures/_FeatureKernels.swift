/// Small SIMD kernels of the feature engine. Each has a scalar twin in the tests, checked for every
/// length 0…67 so the tail handling is covered.
///
/// No fused multiply-add anywhere: a default (SSE2) build turns `addingProduct` into a library call per lane.
enum _FeatureKernels {
    /// 2^x per lane, relative error < 2·10⁻⁷ for x in [−126, 126]; exactly 1 for x = 0; 0 below −126.
    ///
    /// Splits x = n + f with n = round(x), |f| ≤ ½, evaluates a degree-6 Taylor polynomial of 2^f
    /// (truncation error (ln 2 / 2)^7 / 7! ≈ 1.2·10⁻⁷) and scales by 2^n through the exponent bits.
    /// About 20 vector instructions instead of four `exp2f` calls.
    @inline(never)
    static func exp2(_ x: SIMD4<Float>) -> SIMD4<Float> {
        // Clamp with two selects: `clamped(lowerBound:upperBound:)` ends in a non-inlined generic
        // `pointwiseMax` call here. Same values for every non-NaN x.
        let low = x.replacing(with: -126, where: x .< -126)
        let clamped = low.replacing(with: 126, where: low .> 126)
        // Round to nearest with the 1.5·2^23 trick: the integer lands in the low mantissa bits, no
        // generic float→int conversion (which is a slow per-lane call in the standard library).
        let shifted = clamped + 12_582_912
        let n = shifted - 12_582_912
        let f = (clamped - n) * 0.693_147_18 // f·ln2, in [−0.347, 0.347]
        var p = SIMD4<Float>(repeating: 1.0 / 720)
        p = p * f + 1.0 / 120
        p = p * f + 1.0 / 24
        p = p * f + 1.0 / 6
        p = p * f + 0.5
        p = p * f + 1
        p = p * f + 1
        let integer = unsafeBitCast(shifted, to: SIMD4<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: SIMD4<Float>.self)
        return (p * scale).replacing(with: 0, where: x .< -126)
    }

    /// `output[i] = kernel(input)[i]`, four lanes at a time with a zero-padded tail.
    private static func map(_ input: [Float], into output: inout [Float], _ kernel: (SIMD4<Float>) -> SIMD4<Float>) {
        output.removeAll(keepingCapacity: true)
        var index = 0
        while index < input.count {
            var lanes = SIMD4<Float>.zero
            let n = min(4, input.count - index)
            for lane in 0 ..< n { lanes[lane] = input[index + lane] }
            let v = kernel(lanes)
            for lane in 0 ..< n { output.append(v[lane]) }
            index += 4
        }
    }

    /// Σ 2^−r and the number of zero registers over `registers[base ..< base + count]`.
    ///
    /// 2^−r is built directly as the float bit pattern (127 − r) << 23 (exact) and summed in four
    /// scalar accumulators in a fixed order. (A SIMD8 version that filled lanes by index spilled every
    /// lane through the stack and took 29 % of the engine's time; this takes ≈ 7 %. A SIMD4 version
    /// fed by one SIMD16<UInt8> load and a widening conversion was ≈ 4× slower again: the generic
    /// conversion is scalarised on a baseline x86-64 build.)
    @inline(__always)
    static func hyperLogLogSums(_ registers: [UInt8], at base: Int, count: Int) -> (sum: Float, zeros: Int) {
        registers.withUnsafeBufferPointer { _hyperLogLogSums(UnsafeBufferPointer(rebasing: $0[base ..< base + count])) }
    }

    private static func _hyperLogLogSums(_ registers: UnsafeBufferPointer<UInt8>) -> (sum: Float, zeros: Int) {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var zeros = 0
        var index = 0
        @inline(__always) func power(_ r: UInt8) -> Float { HyperLogLog.power(r) }
        while index + 4 <= registers.count {
            let r0 = registers[index], r1 = registers[index + 1], r2 = registers[index + 2], r3 = registers[index + 3]
            s0 += power(r0); s1 += power(r1); s2 += power(r2); s3 += power(r3)
            zeros &+= (r0 == 0 ? 1 : 0) &+ (r1 == 0 ? 1 : 0) &+ (r2 == 0 ? 1 : 0) &+ (r3 == 0 ? 1 : 0)
            index += 4
        }
        while index < registers.count {
            s0 += power(registers[index])
            zeros &+= registers[index] == 0 ? 1 : 0
            index += 1
        }
        return ((s0 + s1) + (s2 + s3), zeros)
    }

    /// The number of zero registers in `registers[base ..< base + count]`, eight per step (count a multiple of 8).
    ///
    /// Plain 64-bit SWAR: a byte's high bit of `((w & 0x7f…) + 0x7f…) | w` is set iff the byte is
    /// non-zero (no carry crosses a byte). Generic SIMD byte compares are scalarised lane by lane on
    /// a baseline x86-64 build (≈ 4× slower than the scalar sums), so this stays in general registers.
    @inline(__always)
    static func zeroRegisterCount(_ registers: [UInt8], at base: Int, count: Int) -> Int {
        precondition(count % 8 == 0 && base >= 0 && base + count <= registers.count)
        return registers.withUnsafeBytes { buffer in
            guard let start = buffer.baseAddress else { return 0 }
            var nonZero = 0
            var offset = base
            while offset < base + count {
                let w = start.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let high = (((w & 0x7f7f_7f7f_7f7f_7f7f) &+ 0x7f7f_7f7f_7f7f_7f7f) | w) & 0x8080_8080_8080_8080
                nonZero &+= Int(truncatingIfNeeded: ((high >> 7) &* 0x0101_0101_0101_0101) >> 56)
                offset += 8
            }
            return count - nonZero
        }
    }

    /// Decay factors 2^(−Δt / h) for the four half-life lanes; `inverseHalfLives` = 1 / h per lane.
    /// Δt ≤ 0 gives exactly 1 (no decay, and no rounding drift for rows of the same block).
    @inline(__always)
    static func decayFactors(elapsed: Float, inverseHalfLives: SIMD4<Float>) -> SIMD4<Float> {
        elapsed > 0 ? exp2(-elapsed * inverseHalfLives) : SIMD4(repeating: 1)
    }

    /// `output[i] = 2^input[i]` over whole arrays, four lanes at a time with a padded tail.
    static func exp2(_ input: [Float], into output: inout [Float]) {
        map(input, into: &output, exp2)
    }

    /// Multiplies every element by `factor` (count-min renormalisation), eight lanes at a time.
    /// - Complexity: O(n).
    static func scale(_ values: inout [Float], by factor: Float) {
        values.withUnsafeMutableBufferPointer { scale($0, by: SIMD8(repeating: factor)) }
    }

    /// Multiplies element k of `buffer` by `pattern[k % 8]`, eight lanes at a time (a pattern with
    /// period 2 scales interleaved pairs, e.g. (current, total) sketch counters, by their own factors).
    /// - Complexity: O(n).
    static func scale(_ buffer: UnsafeMutableBufferPointer<Float>, by pattern: SIMD8<Float>) {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        var index = 0
        let raw = UnsafeMutableRawPointer(base)
        while index + 8 <= count {
            let offset = index * MemoryLayout<Float>.stride
            let v = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) * pattern
            raw.storeBytes(of: v, toByteOffset: offset, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            base[index] *= pattern[index % 8]
            index += 1
        }
    }

    /// MIDAS chi-squared burst score per lane (Bhatia et al. 2020, eq. 3):
    /// `(a − s/t)² · t² / (s · (t − 1))`, with `a` the current-tick count, `s` the total and `t` the tick count.
    /// 0 where t ≤ 1 or s ≤ 0 (the score is undefined there).
    @inline(__always)
    static func midasScore(current a: SIMD4<Float>, total s: SIMD4<Float>, ticks t: Float) -> SIMD4<Float> {
        guard t > 1 else { return .zero }
        let difference = a - s / t
        let safeTotal = s.replacing(with: 1, where: s .<= 0)
        let score = difference * difference * (t * t) / (safeTotal * (t - 1))
        return score.replacing(with: 0, where: s .<= 0)
    }
}
