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
struct BurstChannels {
    var current: [CountMinSketch]
    var total: [CountMinSketch]
    /// Effective number of ticks seen (decayed).
    private(set) var ticks: Double = 0
    private var lastBlock: Int64?
    let currentDecay: Double
    let totalDecay: Double

    init(configuration: FeatureConfiguration) {
        let sketch = CountMinSketch(width: configuration.sketchWidth, depth: configuration.sketchDepth)
        current = Array(repeating: sketch, count: 4)
        total = Array(repeating: sketch, count: 4)
        currentDecay = configuration.burstCurrentDecay
        totalDecay = configuration.burstTotalDecay
    }

    /// Moves the clock to `block`; a block lower than the last one is treated as the same tick.
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
        for lane in 0 ..< 4 {
            current[lane].decay(by: alpha)
            total[lane].decay(by: beta)
        }
        ticks = ticks * beta + (1 - beta) / (1 - totalDecay)
        lastBlock = block
    }

    /// Channel hashes of a transaction (lane order above).
    @inline(__always)
    static func hashes(from: UInt64, to: UInt64) -> SIMD4<UInt64> {
        let edge = (from &* 0x9e37_79b9_7f4a_7c15) ^ ((to << 17) | (to >> 47)) ^ 0x2545_f491_4f6c_dd1d
        return SIMD4(edge, from, to, edge)
    }

    /// Current-tick and total estimates per lane, before this transaction is added.
    @inline(__always)
    func estimates(_ hashes: SIMD4<UInt64>, lanes: SIMD4<Float>) -> (current: SIMD4<Float>, total: SIMD4<Float>) {
        var a = SIMD4<Float>.zero, s = SIMD4<Float>.zero
        for lane in 0 ..< 4 where lanes[lane] != 0 {
            a[lane] = current[lane].estimate(hashes[lane])
            s[lane] = total[lane].estimate(hashes[lane])
        }
        return (a, s)
    }

    /// log1p of the MIDAS score per lane, counting this transaction (weights `weights`) as in the paper.
    @inline(__always)
    func scores(current a: SIMD4<Float>, total s: SIMD4<Float>, weights: SIMD4<Float>) -> SIMD4<Float> {
        let raw = _FeatureKernels.midasScore(current: a + weights, total: s + weights, ticks: Float(ticks))
        return SIMD4(log1p(raw[0]), log1p(raw[1]), log1p(raw[2]), log1p(raw[3]))
    }

    /// Adds the transaction to every lane with a non-zero weight.
    @inline(__always)
    mutating func add(_ hashes: SIMD4<UInt64>, weights: SIMD4<Float>) {
        for lane in 0 ..< 4 where weights[lane] > 0 {
            current[lane].add(hashes[lane], weight: weights[lane])
            total[lane].add(hashes[lane], weight: weights[lane])
        }
    }

    var memoryBytes: Int { (current + total).reduce(0) { $0 + $1.memoryBytes } }
}
