import CSQLite
import ChainwatchCore
import Foundation

/// The reading side of the alert database, for `chainwatch alerts` and `chainwatch stats`.
///
/// Opens its own read-only connection. In WAL mode a reader works from the last committed snapshot and
/// is never blocked by a writer holding an open transaction: it sees what ``AlertStore`` has committed,
/// nothing pending. Each query is its own snapshot, so polling with ``AlertQuery/afterID`` picks up new
/// commits.
///
///     let reader = try AlertReader(path: "chainwatch.sqlite")
///     var cursor = try reader.maxAlertID()
///     for row in try reader.alerts(AlertQuery(afterID: cursor, minScore: 5)) {
///         print(row.humanLine)
///         cursor = row.id
///     }
///
/// Related SQLite documentation: <https://www.sqlite.org/wal.html#concurrency>
public final class AlertReader {
    public let path: String
    private let connection: SQLiteConnection

    /// - Throws: `.storeUnavailable` "no database at PATH" when the file does not exist (a reader never
    ///   creates one); `.schemaMismatch` when the file holds no chainwatch schema or a newer one.
    public init(path: String, busyTimeoutMilliseconds: Int32 = 5000) throws(ChainwatchError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ChainwatchError(.storeUnavailable, "no database at \(path)", context: path)
        }
        self.path = path
        connection = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READONLY)
        // Readers do not wait on writers in WAL mode, but opening a snapshot can briefly wait on a checkpoint.
        connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        let version: Int64
        do {
            version = try StoreSchema.checkedVersion(connection)
        } catch where error.code == .storeFailure {
            throw ChainwatchError(
                .storeUnavailable, "cannot read database at \(path): \(error.message)", context: path,
                cause: error.cause)
        }
        guard version >= 1 else {
            throw ChainwatchError(
                .schemaMismatch, "\(path) is not a chainwatch database (schema version 0)", context: path)
        }
    }

    /// Alerts matching `query`, in id order (descending with ``AlertQuery/newestFirst``).
    ///
    /// - Complexity: A range scan of the primary key from `afterID`; `detector` and `minScore` filter it
    ///   (the `(detector, score)` index helps when SQLite's planner prefers it).
    public func alerts(_ query: AlertQuery) throws(ChainwatchError) -> [AlertRow] {
        var sql = "SELECT \(Self.alertColumns) FROM alerts WHERE id > ?"
        if query.minScore != nil { sql += " AND score >= ?" }
        if query.detector != nil { sql += " AND detector = ?" }
        sql += query.newestFirst ? " ORDER BY id DESC" : " ORDER BY id"
        if query.limit != nil { sql += " LIMIT ?" }

        let select = try connection.cachedStatement(sql)
        // Resetting ends the statement's read snapshot, so the next poll sees new commits.
        defer { select.reset() }
        var index: Int32 = 1
        try select.bind(query.afterID, at: index)
        if let minScore = query.minScore { index += 1; try select.bind(minScore, at: index) }
        if let detector = query.detector { index += 1; try select.bind(detector, at: index) }
        if let limit = query.limit { index += 1; try select.bind(max(0, limit), at: index) }

        var rows: [AlertRow] = []
        while try select.step() {
            rows.append(Self.alertRow(select))
        }
        return rows
    }

    /// The largest alert id, or 0 when there are none: where `--follow` starts when it shows only new alerts.
    public func maxAlertID() throws(ChainwatchError) -> Int64 {
        try connection.int64("SELECT ifnull(max(id), 0) FROM alerts") ?? 0
    }

    /// The latest `limit` runs, newest first.
    public func runs(limit: Int) throws(ChainwatchError) -> [RunRow] {
        let select = try connection.cachedStatement("""
            SELECT id, command, started_at, finished_at, status, inputs, settings, model_id, rows_read,
                rows_alerted, rows_quarantined, rows_late, alerts_new, error
            FROM runs ORDER BY id DESC LIMIT ?
            """)
        defer { select.reset() }
        try select.bind(max(0, limit), at: 1)
        var rows: [RunRow] = []
        while try select.step() {
            let stats = RunStats(
                rowsRead: select.int64(at: 8), rowsAlerted: select.int64(at: 9), rowsQuarantined: select.int64(at: 10),
                rowsLate: select.int64(at: 11), alertsNew: select.int64(at: 12))
            rows.append(RunRow(
                id: select.int64(at: 0), command: select.string(at: 1), startedAt: select.string(at: 2),
                finishedAt: select.optionalString(at: 3), status: select.string(at: 4), inputsJSON: select.string(at: 5),
                settingsJSON: select.string(at: 6), modelID: select.optionalString(at: 7), stats: stats,
                error: select.optionalString(at: 13)))
        }
        return rows
    }

    /// Row counts of `alerts`, `quarantine` and `runs`, read in one snapshot.
    public func counts() throws(ChainwatchError) -> StoreCounts {
        let select = try connection.cachedStatement("""
            SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM quarantine), (SELECT count(*) FROM runs)
            """)
        defer { select.reset() }
        guard try select.step() else { return StoreCounts(alerts: 0, quarantined: 0, runs: 0) }
        return StoreCounts(alerts: select.int64(at: 0), quarantined: select.int64(at: 1), runs: select.int64(at: 2))
    }

    // Warning: keep in step with alertRow(_:) and StoreSchema.
    private static let alertColumns = """
        id, run_id, chain, tx_hash, block_number, block_time, from_address, to_address, value_wei, amount, \
        detector, typology, score, calibrated, reasons, model_id
        """

    private static func alertRow(_ s: SQLiteStatement) -> AlertRow {
        // An unknown chain name can only come from a newer writer; show it as ethereum rather than fail.
        let chain = Chain(rawValue: s.string(at: 2)) ?? .ethereum
        let alert = Alert(
            chain: chain, txHash: s.string(at: 3), blockNumber: s.int64(at: 4), blockTime: s.int64(at: 5),
            fromAddress: s.string(at: 6), toAddress: s.optionalString(at: 7), valueRaw: s.string(at: 8),
            amount: s.double(at: 9), detector: s.string(at: 10), typology: s.optionalString(at: 11),
            score: s.double(at: 12), calibrated: s.optionalDouble(at: 13), reasons: s.string(at: 14),
            modelID: s.optionalString(at: 15))
        return AlertRow(id: s.int64(at: 0), runID: s.int64(at: 1), alert: alert)
    }
}

@available(*, unavailable)
extension AlertReader: Sendable {}
