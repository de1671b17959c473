/// A count-min sketch (Cormode & Muthukrishnan 2005) of non-negative weights, with O(1) decay.
///
/// Counters are stored divided by a global `scale`, so ``decay(by:)`` multiplies every counter at once
/// by changing only `scale`; when `scale` falls below 10⁻³⁰ the counters are renormalised with one SIMD
/// pass (rare: after ~100 halvings; stored values stay below ~10³⁰·weight, far inside `Float` range). Before any decay, estimates never under-count the exact total of an
/// item (integer weights below 2^24 stay exact in `Float`); collisions can only over-count.
///
///     counters: | row 0: width Floats | row 1: width Floats | …   value = counter · scale
///
/// Memory: depth · width · 4 bytes (2 × 16,384 → 128 KiB).
public struct CountMinSketch: Sendable, Equatable {
    public let width: Int
    public let depth: Int
    private var counters: [Float]
    private var scale: Double = 1

    /// - Parameters:
    ///   - width: counters per row, a power of two.
    ///   - depth: independent rows, 1…8.
    public init(width: Int, depth: Int) {
        precondition(width.nonzeroBitCount == 1 && (1...8).contains(depth), "width must be a power of two, depth 1…8")
        self.width = width
        self.depth = depth
        self.counters = [Float](repeating: 0, count: width * depth)
    }

    @inline(__always)
    private func slot(_ hash: UInt64, row: Int) -> Int {
        Self.slot(hash, row: row, width: width)
    }

    /// The counter index of `hash` in row `row` of a `width`-wide sketch (shared with the burst channels,
    /// which keep two sketches interleaved and must hash exactly like this type).
    @inline(__always)
    static func slot(_ hash: UInt64, row: Int, width: Int) -> Int {
        // Row r uses hash ⊕ (r + 1)·φ, then a multiply-xorshift finaliser: independent enough for
        // count-min, and no table to load (a static array costs a retain per access).
        var x = hash ^ (UInt64(row + 1) &* 0x9e37_79b9_7f4a_7c15)
        x ^= x >> 32; x = x &* 0xd6e8_feb8_6659_fd93; x ^= x >> 29
        return row * width + Int(truncatingIfNeeded: x & UInt64(width - 1))
    }

    /// Adds `weight` (≥ 0) to the item with 64-bit hash `hash`. - Complexity: O(depth).
    @inline(__always)
    public mutating func add(_ hash: UInt64, weight: Float = 1) {
        let stored = Float(Double(weight) / scale)
        for row in 0 ..< depth {
            counters[slot(hash, row: row)] += stored
        }
    }

    /// The smallest counter of the item over all rows: an upper bound of its (decayed) total.
    @inline(__always)
    public func estimate(_ hash: UInt64) -> Float {
        var smallest = Float.infinity
        for row in 0 ..< depth {
            smallest = min(smallest, counters[slot(hash, row: row)])
        }
        return Float(Double(smallest) * scale)
    }

    /// Multiplies every counter by `factor` (0 ≤ factor ≤ 1; 0 clears). - Complexity: O(1) amortised.
    public mutating func decay(by factor: Double) {
        precondition(factor >= 0 && factor <= 1, "decay factor must be in [0, 1]")
        scale *= factor
        if scale < 1e-30 {
            _FeatureKernels.scale(&counters, by: Float(scale))
            scale = 1
        }
    }

    /// Bytes held by the counters.
    public var memoryBytes: Int { counters.capacity * MemoryLayout<Float>.stride }

}
