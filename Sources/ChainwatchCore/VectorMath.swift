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
