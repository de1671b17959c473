/// The hot state of one account: everything a row reads and writes, in 144 contiguous bytes
/// (2¼ cache lines) so one account costs ~3 cache misses instead of one per column.
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
    /// Block time (s) of the account's previous transaction and of its first.
    var lastTime: Int64
    var firstSeen: Int64
    /// Undecayed sent / received transaction counts, saturating.
    var txCounts: SIMD2<UInt16> = .zero
    /// Cached HyperLogLog estimate of distinct counterparties.
    var distinct: Float = 0

    init(now: Int64) {
        lastTime = now
        firstSeen = now
    }
}

/// Per-account state as arrays indexed by the dense account id: the hot ``AccountState`` records and
/// the HyperLogLog registers (one flat `[UInt8]`, stride = register count, touched only on insert).
///
/// Memory per account (default configuration): 144 B state + 64 B registers = 208 B, plus the table.
struct AccountColumns {
    var states: [AccountState] = []
    var registers: [UInt8] = []
    let registerCount: Int
    /// The account cap: arrays grow by doubling but never past it, so a full table has no slack.
    let maxAccounts: Int

    init(registerCount: Int, maxAccounts: Int) {
        self.registerCount = registerCount
        self.maxAccounts = maxAccounts
    }

    /// Gives `id` empty state first seen at `now` (a fresh account, or an id reused after eviction).
    mutating func reset(_ id: UInt32, now: Int64) {
        let index = Int(id)
        if index == states.count {
            if states.count == states.capacity {
                let target = Swift.min(maxAccounts, Swift.max(1_024, 2 * states.count))
                states.reserveCapacity(target)
                registers.reserveCapacity(target * registerCount)
            }
            states.append(AccountState(now: now))
            registers.append(contentsOf: repeatElement(0, count: registerCount))
            return
        }
        precondition(index < states.count, "account ids are dense")
        states[index] = AccountState(now: now)
        for k in 0 ..< registerCount { registers[index * registerCount + k] = 0 }
    }

    /// Bytes held, from array capacities.
    var memoryBytes: Int {
        states.capacity * MemoryLayout<AccountState>.stride + registers.capacity
    }
}
