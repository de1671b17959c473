/// Per-account state of the feature engine as parallel arrays indexed by the dense account id.
///
/// Per account (default configuration, 64 HLL registers):
///
///     stats        6 × SIMD4<Float>   out count, out mean, out M2, in count, in mean, in M2   96 B
///                                     (lanes = the half-lives; lane 3 = history half-life)
///     flows        SIMD2<Float>       decayed ETH received / sent (history half-life)          8 B
///     lastTime     Int64              block time (s) of the account's previous transaction     8 B
///     firstSeen    Int64              block time (s) it was first interned                     8 B
///     txCounts     SIMD2<UInt16>      undecayed out / in transaction counts, saturating        4 B
///     passAmount   SIMD2<Float>       the last two received amounts (ETH)                      8 B
///     passBlock    SIMD2<UInt32>      their block numbers (low 32 bits, compared wrapping)     8 B
///     registers    64 × UInt8         distinct-counterparty HyperLogLog                       64 B
///     distinct     Float              cached HyperLogLog estimate                              4 B
///                                                                                   total ≈ 208 B
///
/// Means and M2 follow the exponentially weighted Welford update, which stays accurate in `Float`
/// where sum / sum-of-squares would cancel: with decay d and sample x,
/// `c' = c·d + 1`, `μ' = μ + (x − μ)/c'`, `M2' = M2·d + (x − μ)(x − μ')`, std = √(M2/c); computed as
/// w = c·d/(c·d + 1), `μ' = x − (x − μ)·w`, `M2' = M2·d + (x − μ)²·w` so tiny weights survive `Float`.
struct AccountColumns {
    var stats: [SIMD4<Float>] = []
    var flows: [SIMD2<Float>] = []
    var lastTime: [Int64] = []
    var firstSeen: [Int64] = []
    var txCounts: [SIMD2<UInt16>] = []
    var passAmount: [SIMD2<Float>] = []
    var passBlock: [SIMD2<UInt32>] = []
    var registers: [UInt8] = []
    var distinct: [Float] = []
    let registerCount: Int

    static let statsStride = 6

    init(registerCount: Int) {
        self.registerCount = registerCount
    }

    /// Gives `id` empty state first seen at `now` (a fresh account, or an id reused after eviction).
    mutating func reset(_ id: UInt32, now: Int64) {
        let index = Int(id)
        if index == lastTime.count {
            stats.append(contentsOf: repeatElement(.zero, count: Self.statsStride))
            flows.append(.zero)
            lastTime.append(now)
            firstSeen.append(now)
            txCounts.append(.zero)
            passAmount.append(.zero)
            passBlock.append(.zero)
            registers.append(contentsOf: repeatElement(0, count: registerCount))
            distinct.append(0)
            return
        }
        precondition(index < lastTime.count, "account ids are dense")
        for k in 0 ..< Self.statsStride { stats[index * Self.statsStride + k] = .zero }
        flows[index] = .zero
        lastTime[index] = now
        firstSeen[index] = now
        txCounts[index] = .zero
        passAmount[index] = .zero
        passBlock[index] = .zero
        for k in 0 ..< registerCount { registers[index * registerCount + k] = 0 }
        distinct[index] = 0
    }

    /// Bytes held, from array capacities.
    var memoryBytes: Int {
        stats.capacity * 16 + flows.capacity * 8 + lastTime.capacity * 8 + firstSeen.capacity * 8 + txCounts.capacity * 4
            + passAmount.capacity * 8 + passBlock.capacity * 8 + registers.capacity + distinct.capacity * 4
    }
}
