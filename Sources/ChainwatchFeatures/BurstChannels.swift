import Foundation

/// MIDAS-R edge-burst state (Bhatia et al., "MIDAS: Microcluster-Based Detector of Anomalies in Edge
/// Streams", AAAI 2020) for four channels that share one SIMD4 lane each:
///
///     lane 0  edge (from, to)             weight 1
///     lane 1  sender node                 weight 1
///     lane 2  receiver node               weight 1
///     lane 3  edge, amount-weighted       weight log1p(amount ETH)
///
/// The four channels live in one count-min sketch per clock (current, total), four times as wide,
/// separated by a per-lane salt in the hash: two arrays instead of eight keep the hot loop free of
/// retain/release traffic, with the same collision rate as four separate sketches.
///
/// The tick is the **block number**. Per tick the current-tick counts decay by `currentDecay` (MIDAS-R's
/// α instead of a reset) and the totals by `totalDecay`; the effective tick count follows the same decay
/// (t ← t·β + 1 per tick), so s/t stays the decayed mean per tick and memory stays bounded.
struct BurstChannels {
    var current: CountMinSketch
    var total: CountMinSketch
    /// Effective number of ticks seen (decayed).
    private(set) var ticks: Double = 0
    private var lastBlock: Int64?
    let currentDecay: Double
    let totalDecay: Double

    init(configuration: FeatureConfiguration) {
        current = CountMinSketch(width: 4 * configuration.sketchWidth, depth: configuration.sketchDepth)
        total = current
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
        let alpha = elapsed == 1 ? currentDecay : pow(currentDecay, elapsed)
        let beta = elapsed == 1 ? totalDecay : pow(totalDecay, elapsed)
        current.decay(by: alpha)
        total.decay(by: beta)
        ticks = ticks * beta + (1 - beta) / (1 - totalDecay)
        lastBlock = block
    }

    /// Channel hashes of a transaction (lane order above), salted per lane.
    @inline(__always)
    static func hashes(from: UInt64, to: UInt64) -> SIMD4<UInt64> {
        let edge = (from &* 0x9e37_79b9_7f4a_7c15) ^ ((to << 17) | (to >> 47)) ^ 0x2545_f491_4f6c_dd1d
        return SIMD4(edge, from, to, edge) ^ SIMD4(0, 0x51_7cc1_b727_220a, 0x2f_1c36_41d8_7a3b, 0x6a09_e667_f3bc_c909)
    }

    /// Current-tick and total estimates per active lane, before this transaction is added.
    @inline(__always)
    func estimates(_ hashes: SIMD4<UInt64>, lanes: SIMD4<Float>) -> (current: SIMD4<Float>, total: SIMD4<Float>) {
        var a = SIMD4<Float>.zero, s = SIMD4<Float>.zero
        for lane in 0 ..< 4 where lanes[lane] != 0 {
            a[lane] = current.estimate(hashes[lane])
            s[lane] = total.estimate(hashes[lane])
        }
        return (a, s)
    }

    /// log1p of the MIDAS score per lane, counting this transaction (weights `weights`) as in the paper.
    @inline(__always)
    func scores(current a: SIMD4<Float>, total s: SIMD4<Float>, weights: SIMD4<Float>) -> SIMD4<Float> {
        _FeatureKernels.log1p(_FeatureKernels.midasScore(current: a + weights, total: s + weights, ticks: Float(ticks)))
    }

    /// Adds the transaction to every lane with a non-zero weight.
    @inline(__always)
    mutating func add(_ hashes: SIMD4<UInt64>, weights: SIMD4<Float>) {
        for lane in 0 ..< 4 where weights[lane] > 0 {
            current.add(hashes[lane], weight: weights[lane])
            total.add(hashes[lane], weight: weights[lane])
        }
    }

    var memoryBytes: Int { current.memoryBytes + total.memoryBytes }
}
