import CProcessor
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
/// Layout: per channel, two count-min sketches (current, total) of the configured size, stored
/// **interleaved** — one `SIMD2<Float>` (current, total) per counter — so a lookup touches one cache
/// line for both, and each keeps its own lazy scale exactly like ``CountMinSketch`` (the tests compare
/// against eight plain `CountMinSketch`es). Each (row, channel) pair owns its own run of `width` counters,
/// so channels never share a counter and one visit per counter can both read the estimate and add.
///
///     counters: [ row 0: ch 0 | ch 1 | ch 2 | ch 3 ][ row 1: … ]   each ch run = width × (cur, tot)
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
        width = configuration.sketchWidth
        depth = configuration.sketchDepth
        counters = _Column(capacity: 4 * width * depth)
        counters.append(repeating: .zero, count: 4 * width * depth)
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
        // Counters are (current, total) pairs of floats: the pattern gives each its own factor.
        let pattern = SIMD8<Float>(factor.x, factor.y, factor.x, factor.y, factor.x, factor.y, factor.x, factor.y)
        let floats = 2 * counters.count
        counters.pointer(0).withMemoryRebound(to: Float.self, capacity: floats) {
            _FeatureKernels.scale(UnsafeMutableBufferPointer(start: $0, count: floats), by: pattern)
        }
    }

    /// Channel hashes of a transaction (lane order above), salted per lane.
    @inline(__always)
    static func hashes(from: UInt64, to: UInt64) -> SIMD4<UInt64> {
        let edge = (from &* 0x9e37_79b9_7f4a_7c15) ^ ((to << 17) | (to >> 47)) ^ 0x2545_f491_4f6c_dd1d
        return SIMD4(edge, from, to, edge) ^ SIMD4(0, 0x51_7cc1_b727_220a, 0x2f_1c36_41d8_7a3b, 0x6a09_e667_f3bc_c909)
    }

    /// ``CountMinSketch/mix(_:)`` of each channel hash: computed once per transaction, from which
    /// ``locate(_:into:)`` derives every counter position the transaction visits.
    @inline(__always)
    static func mixed(_ hashes: SIMD4<UInt64>) -> SIMD4<UInt64> {
        SIMD4(CountMinSketch.mix(hashes[0]), CountMinSketch.mix(hashes[1]), CountMinSketch.mix(hashes[2]), CountMinSketch.mix(hashes[3]))
    }

    /// Counters one transaction visits per channel and sketch row: ``counterCount`` of them.
    var counterCount: Int { 4 * depth }

    /// Writes the positions of the counters a transaction with channel hashes `mixed` (``mixed(_:)``)
    /// visits to `positions[4·row + channel]`, and hints the cache to load them. Computed once when the
    /// row's chunk is prefetched; ``observe(_:lanes:weights:)`` then reads them back.
    @inline(__always)
    func locate(_ mixed: SIMD4<UInt64>, into positions: UnsafeMutablePointer<Int32>) {
        let c = counters.pointer(0)
        // ``CountMinSketch/column(mixed:row:width:)`` for the four channels at once: (lo + row·hi) mod width
        // in wrapping 32-bit lanes, then each channel's run offset.
        let lo = SIMD4<UInt32>(truncatingIfNeeded: mixed)
        let hi = SIMD4<UInt32>(truncatingIfNeeded: mixed &>> 32) | 1
        let mask = SIMD4<UInt32>(repeating: UInt32(truncatingIfNeeded: width &- 1))
        let runs = SIMD4<Int32>(0, 1, 2, 3) &* Int32(truncatingIfNeeded: width)
        let raw = UnsafeMutableRawPointer(positions)
        for row in 0 ..< depth {
            let column = (lo &+ UInt32(truncatingIfNeeded: row) &* hi) & mask
            let position = SIMD4<Int32>(truncatingIfNeeded: column) &+ runs &+ Int32(truncatingIfNeeded: row &* 4 &* width)
            raw.storeBytes(of: position, toByteOffset: row &* MemoryLayout<SIMD4<Int32>>.size, as: SIMD4<Int32>.self)
            cw_prefetch(c + Int(position[0]))
            cw_prefetch(c + Int(position[1]))
            cw_prefetch(c + Int(position[2]))
            cw_prefetch(c + Int(position[3]))
        }
    }

    /// Current-tick and total estimates per active lane from before this transaction (its counters at
    /// `positions`, from ``locate(_:into:)``), which is then added to every lane with a non-zero weight.
    ///
    /// One visit per counter: a channel's counters are its own, so adding one channel before reading
    /// the next gives the same estimates as reading all four first. Lanes are unrolled with constant
    /// indices (a lane read with a loop index spills the vector through the stack).
    @inline(__always)
    mutating func observe(
        _ positions: UnsafePointer<Int32>, lanes: SIMD4<Float>, weights: SIMD4<Float>
    ) -> (current: SIMD4<Float>, total: SIMD4<Float>) {
        if depth == 2 { return observeTwoRows(positions, lanes: lanes, weights: weights) }
        let c = counters.pointer(0), depth = depth
        let scales = SIMD2(currentScale, totalScale), inverse = inverseScales
        @inline(__always) func visit(_ channel: Int, _ weight: Float) -> SIMD2<Float> {
            let w = Double(weight)
            let stored = SIMD2(Float(w * inverse.x), Float(w * inverse.y))
            // Per component with `Swift.min`: the generic `pointwiseMin` is an out-of-line call here.
            var current = Float.infinity, total = Float.infinity
            for row in 0 ..< depth {
                let counter = c + Int(positions[row &* 4 &+ channel])
                let value = counter.pointee
                current = Swift.min(current, value.x)
                total = Swift.min(total, value.y)
                if weight > 0 { counter.pointee = value + stored }
            }
            return SIMD2(Float(Double(current) * scales.x), Float(Double(total) * scales.y))
        }
        var a = SIMD4<Float>.zero, s = SIMD4<Float>.zero
        if lanes[0] != 0 { let m = visit(0, weights[0]); a[0] = m.x; s[0] = m.y }
        if lanes[1] != 0 { let m = visit(1, weights[1]); a[1] = m.x; s[1] = m.y }
        if lanes[2] != 0 { let m = visit(2, weights[2]); a[2] = m.x; s[2] = m.y }
        if lanes[3] != 0 { let m = visit(3, weights[3]); a[3] = m.x; s[3] = m.y }
        return (a, s)
    }

    /// ``observe(_:lanes:weights:)`` for sketches of depth 2 (the default), two channels per vector: the
    /// (current, total) pairs of channels k and k + 1 in one sketch row are one `SIMD4<Float>`, so the
    /// minimum over the rows, the adds and the scaling are a few vector operations per channel pair.
    ///
    /// Same values as the loop: a weight that is not positive (inactive lanes, NaN) adds 0, and adding 0
    /// leaves a counter's bits unchanged (counters are never −0).
    @inline(__always)
    private mutating func observeTwoRows(
        _ positions: UnsafePointer<Int32>, lanes: SIMD4<Float>, weights: SIMD4<Float>
    ) -> (current: SIMD4<Float>, total: SIMD4<Float>) {
        let c = UnsafeMutableRawPointer(counters.pointer(0))
        // Bitwise, so the compiler keeps it a mask and not a branch per lane (zero amounts are common).
        let keep = SIMD4<UInt32>(repeating: 0).replacing(with: .max, where: weights .> 0)
        let positive = unsafeBitCast(unsafeBitCast(weights, to: SIMD4<UInt32>.self) & keep, to: SIMD4<Float>.self)
        let scales = SIMD4(currentScale, totalScale, currentScale, totalScale)
        let inverse = SIMD4(inverseScales.x, inverseScales.y, inverseScales.x, inverseScales.y)
        /// Channels `k`, `k + 1`: (current, total) of each, minimum over the rows, before the add.
        @inline(__always) func visit(_ k: Int) -> SIMD4<Float> {
            @inline(__always) func counter(_ index: Int) -> UnsafeMutableRawPointer {
                c + Int(positions[index]) &* MemoryLayout<SIMD2<Float>>.stride
            }
            let a0 = counter(k), a1 = counter(k &+ 1), b0 = counter(4 &+ k), b1 = counter(5 &+ k)
            let rowA = SIMD4(lowHalf: a0.load(as: SIMD2<Float>.self), highHalf: a1.load(as: SIMD2<Float>.self))
            let rowB = SIMD4(lowHalf: b0.load(as: SIMD2<Float>.self), highHalf: b1.load(as: SIMD2<Float>.self))
            let stored = SIMD4<Float>(
                SIMD4(Double(positive[k]), Double(positive[k]), Double(positive[k &+ 1]), Double(positive[k &+ 1])) * inverse
            )
            let addedA = rowA + stored, addedB = rowB + stored
            a0.storeBytes(of: addedA.lowHalf, as: SIMD2<Float>.self)
            a1.storeBytes(of: addedA.highHalf, as: SIMD2<Float>.self)
            b0.storeBytes(of: addedB.lowHalf, as: SIMD2<Float>.self)
            b1.storeBytes(of: addedB.highHalf, as: SIMD2<Float>.self)
            // Swift.min(Swift.min(∞, a), b) per lane, as the loop computes it.
            return SIMD4<Float>(SIMD4<Double>(rowA.replacing(with: rowB, where: rowB .< rowA)) * scales)
        }
        let low = visit(0), high = visit(2)
        let inactive = lanes .== 0
        let current = SIMD4(low[0], low[2], high[0], high[2]).replacing(with: 0, where: inactive)
        let total = SIMD4(low[1], low[3], high[1], high[3]).replacing(with: 0, where: inactive)
        return (current, total)
    }

    /// The MIDAS score per lane, counting this transaction (weights `weights`) as in the paper (the
    /// features are its log1p, which the engine takes per chunk).
    @inline(__always)
    func scores(current a: SIMD4<Float>, total s: SIMD4<Float>, weights: SIMD4<Float>) -> SIMD4<Float> {
        _FeatureKernels.midasScore(current: a + weights, total: s + weights, ticks: Float(ticks))
    }

    var memoryBytes: Int { counters.allocatedBytes }
}
