import CProcessor
import Foundation

/// The hot state of one account: everything a row reads and writes, in 128 contiguous bytes (two cache
/// lines), so one account costs two cache misses instead of one per column. Its activity times (age, time
/// since the last transaction) live in its ``AccountTable`` entry, whose line the intern loads anyway:
/// with them here the state took 144 bytes, a third line per account, and ran ≈ 10 % slower.
///
/// Means and M2 follow the exponentially weighted Welford update, which stays accurate in `Float`
/// where sum / sum-of-squares would cancel: with decay d and sample x,
/// `c' = c·d + 1`, `μ' = μ + (x − μ)/c'`, `M2' = M2·d + (x − μ)(x − μ')`, std = √(M2/c); computed as
/// w = c·d/(c·d + 1), `μ' = x − (x − μ)·w`, `M2' = M2·d + (x − μ)²·w` so tiny weights survive `Float`.
/// SIMD4 lanes are the half-lives; lane 3 is the history half-life (z-score, flows).
struct AccountState {
    /// Decayed count, mean and M2 of log1p(ETH) per side: index 0 = sent (out), 1 = received (in).
    var count: (SIMD4<Float>, SIMD4<Float>) = (.zero, .zero)
    var mean: (SIMD4<Float>, SIMD4<Float>) = (.zero, .zero)
    var m2: (SIMD4<Float>, SIMD4<Float>) = (.zero, .zero)
    /// Decayed ETH received (lane 0) and sent (lane 1), history half-life.
    var flows: SIMD2<Float> = .zero
    /// The last two received amounts (ETH) and their block numbers (low 32 bits, compared wrapping).
    var passAmount: SIMD2<Float> = .zero
    var passBlock: SIMD2<UInt32> = .zero
    /// Undecayed sent / received transaction counts, saturating (only "at least 3" is ever asked). Two
    /// plain bytes: lane access on a `SIMD2<UInt8>` cost a vector insert and extract per update.
    var sentCount: UInt8 = 0
    var receivedCount: UInt8 = 0
    /// Zero registers and Σ 2^−r of the account's HyperLogLog block, kept up to date on every insert so
    /// the distinct-counterparty estimate never rescans the registers. Σ 2^−r is exact in `Float` as
    /// long as the ranks differ by < 24, exactly like the register scan it replaces.
    var hyperLogLogZeros: UInt16
    var hyperLogLogSum: Float

    init(registerCount: Int) {
        hyperLogLogZeros = UInt16(registerCount)
        hyperLogLogSum = Float(registerCount)
    }
}

/// Per-account state as columns indexed by the dense account id: the hot ``AccountState`` records and
/// the HyperLogLog registers (one flat byte column, stride = register count, touched only on insert).
///
/// Memory per account (default configuration): 128 B state + 64 B registers = 192 B, plus the table.
struct AccountColumns: ~Copyable {
    var states: _Column<AccountState>
    var registers: _Column<UInt8>
    let registerCount: Int
    /// The account cap: arrays grow (see `_Column.grownCapacity`) but never past it, so a full table has no slack.
    let maxAccounts: Int
    /// α·m² of the HyperLogLog estimate, and its linear-counting value m·ln(m / z) for every zero
    /// count z (index 0 unused): the same `Double` expressions as ``HyperLogLog/estimate(_:at:count:)``,
    /// so the estimate from (Σ 2^−r, z) is bit-identical to a register scan, with no `log` call per row.
    private let alphaMM: Double
    private let linearCounting: [Float]

    init(registerCount: Int, maxAccounts: Int) {
        self.registerCount = registerCount
        self.maxAccounts = maxAccounts
        states = _Column(limit: maxAccounts)
        registers = _Column(limit: maxAccounts * registerCount)
        let m = Double(registerCount)
        alphaMM = HyperLogLog.alpha(registerCount: registerCount) * m * m
        linearCounting = (0 ... registerCount).map { z in z == 0 ? 0 : Float(m * log(m / Double(z))) }
    }

    /// The HyperLogLog estimate of distinct counterparties of a state with Σ 2^−r `sum` and `zeros` zero
    /// registers (as `Float`).
    ///
    /// Both candidates are formed before the small-range rule picks one (the linear-counting value is a
    /// table load), rather than returning early from the rule; the pick itself still compiles to a branch.
    @inline(__always)
    func distinct(sum: Float, zeros: UInt16) -> Float {
        let raw = alphaMM / Double(sum)
        let linear = linearCounting.withUnsafeBufferPointer { Double($0[Int(zeros)]) }
        return Float(HyperLogLog.usesLinearCounting(raw: raw, zeros: Int(zeros), count: registerCount) ? linear : raw)
    }

    /// Hints the cache to load every line of account `index`'s state and registers (ids not yet handed
    /// out are skipped).
    @inline(__always)
    func prefetch(_ index: Int) {
        guard index < states.count else { return }
        let state = UnsafeRawPointer(states.pointer(index))
        cw_prefetch(state)
        cw_prefetch(state + (MemoryLayout<AccountState>.size - 1))
        // A block of ≤ 64 registers is one line when the column is line-aligned (a reserved column is).
        let registers = UnsafeRawPointer(self.registers.pointer(index &* registerCount))
        cw_prefetch(registers)
        if Int(bitPattern: registers) & 63 &+ registerCount > 64 { cw_prefetch(registers + (registerCount &- 1)) }
    }

    /// Gives `id` empty state (a fresh account, or an id reused after eviction).
    mutating func reset(_ id: UInt32) {
        let index = Int(id)
        if index == states.count {
            if states.count == states.capacity {
                let target = states.grownCapacity(cap: maxAccounts)
                states.reserve(target)
                // Registers are zero for the whole new capacity at once (written for a moving column,
                // untouched zero pages for a reserved one), so a fresh id finds its block already empty.
                registers.appendZeroed(count: target * registerCount - registers.count)
            }
            states.append(AccountState(registerCount: registerCount))
            return
        }
        precondition(index < states.count, "account ids are dense")
        states[index] = AccountState(registerCount: registerCount)
        registers.pointer(index * registerCount).update(repeating: 0, count: registerCount)
    }

    /// Bytes held (allocated, not just used).
    var memoryBytes: Int {
        states.allocatedBytes + registers.allocatedBytes
    }
}
