import Foundation

/// MIDAS-R edge-burst state (Bhatia et al., "MIDAS: Microcluster-Based Detector of Anomalies in Edge
/// Streams", AAAI 2020) for four channels that share one SIMD4 lane each:
///
///     lane 0  edge (from, to)             weight 1
///     lane 1  sender node                 weight 1
///     lane 2  receiver node               weight 1
///     lane 3  edge, amount-weighted       weight log1p(amount ETH)
///
/// The tick is the **block number**. Per tick the current-tick counts decay by `currentDecay` (MIDAS-R's
/// α instead of a reset) and the totals by `totalDecay`; the effective tick count follows the same decay
/// (t ← t·β + 1 per tick), so s/t stays the decayed mean per tick and memory stays bounded.
///
/// Layout: two count-min sketches (current, total), 4× as wide as configured so the four channels
/// (separated by a per-lane hash salt) keep the collision rate of four separate sketches, stored
/// **interleaved** — one `SIMD2<Float>` (current, total) per counter — so a lookup touches one cache
/// line for both, and each keeps its own lazy scale exactly like ``CountMinSketch`` (the tests compare
/// against two plain `CountMinSketch`es).
///
///     counters: [ (cur, tot) | (cur, tot) | … ]   depth rows × 4·width, value = stored · scale
struct BurstChannels {
    private var counters: [SIMD2<Float>]
    private var currentScale = 1.0
    private var totalScale = 1.0
    private let width: Int
    private let depth: Int
    /// Effective number of ticks seen (decayed).
    private(set) var ticks: Double = 0
    private var lastBlock: Int64?
    let currentDecay: Double
    let totalDecay: Double

    init(configuration: FeatureConfiguration) {
        width = 4 * configuration.sketchWidth
        depth = configuration.sketchDepth
        counters = [SIMD2<Float>](repeating: .zero, count: width * depth)
        currentDecay = configuration.burstCurrentDecay
        totalDecay = configuration.burstTotalDecay
    }

    /// Moves the clock to `block`; a block lower than the last one is treated as the same tick.
    @inline(__always)
    mutating func advance(to block: Int64) {
        guard let last = lastBlock else {
            lastBlock = block
            ticks = 1
            return
        }
        guard block > last else { return }
        let elapsed = Double(block - last)
        let alpha = pow(currentDecay, elapsed)
        let beta = pow(totalDecay, elapsed)
        currentScale *= alpha
        totalScale *= beta
        if currentScale < 1e-30 || totalScale < 1e-30 { renormalize() }
        ticks = ticks * beta + (1 - beta) / (1 - totalDecay)
        lastBlock = block
    }

    /// Folds a scale below 10⁻³⁰ into the counters (the same per-counter multiply as ``CountMinSketch``).
    private mutating func renormalize() {
        var factor = SIMD2<Float>(1, 1)
        if currentScale < 1e-30 { factor.x = Float(currentScale); currentScale = 1 }
        if totalScale < 1e-30 { factor.y = Float(totalScale); totalScale = 1 }
        // Eight floats (four counters) per step with the factor pattern (cur, tot, cur, tot, …): the
        // same per-element products as a counter-by-counter loop, without a scalarised SIMD2 loop.
        counters.withUnsafeMutableBufferPointer { c in
            guard let base = c.baseAddress else { return }
            let raw = UnsafeMutableRawPointer(base)
            let pattern = SIMD8<Float>(factor.x, factor.y, factor.x, factor.y, factor.x, factor.y, factor.x, factor.y)
            let stride = MemoryLayout<SIMD2<Float>>.stride
            var index = 0
            while index + 4 <= c.count {
                let offset = index * stride
                let v = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) * pattern
                raw.storeBytes(of: v, toByteOffset: offset, as: SIMD8<Float>.self)
                index += 4
            }
            while index < c.count {
                c[index] *= factor
                index += 1
            }
        }
    }

    /// Channel hashes of a transaction (lane order above), salted per lane.
    @inline(__always)
    static func hashes(from: UInt64, to: UInt64) -> SIMD4<UInt64> {
        let edge = (from &* 0x9e37_79b9_7f4a_7c15) ^ ((to << 17) | (to >> 47)) ^ 0x2545_f491_4f6c_dd1d
        return SIMD4(edge, from, to, edge) ^ SIMD4(0, 0x51_7cc1_b727_220a, 0x2f_1c36_41d8_7a3b, 0x6a09_e667_f3bc_c909)
    }

    /// Current-tick and total estimates per active lane, before this transaction is added.
    ///
    /// Lanes are unrolled with constant indices (a lane read with a loop index spills the vector
    /// through the stack) and the counters are read through one buffer pointer.
    @inline(__always)
    func estimates(_ hashes: SIMD4<UInt64>, lanes: SIMD4<Float>) -> (current: SIMD4<Float>, total: SIMD4<Float>) {
        counters.withUnsafeBufferPointer { c in
            let width = width, depth = depth
            @inline(__always) func smallest(_ hash: UInt64) -> SIMD2<Float> {
                var smallest = SIMD2<Float>(repeating: .infinity)
                for row in 0 ..< depth {
                    smallest = pointwiseMin(smallest, c[CountMinSketch.slot(hash, row: row, width: width)])
                }
                return smallest
            }
            var a = SIMD4<Float>.zero, s = SIMD4<Float>.zero
            let h0 = hashes[0], h1 = hashes[1], h2 = hashes[2], h3 = hashes[3]
            if lanes[0] != 0 {
                let m = smallest(h0)
                a[0] = Float(Double(m.x) * currentScale); s[0] = Float(Double(m.y) * totalScale)
            }
            if lanes[1] != 0 {
                let m = smallest(h1)
                a[1] = Float(Double(m.x) * currentScale); s[1] = Float(Double(m.y) * totalScale)
            }
            if lanes[2] != 0 {
                let m = smallest(h2)
                a[2] = Float(Double(m.x) * currentScale); s[2] = Float(Double(m.y) * totalScale)
            }
            if lanes[3] != 0 {
                let m = smallest(h3)
                a[3] = Float(Double(m.x) * currentScale); s[3] = Float(Double(m.y) * totalScale)
            }
            return (a, s)
        }
    }

    /// Loads the counters `hash` maps to (a read-only cache warm-up ahead of ``estimates(_:lanes:)``).
    @inline(__always)
    func touch(_ hash: UInt64) -> UInt32 {
        counters.withUnsafeBufferPointer { c in
            var sink: UInt32 = 0
            for row in 0 ..< depth {
                sink &+= c[CountMinSketch.slot(hash, row: row, width: width)].x.bitPattern
            }
            return sink
        }
    }

    /// log1p of the MIDAS score per lane, counting this transaction (weights `weights`) as in the paper.
    @inline(__always)
    func scores(current a: SIMD4<Float>, total s: SIMD4<Float>, weights: SIMD4<Float>) -> SIMD4<Float> {
        _FeatureKernels.log1p(_FeatureKernels.midasScore(current: a + weights, total: s + weights, ticks: Float(ticks)))
    }

    /// Adds the transaction to every lane with a non-zero weight.
    @inline(__always)
    mutating func add(_ hashes: SIMD4<UInt64>, weights: SIMD4<Float>) {
        let width = width, depth = depth, currentScale = currentScale, totalScale = totalScale
        counters.withUnsafeMutableBufferPointer { c in
            @inline(__always) func add(_ hash: UInt64, _ weight: Float) {
                let weight = Double(weight)
                let stored = SIMD2(Float(weight / currentScale), Float(weight / totalScale))
                for row in 0 ..< depth {
                    c[CountMinSketch.slot(hash, row: row, width: width)] += stored
                }
            }
            let w0 = weights[0], w1 = weights[1], w2 = weights[2], w3 = weights[3]
            if w0 > 0 { add(hashes[0], w0) }
            if w1 > 0 { add(hashes[1], w1) }
            if w2 > 0 { add(hashes[2], w2) }
            if w3 > 0 { add(hashes[3], w3) }
        }
    }

    var memoryBytes: Int { counters.capacity * MemoryLayout<SIMD2<Float>>.stride }
}
