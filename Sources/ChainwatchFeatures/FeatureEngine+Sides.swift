import Foundation

/// Sender-side (`from_…`, outgoing history, side 0) and receiver-side (`to_…`, incoming history, side 1)
/// features and state updates of one account.
///
/// The row helpers are `mutating` even where they only read: `self` is then passed by address. As
/// plain (borrowing) methods of this ~440-byte non-copyable struct each call copied all of `self` to
/// the stack first.
extension FeatureEngine {
    /// Prior weight of the mean/std shrinkage: 1e-4 of a transaction (0.01 % bias at one decayed tx).
    static let shrinkWeight: Float = 1e-4

    /// Puts what the side features of `state` need into the row's pending chunk math (`logs`, `moments`,
    /// see ``_ChunkMath``), from the state before this row; ``writeSideMath(_:side:into:at:)`` writes the
    /// features once the chunk is transformed.
    ///
    /// Counts are decayed to `now` with one SIMD4 `exp2`; mean and M2/count need no decay factor (decay
    /// rescales counts and M2 alike). Mean and std are reported times w = c/(c + 10⁻⁴), c the decayed
    /// count, so they fade to 0 with the window instead of reporting stale moments.
    ///
    /// `before` is the account's activity before this row (from its table entry): the time since its last
    /// transaction and its age come from it. Returns the decay factors it used, which
    /// ``update(_:side:sample:amount:decay:)`` applies.
    @inline(__always)
    @discardableResult
    mutating func gatherSide(
        _ statePointer: UnsafeMutablePointer<AccountState>, side: Int, before: AccountTable.Activity, now: Int64,
        chunkRow: Int, logs: UnsafeMutablePointer<Float>, moments: UnsafeMutablePointer<Float>
    ) -> SIMD4<Float> {
        // Fields are read through the pointer: a `let` copy of the whole state cost ~28 instructions
        // per side.
        let state = statePointer
        let elapsed = Float(max(0, now &- before.last))
        let decay = _FeatureKernels.decayFactors(elapsed: elapsed, inverseHalfLives: inverseHalfLives)
        let count = side == 0 ? state.pointee.count.0 : state.pointee.count.1
        let decayed = count * decay
        let float = MemoryLayout<Float>.stride
        let lanes = UnsafeMutableRawPointer(moments + 4 &* side)
        lanes.storeBytes(of: decayed, toByteOffset: _ChunkMath.decayedCount &* float, as: SIMD4<Float>.self)
        lanes.storeBytes(
            of: side == 0 ? state.pointee.mean.0 : state.pointee.mean.1, toByteOffset: _ChunkMath.mean &* float, as: SIMD4<Float>.self
        )
        lanes.storeBytes(
            of: side == 0 ? state.pointee.m2.0 : state.pointee.m2.1, toByteOffset: _ChunkMath.m2 &* float, as: SIMD4<Float>.self
        )
        lanes.storeBytes(of: count, toByteOffset: _ChunkMath.count &* float, as: SIMD4<Float>.self)
        let prior = side == 0 ? state.pointee.sentCount : state.pointee.receivedCount
        chunkMath.zScoreReported(chunkRow, side: side).pointee = prior >= 3 ? 1 : 0
        let flows = state.pointee.flows * decay[3]
        let pending = UnsafeMutableRawPointer(logs + side &* _ChunkMath.sideStride)
        pending.storeBytes(of: decayed, as: SIMD4<Float>.self)
        pending.storeBytes(
            of: SIMD4(elapsed, flows[0], flows[1], accounts.distinct(sum: state.pointee.hyperLogLogSum, zeros: state.pointee.hyperLogLogZeros)),
            toByteOffset: _ChunkMath.since &* float, as: SIMD4<Float>.self
        )
        logs[_ChunkMath.age &+ side] = Float(max(0, now &- before.first))
        return decay
    }

    /// A receiver-less row's receiver side: every input 0, so every receiver feature comes out 0.
    @inline(__always)
    func gatherNoReceiver(chunkRow: Int, logs: UnsafeMutablePointer<Float>, moments: UnsafeMutablePointer<Float>) {
        for k in 0 ..< _ChunkMath.sideStride { logs[_ChunkMath.sideStride &+ k] = 0 }
        logs[_ChunkMath.age &+ 1] = 0
        for k in 0 ..< 4 {
            moments[_ChunkMath.decayedCount &+ 4 &+ k] = 0
            moments[_ChunkMath.mean &+ 4 &+ k] = 0
            moments[_ChunkMath.m2 &+ 4 &+ k] = 0
            moments[_ChunkMath.count &+ 4 &+ k] = 0
        }
        chunkMath.zScoreReported(chunkRow, side: 1).pointee = 0
    }

    /// Writes the side features of chunk row `chunkRow` at `offset`, from its transformed chunk math.
    @inline(__always)
    func writeSideMath(_ chunkRow: Int, side: Int, into values: _RowWriter, at offset: Int) {
        let logs = chunkMath.logs(chunkRow)
        let moments = chunkMath.moments(chunkRow) + 4 &* side
        let pending = logs + side &* _ChunkMath.sideStride
        let lanes = layout.halfLifeCount
        // Lane k: log count, shrunk mean, shrunk std at offset + 3k (constant lane indices).
        @inline(__always) func lane(_ k: Int) {
            values[offset &+ 3 &* k] = pending[k]
            values[offset &+ 3 &* k &+ 1] = moments[_ChunkMath.shrunkMean &+ k]
            values[offset &+ 3 &* k &+ 2] = moments[_ChunkMath.shrunkStd &+ k]
        }
        lane(0)
        if lanes > 1 { lane(1) }
        if lanes > 2 { lane(2) }
        if lanes > 3 { lane(3) }
        let o = offset &+ 3 &* lanes
        let reported = chunkMath.zScoreReported(chunkRow, side: side).pointee != 0
        values[o &+ FeatureLayout.zScore] = reported
            ? Self.zScore(chunkMath.amountLog(chunkRow), mean: moments[_ChunkMath.mean &+ 3], std: moments[_ChunkMath.std &+ 3])
            : 0
        values[o &+ FeatureLayout.sinceLast] = pending[_ChunkMath.since]
        values[o &+ FeatureLayout.flowRatio] = pending[_ChunkMath.flowIn] - pending[_ChunkMath.flowOut]
        values[o &+ FeatureLayout.distinct] = pending[_ChunkMath.distinct]
        values[o &+ FeatureLayout.age] = logs[_ChunkMath.age &+ side]
    }

    /// (x − μ) / max(σ, 0.05), clamped to ±50: a floor on σ keeps accounts that always send the same
    /// amount from producing huge, unstable scores.
    @inline(__always)
    static func zScore(_ x: Float, mean: Float, std: Float) -> Float {
        min(50, max(-50, (x - mean) / max(std, 0.05)))
    }

    /// Decays all of `state` by `decay` (`nil`: no time passed since its last transaction), then adds
    /// sample `x` (log1p ETH) to `side` and `amount` (ETH) to its flow.
    ///
    /// - Parameter decay: the factors ``gatherSide(_:side:before:now:chunkRow:logs:moments:)`` returned for
    ///   this state in this row.
    /// Works on the state in place through `state`: an `inout AccountState` argument made the optimiser
    /// copy the whole state out and back with two `memcpy` calls per side.
    @inline(__always)
    mutating func update(_ state: UnsafeMutablePointer<AccountState>, side: Int, sample x: Float, amount: Float, decay: SIMD4<Float>?) {
        if let decay {
            state.pointee.count.0 *= decay
            state.pointee.count.1 *= decay
            state.pointee.m2.0 *= decay
            state.pointee.m2.1 *= decay
            state.pointee.flows *= decay[3]
        }
        // Welford with w = c/(c + 1) formed from the decayed count itself: when c < 2^-24 the new count
        // rounds to 1 in Float, but w (and so the M2 increment δ²·w) stays accurate.
        if side == 0 {
            Self.welford(count: &state.pointee.count.0, mean: &state.pointee.mean.0, m2: &state.pointee.m2.0, x: x)
            state.pointee.flows[1] += max(amount, 0)
            state.pointee.sentCount &+= state.pointee.sentCount == .max ? 0 : 1
        } else {
            Self.welford(count: &state.pointee.count.1, mean: &state.pointee.mean.1, m2: &state.pointee.m2.1, x: x)
            state.pointee.flows[0] += max(amount, 0)
            state.pointee.receivedCount &+= state.pointee.receivedCount == .max ? 0 : 1
        }
    }

    @inline(__always)
    static func welford(count: inout SIMD4<Float>, mean: inout SIMD4<Float>, m2: inout SIMD4<Float>, x: Float) {
        let w = count / (count + 1)
        let delta = x - mean
        count += 1
        mean = x - delta * w
        m2 += delta * delta * w
    }

    /// Adds a counterparty to the account's HyperLogLog and updates its Σ 2^−r and zero count (2^−new −
    /// 2^−old is exact, so is the sum while ranks differ by < 24; it is exactly 0 when the register did not
    /// grow). Branch-free, like ``HyperLogLog/raise(_:block:count:)``: a rank is at least 1, so a register
    /// that was zero always grows.
    @inline(__always)
    mutating func insertCounterparty(_ hash: UInt64, into account: UInt32, state: UnsafeMutablePointer<AccountState>) {
        let m = accounts.registerCount
        let (old, new) = HyperLogLog.raise(hash, block: accounts.registers.pointer(Int(account) * m), count: m)
        state.pointee.hyperLogLogSum += HyperLogLog.power(new) - HyperLogLog.power(old)
        state.pointee.hyperLogLogZeros &-= old == 0 ? 1 : 0
    }

    /// Remembers a received amount (ETH) for the pass-through feature; keeps the last two.
    @inline(__always)
    static func recordReceived(_ state: UnsafeMutablePointer<AccountState>, amount: Float, block: Int64) {
        guard amount > 0 else { return }
        state.pointee.passAmount = SIMD2(amount, state.pointee.passAmount[0])
        state.pointee.passBlock = SIMD2(UInt32(truncatingIfNeeded: block), state.pointee.passBlock[0])
    }

    /// 1 − r / tolerance for the closest of the sender's last two received amounts within
    /// `passThroughBlocks` blocks, where r = |received − sent| / sent; 0 if none is within tolerance.
    @inline(__always)
    mutating func passThrough(received: SIMD2<Float>, at blocks: SIMD2<UInt32>, amount: Float, block: Int64) -> Float {
        guard amount > 0 else { return 0 }
        let now = UInt32(truncatingIfNeeded: block)
        let tolerance = Float(configuration.passThroughTolerance)
        let window = UInt32(configuration.passThroughBlocks)
        var best: Float = 0
        // The two slots unrolled with constant lane indices.
        @inline(__always) func consider(_ received: Float, _ receivedBlock: UInt32) {
            guard received > 0 && now &- receivedBlock <= window else { return }
            let r = abs(received - amount) / amount
            if r < tolerance { best = max(best, 1 - r / tolerance) }
        }
        consider(received[0], blocks[0])
        consider(received[1], blocks[1])
        return best
    }
}
