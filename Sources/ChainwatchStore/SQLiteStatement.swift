import CSQLite
import ChainwatchCore

/// A compiled SQL statement: bind parameters by 1-based index, ``step()`` through rows, read columns by
/// 0-based index, ``reset()`` to run it again.
///
///     let select = try connection.cachedStatement("SELECT id, score FROM alerts WHERE id > ?")
///     try select.bind(lastID, at: 1)
///     while try select.step() {
///         print(select.int64(at: 0), select.double(at: 1))
///     }
///     select.reset()
///
/// Text is bound with `SQLITE_TRANSIENT` (SQLite copies it), so the Swift string may go away right
/// after the call. Column readers copy out of SQLite's buffers, which stay valid only until the next
/// `step`/`reset`. Like its connection, a statement is used from one thread at a time.
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/stmt.html>
public final class SQLiteStatement {
    /// `SQLITE_TRANSIENT` is a macro Swift does not import: the destructor value `-1` asks SQLite to copy.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private let handle: OpaquePointer
    /// The owning `sqlite3*`, for error messages. Kept alive by `sqlite3_close_v2` while we exist.
    private let connection: OpaquePointer
    /// The SQL text, reported as the `context` of errors.
    public let sql: String

    init(handle: OpaquePointer, connection: OpaquePointer, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: - Binding

    public func bind(_ value: Int64, at index: Int32) throws(ChainwatchError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    public func bind(_ value: Int, at index: Int32) throws(ChainwatchError) {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    public func bind(_ value: Double, at index: Int32) throws(ChainwatchError) {
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds UTF-8 text. The bytes are passed with their length, so embedded NULs are kept.
    public func bind(_ value: String, at index: Int32) throws(ChainwatchError) {
        var text = value
        let rc = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // A nil base address (empty string) would bind NULL; bind an empty C string instead.
                guard let base = chars.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
                return sqlite3_bind_text(handle, index, base, Int32(chars.count), Self.transient)
            }
        }
        try check(rc)
    }

    public func bindNull(at index: Int32) throws(ChainwatchError) {
        try check(sqlite3_bind_null(handle, index))
    }

    public func bind(_ value: Int64?, at index: Int32) throws(ChainwatchError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    public func bind(_ value: Double?, at index: Int32) throws(ChainwatchError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    public func bind(_ value: String?, at index: Int32) throws(ChainwatchError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: - Running

    /// Advances to the next row. Returns `true` when a row is available, `false` when the statement is done.
    ///
    /// - Throws: `.storeFailure` on a constraint violation, a busy timeout or an I/O error; the statement
    ///   must then be ``reset()`` before it is run again.
    @discardableResult
    public func step() throws(ChainwatchError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc:
            // The error detail lives on the connection; reset clears it, so read it first.
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw ChainwatchError(.storeFailure, message, context: sql, cause: SQLiteResultCode(rc))
        }
    }

    /// Runs a statement that returns no rows (INSERT, UPDATE, DELETE) and resets it for the next use.
    public func run() throws(ChainwatchError) {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Rewinds the statement so it can run again. Bindings are kept. Also ends the implicit read
    /// transaction a half-stepped SELECT holds open.
    public func reset() {
        sqlite3_reset(handle)
    }

    // MARK: - Reading columns (0-based)

    public func isNull(at column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    public func int64(at column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    public func double(at column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }

    /// The column as text (`""` for NULL).
    public func string(at column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        // column_bytes must come after column_text: the conversion to text may change the length.
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    public func optionalInt64(at column: Int32) -> Int64? {
        isNull(at: column) ? nil : int64(at: column)
    }

    public func optionalDouble(at column: Int32) -> Double? {
        isNull(at: column) ? nil : double(at: column)
    }

    public func optionalString(at column: Int32) -> String? {
        isNull(at: column) ? nil : string(at: column)
    }

    private func check(_ rc: Int32) throws(ChainwatchError) {
        guard rc == SQLITE_OK else {
            throw ChainwatchError(
                .storeFailure, String(cString: sqlite3_errmsg(connection)), context: sql, cause: SQLiteResultCode(rc))
        }
    }
}

@available(*, unavailable)
extension SQLiteStatement: Sendable {}
