/// Parameters of the feature engine. Every time constant is in **event time** (block timestamps in
/// seconds, or block numbers where it says so); nothing reads the wall clock.
///
/// Changing any value changes ``FeatureCatalogue/hash`` so a model trained under one configuration is
/// never scored under another by accident.
public struct FeatureConfiguration: Sendable, Codable, Equatable {
    /// Cap on tracked accounts; beyond it the least recently active ⅛ are evicted in bulk.
    public var maxAccounts: Int = 1_000_000
    /// Half-lives, in seconds of block time, of the per-account decayed count / mean / std features.
    /// One to four values (they ride the lanes of one `SIMD4<Float>`); each one adds 6 features.
    public var halfLives: [Double] = [120, 3_600, 86_400]
    /// Half-life, in seconds, of the history the amount z-score and the in/out flow ratio use.
    /// It gets the spare fourth SIMD lane, so it costs nothing extra.
    public var historyHalfLife: Double = 86_400
    /// Half-life, in seconds, of the global decayed mean gas price.
    public var gasHalfLife: Double = 600
    /// Registers per account of the distinct-counterparty HyperLogLog (power of two, 16…256; one byte each).
    public var hyperLogLogRegisters: Int = 64
    /// Counters per row of each count-min sketch (power of two).
    public var sketchWidth: Int = 1 << 14
    /// Rows (independent hashes) of each count-min sketch.
    public var sketchDepth: Int = 2
    /// MIDAS-R: factor applied to the current-tick counts per block (tick = block number).
    public var burstCurrentDecay: Double = 0.5
    /// MIDAS-R: factor applied to the total counts per block; the effective tick count tends to 1/(1 − factor).
    public var burstTotalDecay: Double = 0.999
    /// Pass-through window, in **blocks**: a received amount counts if it arrived at most this many blocks ago.
    public var passThroughBlocks: Int = 10
    /// Pass-through tolerance: |sent − received| / sent below this gives a score in (0, 1].
    public var passThroughTolerance: Double = 0.05
    /// Just-below-threshold band: amounts in [(1 − band)·10^k, 10^k) ETH, k ≥ 0, are flagged.
    public var thresholdBand: Double = 0.05

    public init() {}

    /// Checks ranges; the engine calls it once in `init`.
    func validate() {
        precondition(maxAccounts >= 8, "maxAccounts must be at least 8")
        precondition((1...4).contains(halfLives.count) && halfLives.allSatisfy { $0 > 0 }, "1…4 positive half-lives")
        precondition(historyHalfLife > 0 && gasHalfLife > 0, "half-lives must be positive")
        precondition(hyperLogLogRegisters.nonzeroBitCount == 1 && (16...256).contains(hyperLogLogRegisters),
                     "hyperLogLogRegisters must be a power of two in 16…256")
        precondition(sketchWidth.nonzeroBitCount == 1 && sketchWidth >= 16, "sketchWidth must be a power of two ≥ 16")
        precondition((1...8).contains(sketchDepth), "sketchDepth must be 1…8")
        precondition((0..<1).contains(burstCurrentDecay) && burstTotalDecay > 0 && burstTotalDecay < 1, "decays in (0, 1)")
        precondition(passThroughBlocks >= 0 && passThroughTolerance > 0, "pass-through parameters")
    }

    /// A stable text of every parameter that shapes feature values, for the catalogue hash.
    var fingerprint: String {
        "halfLives=\(halfLives);history=\(historyHalfLife);gas=\(gasHalfLife);hll=\(hyperLogLogRegisters);"
            + "cms=\(sketchWidth)x\(sketchDepth);burst=\(burstCurrentDecay),\(burstTotalDecay);"
            + "pass=\(passThroughBlocks),\(passThroughTolerance);band=\(thresholdBand)"
    }
}
