/// Which alerts ``AlertReader/alerts(_:)`` returns.
///
/// `--follow` polls with `afterID` set to the last id it printed; ids only grow, so nothing is printed twice.
///
///     var query = AlertQuery(minScore: 0.99, limit: 20, newestFirst: true)
///     let latest = try reader.alerts(query)
public struct AlertQuery: Sendable, Equatable {
    /// Only alerts with `id > afterID`.
    public var afterID: Int64
    /// Only alerts with `score >= minScore` (the raw score, not the calibrated one).
    public var minScore: Double?
    /// Only this detector's alerts.
    public var detector: String?
    /// At most this many rows.
    public var limit: Int?
    /// Descending id order (the latest `limit` alerts) instead of ascending.
    public var newestFirst: Bool

    public init(afterID: Int64 = 0, minScore: Double? = nil, detector: String? = nil, limit: Int? = nil, newestFirst: Bool = false) {
        self.afterID = afterID
        self.minScore = minScore
        self.detector = detector
        self.limit = limit
        self.newestFirst = newestFirst
    }
}
