import Foundation

/// Sender-side (`from_…`, outgoing history, side 0) and receiver-side (`to_…`, incoming history, side 1)
/// features and state updates of one account.
extension FeatureEngine {
    /// Writes the 3·H + 5 side features of `account` at `offset`, from its state before this row.
    ///
    /// Decay only rescales counts and M2, so mean and std (√(M2/c)) need no decay factor; counts are
    /// decayed to `now` with one SIMD4 `exp2`. Mean and std are reported times w = c/(c + 10⁻⁴), c the
    /// decayed count, so they fade to 0 with the window.
    @inline(__always)
    func writeSide(account: UInt32, side: Int, sample x: Float, now: Int64, into values: inout [Float], at offset: Int) {
        let id = Int(account)
        let elapsed = Float(max(0, now - accounts.lastTime[id]))
        let decay = _FeatureKernels.decayFactors(elapsed: elapsed, inverseHalfLives: inverseHalfLives)
        let s = id * AccountColumns.statsStride + side * 3
        let count = accounts.stats[s]
        let mean = accounts.stats[s + 1]
        let m2 = accounts.stats[s + 2]
        let decayed = count * decay
        let variance = (m2 / count.replacing(with: 1, where: count .<= 0)).replacing(with: 0, where: count .<= 0 .| m2 .<= 0)
        let std = variance.squareRoot()
        // Shrink toward 0 as the window empties (prior weight 1e-4): a fully decayed window reports
        // (0, 0, 0) instead of stale moments, continuously, whatever the float underflow does.
        let weight = decayed / (decayed + Self.shrinkWeight)
        let shrunkMean = mean * weight, shrunkStd = std * weight
        for lane in 0 ..< layout.halfLifeCount {
            values[offset + 3 * lane] = log1p(decayed[lane])
            values[offset + 3 * lane + 1] = shrunkMean[lane]
            values[offset + 3 * lane + 2] = shrunkStd[lane]
        }
        let o = offset + 3 * layout.halfLifeCount
        let prior = side == 0 ? accounts.txCounts[id][0] : accounts.txCounts[id][1]
        values[o + FeatureLayout.zScore] = prior >= 3 ? Self.zScore(x, mean: mean[3], std: std[3]) : 0
        values[o + FeatureLayout.sinceLast] = log1p(elapsed)
        let flows = accounts.flows[id] * decay[3]
        values[o + FeatureLayout.flowRatio] = log1p(flows[0]) - log1p(flows[1])
        values[o + FeatureLayout.distinct] = log1p(accounts.distinct[id])
        values[o + FeatureLayout.age] = log1p(Float(max(0, now - accounts.firstSeen[id])))
    }

    /// Prior weight of the mean/std shrinkage: 1e-4 of a transaction (0.01 % bias at one decayed tx).
    static let shrinkWeight: Float = 1e-4

    /// (x − μ) / max(σ, 0.05), clamped to ±50: a floor on σ keeps accounts that always send the same
    /// amount from producing huge, unstable scores.
    @inline(__always)
    static func zScore(_ x: Float, mean: Float, std: Float) -> Float {
        min(50, max(-50, (x - mean) / max(std, 0.05)))
    }

    /// Decays all of `account`'s state to `now`, then adds sample `x` (log1p ETH) to `side` and `amount`
    /// (ETH) to its flow.
    @inline(__always)
    mutating func update(account: UInt32, side: Int, sample x: Float, amount: Float, now: Int64) {
        let id = Int(account)
        let elapsed = Float(max(0, now - accounts.lastTime[id]))
        let decay = _FeatureKernels.decayFactors(elapsed: elapsed, inverseHalfLives: inverseHalfLives)
        let base = id * AccountColumns.statsStride
        if elapsed > 0 {
            accounts.stats[base] *= decay
            accounts.stats[base + 2] *= decay
            accounts.stats[base + 3] *= decay
            accounts.stats[base + 5] *= decay
            accounts.flows[id] *= decay[3]
        }
        let s = base + side * 3
        // Welford with w = c/(c + 1) formed from the decayed count itself: when c < 2^-24 the new count
        // rounds to 1 in Float, but w (and so the M2 increment δ²·w) stays accurate.
        let count = accounts.stats[s]
        let w = count / (count + 1)
        let delta = x - accounts.stats[s + 1]
        accounts.stats[s] = count + 1
        accounts.stats[s + 1] = x - delta * w
        accounts.stats[s + 2] += delta * delta * w
        accounts.flows[id][1 - side] += max(amount, 0)
        let counts = accounts.txCounts[id]
        accounts.txCounts[id][side] = counts[side] == .max ? .max : counts[side] + 1
        accounts.lastTime[id] = max(accounts.lastTime[id], now)
    }

    /// Adds a counterparty to `account`'s HyperLogLog and refreshes the cached estimate when a register grew.
    @inline(__always)
    mutating func insertCounterparty(_ hash: UInt64, into account: UInt32) {
        let m = accounts.registerCount
        let base = Int(account) * m
        if HyperLogLog.insert(hash, into: &accounts.registers, at: base, count: m) {
            accounts.distinct[Int(account)] = Float(HyperLogLog.estimate(accounts.registers, at: base, count: m))
        }
    }

    /// Remembers a received amount (ETH) for the pass-through feature; keeps the last two.
    @inline(__always)
    mutating func recordReceived(account: UInt32, amount: Float, block: Int64) {
        guard amount > 0 else { return }
        let id = Int(account)
        accounts.passAmount[id] = SIMD2(amount, accounts.passAmount[id][0])
        accounts.passBlock[id] = SIMD2(UInt32(truncatingIfNeeded: block), accounts.passBlock[id][0])
    }

    /// 1 − r / tolerance for the closest of the sender's last two received amounts within
    /// `passThroughBlocks` blocks, where r = |received − sent| / sent; 0 if none is within tolerance.
    @inline(__always)
    func passThrough(account: UInt32, amount: Float, block: Int64) -> Float {
        guard amount > 0 else { return 0 }
        let id = Int(account)
        let received = accounts.passAmount[id]
        let blocks = accounts.passBlock[id]
        let now = UInt32(truncatingIfNeeded: block)
        let tolerance = Float(configuration.passThroughTolerance)
        var best: Float = 0
        for slot in 0 ..< 2 where received[slot] > 0 && now &- blocks[slot] <= UInt32(configuration.passThroughBlocks) {
            let r = abs(received[slot] - amount) / amount
            if r < tolerance { best = max(best, 1 - r / tolerance) }
        }
        return best
    }
}
