/// The ordered list of feature names a ``FeatureEngine`` writes, one per ``FeatureMatrix`` column.
///
/// Explanations, CSV headers and model files refer to features by these names; ``hash`` ties a model
/// to the exact catalogue and parameters it was trained with.
///
/// Layout (H = number of half-lives, labels like `2m`, `1h`, `1d`):
///
///     per side s ∈ {from, to}:  s_count_<h>, s_mean_log_amount_<h>, s_std_log_amount_<h>   (3·H each)
///                               s_amount_z_<hist>, s_log_seconds_since_last, s_log_flow_ratio_<hist>,
///                               s_log_distinct_counterparties, s_log_age_seconds
///     per transaction:          log_amount, amount_roundness, below_round_threshold, pass_through,
///                               log_gas_price_ratio, contract_creation, has_input, edge_new,
///                               burst_edge, burst_sender, burst_receiver, burst_edge_amount
public struct FeatureCatalogue: Sendable, Equatable {
    /// Bumped whenever a feature's definition changes without its name changing.
    public static let currentVersion = 1

    public let names: [String]
    public let version: Int
    /// Parameter text folded into ``hash`` (half-lives, sketch sizes, …).
    public let parameters: String

    /// 16 lowercase hex digits: FNV-1a 64 over the version, the names and the parameters. Stable across runs
    /// and platforms (it does not use `Hasher`, which is seeded per process).
    public var hash: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            h = (h ^ 0x0a) &* 0x0000_0100_0000_01b3
        }
        mix("v\(version)")
        names.forEach(mix)
        mix(parameters)
        let text = String(h, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// Column of `name`, or `nil`. - Complexity: O(n), n ≈ 40; cache the result outside hot loops.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// The catalogue of the default ``FeatureConfiguration``.
    public static let standard = FeatureCatalogue(configuration: FeatureConfiguration())

    init(configuration: FeatureConfiguration) {
        let labels = configuration.halfLives.map(Self.label(seconds:))
        let history = Self.label(seconds: configuration.historyHalfLife)
        var names: [String] = []
        for side in ["from", "to"] {
            for label in labels {
                names += ["\(side)_count_\(label)", "\(side)_mean_log_amount_\(label)", "\(side)_std_log_amount_\(label)"]
            }
            names += ["\(side)_amount_z_\(history)", "\(side)_log_seconds_since_last", "\(side)_log_flow_ratio_\(history)",
                      "\(side)_log_distinct_counterparties", "\(side)_log_age_seconds"]
        }
        names += ["log_amount", "amount_roundness", "below_round_threshold", "pass_through", "log_gas_price_ratio",
                  "contract_creation", "has_input", "edge_new",
                  "burst_edge", "burst_sender", "burst_receiver", "burst_edge_amount"]
        precondition(Set(names).count == names.count, "feature names must be unique (duplicate half-lives?)")
        self.names = names
        self.version = Self.currentVersion
        self.parameters = configuration.fingerprint
    }

    /// `120` → `2m`, `3600` → `1h`, `86400` → `1d`, `90` → `90s`.
    static func label(seconds: Double) -> String {
        let whole = Int(seconds)
        guard Double(whole) == seconds else { return "\(seconds)s" }
        if whole % 86_400 == 0 { return "\(whole / 86_400)d" }
        if whole % 3_600 == 0 { return "\(whole / 3_600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}

/// Column offsets inside one feature row, derived from the number of half-lives.
///
/// Stored, not computed: the row loop reads these offsets for every row.
struct FeatureLayout {
    let halfLifeCount: Int
    /// Features per side: 3 per half-life + 5.
    let perSide: Int
    let fromBase = 0
    let toBase: Int
    let txBase: Int
    let dimensions: Int

    init(halfLifeCount: Int) {
        self.halfLifeCount = halfLifeCount
        perSide = 3 * halfLifeCount + 5
        toBase = perSide
        txBase = 2 * perSide
        dimensions = txBase + 12
    }

    // Offsets after the 3·H decayed statistics of a side.
    static let zScore = 0, sinceLast = 1, flowRatio = 2, distinct = 3, age = 4
    // Offsets inside the per-transaction block.
    static let logAmount = 0, roundness = 1, belowThreshold = 2, passThrough = 3, gasRatio = 4,
               contractCreation = 5, hasInput = 6, edgeNew = 7, burst = 8
}
