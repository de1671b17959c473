import CSQLite

/// An SQLite extended result code, attached as the `cause` of a ``ChainwatchError`` from this module.
///
/// Callers that need to tell a constraint violation from a full disk match on the primary code:
///
///     catch let error as ChainwatchError {
///         if (error.cause as? SQLiteResultCode)?.primary == SQLITE_CONSTRAINT { … }
///     }
///
/// Related SQLite documentation: <https://www.sqlite.org/rescode.html>
public struct SQLiteResultCode: Error, Hashable, Sendable, CustomStringConvertible {
    /// The extended result code (for example `SQLITE_CONSTRAINT_CHECK` = 275).
    public var rawValue: Int32

    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The primary result code: the low 8 bits of the extended code.
    public var primary: Int32 { rawValue & 0xff }

    public var description: String {
        "SQLite error \(rawValue): \(String(cString: sqlite3_errstr(rawValue)))"
    }
}
