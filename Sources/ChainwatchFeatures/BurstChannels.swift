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
struct BurstChannels: ~Copyable {
    private var counters: _Column<SIMD2<Float>>
    private var currentScale = 1.0
    private var totalScale = 1.0
    /// 1 / (currentScale, totalScale), updated with them (adds multiply, as ``CountMinSketch`` does).
    private var inverseScales = SIMD2<Double>(1, 1)
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
        counters = _Column(capacity: width * depth)
        counters.append(repeating: .zero, count: width * depth)
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
        inverseScales = SIMD2(1 / currentScale, 1 / totalScale)
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
        let c = counters.pointer(0), count = counters.count
        let raw = UnsafeMutableRawPointer(c)
        let pattern = SIMD8<Float>(factor.x, factor.y, factor.x, factor.y, factor.x, factor.y, factor.x, factor.y)
        let stride = MemoryLayout<SIMD2<Float>>.stride
        var index = 0
        while index + 4 <= count {
            let offset = index * stride
            let v = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) * pattern
            raw.storeBytes(of: v, toByteOffset: offset, as: SIMD8<Float>.self)
            index += 4
        }
        while index < count {
            c[index] *= factor
            index += 1
        }
    }

    /// Channel hashes of a transaction (lane order above), salted per lane.
    @inline(__always)
    static func hashes(from: UInt64, to: UInt64) -> SIMD4<UInt64> {
        let edge = (from &* 0x9e37_79b9_7f4a_7c15) ^ ((to << 17) | (to >> 47)) ^ 0x2545_f491_4f6c_dd1d
        return SIMD4(edge, from, to, edge) ^ SIMD4(0, 0x51_7cc1_b727_220a, 0x2f_1c36_41d8_7a3b, 0x6a09_e667_f3bc_c909)
    }

    /// ``CountMinSketch/mix(_:)`` of each channel hash: computed once per transaction and shared by
    /// ``estimates(_:lanes:)`` and ``add(_:weights:)``.
    @inline(__always)
    static func mixed(_ hashes: SIMD4<UInt64>) -> SIMD4<UInt64> {
        SIMD4(CountMinSketch.mix(hashes[0]), CountMinSketch.mix(hashes[1]), CountMinSketch.mix(hashes[2]), CountMinSketch.mix(hashes[3]))
    }

    /// Current-tick and total estimates per active lane (channel hashes ``mixed(_:)``), before this
    /// transaction is added.
    ///
    /// Lanes are unrolled with constant indices (a lane read with a loop index spills the vector
    /// through the stack).
    @inline(__always)
    mutating func estimates(_ mixed: SIMD4<UInt64>, lanes: SIMD4<Float>) -> (current: SIMD4<Float>, total: SIMD4<Float>) {
        let c = counters.pointer(0), width = width, depth = depth
        @inline(__always) func smallest(_ hash: UInt64) -> SIMD2<Float> {
            // Per component with `Swift.min`: the generic `pointwiseMin` is an out-of-line call here.
            var current = Float.infinity, total = Float.infinity
            for row in 0 ..< depth {
                let counter = c[CountMinSketch.slot(mixed: hash, row: row, width: width)]
                current = Swift.min(current, counter.x)
                total = Swift.min(total, counter.y)
            }
            return SIMD2(current, total)
        }
        let scales = SIMD2(currentScale, totalScale)
        @inline(__always) func scaled(_ m: SIMD2<Float>) -> SIMD2<Float> {
            SIMD2(Float(Double(m.x) * scales.x), Float(Double(m.y) * scales.y))
        }
        var a = SIMD4<Float>.zero, s = SIMD4<Float>.zero
        if lanes[0] != 0 { let m = scaled(smallest(mixed[0])); a[0] = m.x; s[0] = m.y }
        if lanes[1] != 0 { let m = scaled(smallest(mixed[1])); a[1] = m.x; s[1] = m.y }
        if lanes[2] != 0 { let m = scaled(smallest(mixed[2])); a[2] = m.x; s[2] = m.y }
        if lanes[3] != 0 { let m = scaled(smallest(mixed[3])); a[3] = m.x; s[3] = m.y }
        return (a, s)
    }

    /// log1p of the MIDAS score per lane, counting this transaction (weights `weights`) as in the paper.
    @inline(__always)
    func scores(current a: SIMD4<Float>, total s: SIMD4<Float>, weights: SIMD4<Float>) -> SIMD4<Float> {
        _FeatureKernels.log1p(_FeatureKernels.midasScore(current: a + weights, total: s + weights, ticks: Float(ticks)))
    }

    /// Adds the transaction (channel hashes ``mixed(_:)``) to every lane with a non-zero weight.
    @inline(__always)
    mutating func add(_ mixed: SIMD4<UInt64>, weights: SIMD4<Float>) {
        let c = counters.pointer(0), width = width, depth = depth
        let inverseScales = inverseScales
        @inline(__always) func add(_ hash: UInt64, _ weight: Float) {
            let weight = Double(weight)
            let stored = SIMD2(Float(weight * inverseScales.x), Float(weight * inverseScales.y))
            for row in 0 ..< depth {
                c[CountMinSketch.slot(mixed: hash, row: row, width: width)] += stored
            }
        }
        let w0 = weights[0], w1 = weights[1], w2 = weights[2], w3 = weights[3]
        if w0 > 0 { add(mixed[0], w0) }
        if w1 > 0 { add(mixed[1], w1) }
        if w2 > 0 { add(mixed[2], w2) }
        if w3 > 0 { add(mixed[3], w3) }
    }

    var memoryBytes: Int { counters.capacity * MemoryLayout<SIMD2<Float>>.stride }
}
