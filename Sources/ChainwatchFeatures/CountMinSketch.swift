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
    /// 1 / scale, kept with it: adds multiply instead of dividing (a division per counter row was the
    /// slowest instruction of an add).
    private var inverseScale: Double = 1

    /// - Parameters:
    ///   - width: counters per row, a power of two.
    ///   - depth: independent rows, 1…8.
    public init(width: Int, depth: Int) {
        precondition(width.nonzeroBitCount == 1 && (1...8).contains(depth), "width must be a power of two, depth 1…8")
        self.width = width
        self.depth = depth
        self.counters = [Float](repeating: 0, count: width * depth)
    }

    /// The one 64-bit finaliser of an item's hash that every row's counter index derives from.
    ///
    /// Rows use double hashing (Kirsch & Mitzenmacher 2006): column_r = (lo + r·hi) mod width with lo, hi
    /// the two halves of the mixed hash (hi forced odd), so a lookup costs one multiply-xorshift per item,
    /// not one per row. Shared with the burst channels, which must hash exactly like this type.
    @inline(__always)
    static func mix(_ hash: UInt64) -> UInt64 {
        var x = hash ^ 0x9e37_79b9_7f4a_7c15
        x ^= x >> 32; x = x &* 0xd6e8_feb8_6659_fd93; x ^= x >> 29
        return x
    }

    /// The counter index of the item with mixed hash `mixed` (from ``mix(_:)``) in row `row` of a
    /// `width`-wide sketch (width a power of two).
    @inline(__always)
    static func slot(mixed: UInt64, row: Int, width: Int) -> Int {
        row * width + column(mixed: mixed, row: row, width: width)
    }

    /// The column (0 ..< width) of the item with mixed hash `mixed` in row `row`.
    @inline(__always)
    static func column(mixed: UInt64, row: Int, width: Int) -> Int {
        let lo = UInt32(truncatingIfNeeded: mixed), hi = UInt32(truncatingIfNeeded: mixed >> 32) | 1
        return Int(truncatingIfNeeded: lo &+ UInt32(truncatingIfNeeded: row) &* hi) & (width - 1)
    }

    /// Adds `weight` (≥ 0) to the item with 64-bit hash `hash`. - Complexity: O(depth).
    @inline(__always)
    public mutating func add(_ hash: UInt64, weight: Float = 1) {
        let stored = Float(Double(weight) * inverseScale)
        let mixed = Self.mix(hash)
        for row in 0 ..< depth {
            counters[Self.slot(mixed: mixed, row: row, width: width)] += stored
        }
    }

    /// The smallest counter of the item over all rows: an upper bound of its (decayed) total.
    @inline(__always)
    public func estimate(_ hash: UInt64) -> Float {
        var smallest = Float.infinity
        let mixed = Self.mix(hash)
        for row in 0 ..< depth {
            smallest = min(smallest, counters[Self.slot(mixed: mixed, row: row, width: width)])
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
        inverseScale = 1 / scale
    }

    /// Bytes held by the counters.
    public var memoryBytes: Int { counters.capacity * MemoryLayout<Float>.stride }

}
