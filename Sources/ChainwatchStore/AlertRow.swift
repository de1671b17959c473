import ChainwatchCore

/// A stored alert with its row id and the run that first recorded it.
public struct AlertRow: Sendable, Equatable {
    /// The `alerts.id`: grows with insertion order, so it doubles as a follow cursor.
    public var id: Int64
    public var runID: Int64
    public var alert: Alert

    public init(id: Int64, runID: Int64, alert: Alert) {
        self.id = id
        self.runID = runID
        self.alert = alert
    }
}
