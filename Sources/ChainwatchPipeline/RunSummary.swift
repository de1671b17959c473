/// What a run did, printed on stderr at the end and stored in the `runs` table.
public struct RunSummary: Sendable, Equatable {
    public var runID: Int64 = 0
    public var rowsRead: Int64 = 0
    public var rowsQuarantined: Int64 = 0
    public var rowsLate: Int64 = 0
    public var recordsSkipped: Int64 = 0
    /// Alerts the detectors raised in this run (including ones already stored by an earlier run).
    public var alertsRaised: Int64 = 0
    /// Alerts that were new to the database.
    public var alertsNew: Int64 = 0
    /// Distinct transactions with at least one alert.
    public var rowsAlerted: Int64 = 0
    public var elapsedSeconds: Double = 0
    /// `completed`, `interrupted` or `failed`.
    public var status: String = "completed"

    public init() {}

    public var rowsPerSecond: Double { elapsedSeconds > 0 ? Double(rowsRead) / elapsedSeconds : 0 }

    /// One line for stderr.
    public var line: String {
        let rate = rowsPerSecond >= 1000 ? "\(Int(rowsPerSecond / 1000))k" : "\(Int(rowsPerSecond))"
        var text = "chainwatch: \(status): \(rowsRead) rows in \(formatted(elapsedSeconds))s (\(rate) rows/s), "
        text += "\(alertsRaised) alerts (\(alertsNew) new), \(rowsQuarantined) quarantined"
        if rowsLate > 0 { text += ", \(rowsLate) late (raise --reorder-window to hold them back)" }
        if recordsSkipped > 0 { text += ", \(recordsSkipped) non-transaction records skipped" }
        return text
    }

    /// Seconds rounded to hundredths.
    private func formatted(_ seconds: Double) -> String {
        "\((seconds * 100).rounded() / 100)"
    }
}
