/// Row counts of the main tables, for `chainwatch stats`.
public struct StoreCounts: Sendable, Equatable {
    public var alerts: Int64
    public var quarantined: Int64
    public var runs: Int64

    public init(alerts: Int64, quarantined: Int64, runs: Int64) {
        self.alerts = alerts
        self.quarantined = quarantined
        self.runs = runs
    }
}
