/// Elementwise float kernels shared by a baseline build and the Haswell build in `_ChainwatchAVX2Kernels`.
///
/// They are `@inlinable` and always inlined, so each module that calls them compiles its own copy for its
/// own target CPU: eight lanes are two SSE2 registers in a baseline module and one AVX2 register in the
/// Haswell one. Both copies do the same operations in the same order on every lane (no fused multiply-add
/// is ever formed), so they give the same bits; ``SIMDKernel`` picks which copy runs.
public enum VectorMath {
    /// log1p(x) per lane for x ≥ 0 (counts, seconds, ETH), relative error < 3·10⁻⁷.
    ///
    /// u = 1 + x = 2^e · m with m in [√½, √2); log m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172, by its
    /// odd series to s⁹ (truncation < 10⁻⁹); then log1p(x) = log(u) + (x − (u − 1)) / u, which restores
    /// the digits of x lost in 1 + x. Each lane's result depends on that lane only.
    @inlinable @inline(__always)
    public static func log1p(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let u = 1 + x
        let bits = unsafeBitCast(u, to: SIMD8<Int32>.self)
        var exponent = (bits &>> 23) &- 127
        var m = unsafeBitCast((bits & 0x007f_ffff) | 0x3f80_0000, to: SIMD8<Float>.self) // [1, 2)
        let high = m .> 1.414_213_56
        m = m.replacing(with: m * 0.5, where: high)
        exponent = exponent.replacing(with: exponent &+ 1, where: high)
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var series = SIMD8<Float>(repeating: 1.0 / 9)
        series = series * s2 + 1.0 / 7
        series = series * s2 + 1.0 / 5
        series = series * s2 + 1.0 / 3
        series = series * s2 + 1
        let logU = SIMD8<Float>(exponent) * 0.693_147_18 + 2 * s * series
        // log1p(x) = log(u) + (x − (u − 1)) / u: the second term restores the digits of x lost in
        // 1 + x (for x < 2⁻²⁴ it is all of x), and depends on x and u only, so its division runs
        // alongside the series instead of after it.
        return logU + (x - (u - 1)) / u
    }

    /// √x per lane for x ≥ 0 (0 for x ≤ 0), relative error < 4·10⁻⁷.
    ///
    /// Three Newton steps r ← r·(1.5 − ½·x·r²) for 1/√x from the classic bit-level seed (relative error
    /// ≤ 3.5 % → 2·10⁻³ → 6·10⁻⁶ → float rounding), then √x = x·r. Pure vector arithmetic; the standard
    /// library's `squareRoot()` on a SIMD vector is one `sqrtf` call per lane on a baseline x86-64 build.
    @inlinable @inline(__always)
    public static func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let positive = x .> 0
        let safe = x.replacing(with: 1, where: .!positive)
        var r = unsafeBitCast(0x5f37_5a86 &- (unsafeBitCast(safe, to: SIMD8<Int32>.self) &>> 1), to: SIMD8<Float>.self)
        let half = safe * 0.5
        r = r * (1.5 - half * r * r)
        r = r * (1.5 - half * r * r)
        r = r * (1.5 - half * r * r)
        return (safe * r).replacing(with: 0, where: .!positive)
    }

    /// Floats per record of ``shrunkMoments(inPlace:count:shrinkWeight:)``.
    public static let momentsRecord = 32

    /// Decayed moments to reported ones, in place over `count` records of ``momentsRecord`` floats, each
    /// four 8-lane groups:
    ///
    ///     in:   decayed count c | mean μ | M2 | undecayed count n
    ///     out:  μ·w             | μ      | σ·w | σ          with σ = √(M2 / n) (0 where n ≤ 0 or M2 ≤ 0),
    ///                                                          w = c / (c + shrinkWeight)
    ///
    /// Decay rescales n and M2 alike, so σ needs no decay factor; w fades the moments to 0 with the window.
    @inlinable @inline(__always)
    public static func shrunkMoments(inPlace records: UnsafeMutablePointer<Float>, count: Int, shrinkWeight: Float) {
        let raw = UnsafeMutableRawPointer(records)
        let group = MemoryLayout<SIMD8<Float>>.stride
        var offset = 0
        while offset < count &* momentsRecord &* MemoryLayout<Float>.stride {
            let decayed = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let mean = raw.loadUnaligned(fromByteOffset: offset &+ group, as: SIMD8<Float>.self)
            let m2 = raw.loadUnaligned(fromByteOffset: offset &+ 2 &* group, as: SIMD8<Float>.self)
            let n = raw.loadUnaligned(fromByteOffset: offset &+ 3 &* group, as: SIMD8<Float>.self)
            let variance = (m2 / n).replacing(with: 0, where: (n .<= 0) .| (m2 .<= 0))
            let std = squareRoot(variance)
            let weight = decayed / (decayed + shrinkWeight)
            raw.storeBytes(of: mean * weight, toByteOffset: offset, as: SIMD8<Float>.self)
            raw.storeBytes(of: std * weight, toByteOffset: offset &+ 2 &* group, as: SIMD8<Float>.self)
            raw.storeBytes(of: std, toByteOffset: offset &+ 3 &* group, as: SIMD8<Float>.self)
            offset &+= momentsRecord &* MemoryLayout<Float>.stride
        }
    }

    /// Replaces each of `values[0 ..< count]` by its ``log1p(_:)-(SIMD8<Float>)``; `count` is a multiple of 8.
    @inlinable @inline(__always)
    public static func log1p(inPlace values: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % 8 == 0, "count must be a multiple of 8")
        let raw = UnsafeMutableRawPointer(values)
        var offset = 0
        while offset < count &* MemoryLayout<Float>.stride {
            let x = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            raw.storeBytes(of: log1p(x), toByteOffset: offset, as: SIMD8<Float>.self)
            offset &+= MemoryLayout<SIMD8<Float>>.stride
        }
    }
}
