import ChainwatchCore

/// ``VectorMath``'s kernels compiled for Haswell: the same source, inlined here, so each `SIMD8<Float>`
/// operation is one AVX instruction instead of two SSE ones. Same bits as the baseline build. Only call
/// these after checking the CPU (``SIMDKernel/selected`` is `.avx2`); elsewhere they fault.
public enum VectorMathAVX2 {
    /// ``VectorMath/log1p(inPlace:count:)`` for AVX2 CPUs.
    public static func log1p(inPlace values: UnsafeMutablePointer<Float>, count: Int) {
        VectorMath.log1p(inPlace: values, count: count)
    }

    /// ``VectorMath/shrunkMoments(inPlace:count:shrinkWeight:)`` for AVX2 CPUs.
    public static func shrunkMoments(inPlace records: UnsafeMutablePointer<Float>, count: Int, shrinkWeight: Float) {
        VectorMath.shrunkMoments(inPlace: records, count: count, shrinkWeight: shrinkWeight)
    }
}
