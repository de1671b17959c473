/// The counters a run reports when it finishes; stored in the `runs` row.
///
/// All counts are of input rows (transactions) except ``alertsNew``.
public struct RunStats: Sendable, Equatable {
    /// Transactions decoded from the inputs (quarantined rows not included).
    public var rowsRead: Int64
    /// Transactions with at least one alert (a transaction flagged by three detectors counts once).
    public var rowsAlerted: Int64
    /// Rows that could not be decoded and went to the `quarantine` table.
    public var rowsQuarantined: Int64
    /// Transactions that arrived after the reorder window had passed their block.
    public var rowsLate: Int64
    /// Alerts this run added to the `alerts` table (re-seen `(chain, tx, detector)` triples excluded).
    public var alertsNew: Int64

    public init(rowsRead: Int64 = 0, rowsAlerted: Int64 = 0, rowsQuarantined: Int64 = 0, rowsLate: Int64 = 0, alertsNew: Int64 = 0) {
        self.rowsRead = rowsRead
        self.rowsAlerted = rowsAlerted
        self.rowsQuarantined = rowsQuarantined
        self.rowsLate = rowsLate
        self.alertsNew = alertsNew
    }
}
