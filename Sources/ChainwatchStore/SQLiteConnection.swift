import CSQLite
import ChainwatchCore

/// One SQLite database connection, used from one thread at a time.
///
/// A thin layer over the C API: statements are prepared once and cached by SQL text, values are bound by
/// index, and every failure becomes a ``ChainwatchError`` with code `.storeFailure`, SQLite's own message,
/// the statement as `context` and the extended result code as `cause` (a ``SQLiteResultCode``).
///
///     let connection = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
///     try connection.transaction {
///         let insert = try connection.cachedStatement("INSERT INTO t(x) VALUES (?)")
///         try insert.bind(42, at: 1)
///         try insert.run()
///     }
///
/// The handle is opened with `SQLITE_OPEN_NOMUTEX`: SQLite does no locking of its own on it, which is
/// why the class is explicitly not `Sendable`. Pointer handling stays inside this type and
/// ``SQLiteStatement``.
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/open.html>
public final class SQLiteConnection {
    /// The `sqlite3*` handle. Valid until `deinit`.
    let handle: OpaquePointer
    /// The path the connection was opened with.
    public let path: String
    private var statementCache: [String: SQLiteStatement] = [:]

    /// Opens (and with `SQLITE_OPEN_CREATE`, creates) the database at `path`.
    ///
    /// `SQLITE_OPEN_NOMUTEX` is added to `flags`, and extended result codes are turned on.
    ///
    /// - Throws: `.storeUnavailable` when SQLite cannot open the file (missing directory, permissions).
    public init(path: String, flags: Int32) throws(ChainwatchError) {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            // sqlite3_open_v2 allocates a handle even on failure, to carry the message; it must be closed.
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw ChainwatchError(
                .storeUnavailable, "cannot open database at \(path): \(message)", context: path,
                cause: SQLiteResultCode(rc))
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        statementCache.removeAll()
        // close_v2 defers the close until statements still held by callers are finalized, so a statement
        // that outlives its connection keeps a valid (zombie) handle instead of a dangling one.
        sqlite3_close_v2(handle)
    }

    /// Runs one or more `;`-separated statements that take no parameters (DDL, PRAGMAs, BEGIN/COMMIT).
    ///
    /// Result rows, if any, are discarded.
    ///
    /// - Complexity: Parses `sql` on every call; use ``cachedStatement(_:)`` for statements run per row.
    public func execute(sql: String) throws(ChainwatchError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard rc == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw ChainwatchError(.storeFailure, message, context: sql, cause: SQLiteResultCode(rc))
        }
    }

    /// Compiles a new statement owned by the caller.
    ///
    /// - Throws: `.storeFailure` on a syntax error or an unknown table or column.
    public func prepare(_ sql: String) throws(ChainwatchError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw error(rc, sql: sql)
        }
        return SQLiteStatement(handle: statement, connection: handle, sql: sql)
    }

    /// A statement compiled once per connection and reused, reset and with bindings cleared.
    ///
    /// - Complexity: A dictionary lookup after the first call; preparing costs tens of microseconds, which
    ///   is why per-row statements go through this.
    public func cachedStatement(_ sql: String) throws(ChainwatchError) -> SQLiteStatement {
        if let statement = statementCache[sql] {
            statement.reset()
            statement.clearBindings()
            return statement
        }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    ///
    /// `IMMEDIATE` takes the write lock up front, so a second writer waits for the busy timeout here
    /// rather than failing half way with `SQLITE_BUSY`. Not re-entrant: call it outside any transaction.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/lang_transaction.html>
    public func transaction<Result>(
        _ body: () throws(ChainwatchError) -> Result
    ) throws(ChainwatchError) -> Result {
        try execute(sql: "BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute(sql: "COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute(sql: "ROLLBACK") }
            throw error
        }
    }

    /// True between `BEGIN` and `COMMIT`/`ROLLBACK` (SQLite is not in autocommit mode).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// The rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// How long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
    public func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Runs a query that returns one integer (a PRAGMA, a `count(*)`); `nil` when it returns no row.
    public func int64(_ sql: String) throws(ChainwatchError) -> Int64? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        return try statement.step() ? statement.int64(at: 0) : nil
    }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    func error(_ rc: Int32, sql: String) -> ChainwatchError {
        ChainwatchError(.storeFailure, lastErrorMessage, context: sql, cause: SQLiteResultCode(rc))
    }
}

@available(*, unavailable)
extension SQLiteConnection: Sendable {}
