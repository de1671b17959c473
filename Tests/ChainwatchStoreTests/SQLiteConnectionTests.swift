import CSQLite
import ChainwatchCore
import ChainwatchStore
import Testing

struct SQLiteConnectionTests {
    private func memory() throws -> SQLiteConnection {
        try SQLiteConnection(path: ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    }

    @Test func bindsAndReadsEveryType() throws {
        let db = try memory()
        try db.execute(sql: "CREATE TABLE t(i INTEGER, d REAL, s TEXT, n TEXT)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?)")
        try insert.bind(Int64.max, at: 1)
        try insert.bind(-0.125, at: 2)
        try insert.bind("héllo\u{0}wörld", at: 3)
        try insert.bind(nil as String?, at: 4)
        try insert.run()
        let select = try db.prepare("SELECT i, d, s, n, typeof(n) FROM t")
        #expect(try select.step())
        #expect(select.int64(at: 0) == Int64.max)
        #expect(select.double(at: 1) == -0.125)
        #expect(select.string(at: 2) == "héllo\u{0}wörld")
        #expect(select.optionalString(at: 3) == nil)
        #expect(select.string(at: 4) == "null")
        #expect(try select.step() == false)
    }

    @Test func emptyStringIsTextNotNull() throws {
        let db = try memory()
        try db.execute(sql: "CREATE TABLE t(s TEXT)")
        let insert = try db.cachedStatement("INSERT INTO t VALUES (?)")
        try insert.bind("", at: 1)
        try insert.run()
        #expect(try db.int64("SELECT count(*) FROM t WHERE s = ''") == 1)
    }

    @Test func cachedStatementsAreReusedAndReset() throws {
        let db = try memory()
        try db.execute(sql: "CREATE TABLE t(x INTEGER)")
        let first = try db.cachedStatement("INSERT INTO t VALUES (?)")
        try first.bind(Int64(1), at: 1)
        try first.run()
        let second = try db.cachedStatement("INSERT INTO t VALUES (?)")
        #expect(first === second)
        try second.run() // bindings were cleared: inserts NULL
        #expect(try db.int64("SELECT count(*) FROM t WHERE x IS NULL") == 1)
    }

    @Test func errorsCarrySQLiteMessageAndStatement() throws {
        let db = try memory()
        let error = #expect(throws: ChainwatchError.self) { try db.prepare("SELECT * FROM missing") }
        #expect(error?.code == .storeFailure)
        #expect(error?.message.contains("no such table: missing") == true)
        #expect(error?.context == "SELECT * FROM missing")
        #expect((error?.cause as? SQLiteResultCode)?.primary == SQLITE_ERROR)
    }

    @Test func constraintViolationIsAnErrorWithItsCode() throws {
        let db = try memory()
        try db.execute(sql: "CREATE TABLE t(x INTEGER NOT NULL CHECK (x > 0))")
        let insert = try db.cachedStatement("INSERT INTO t VALUES (?)")
        try insert.bind(Int64(-1), at: 1)
        let error = #expect(throws: ChainwatchError.self) { try insert.run() }
        #expect((error?.cause as? SQLiteResultCode)?.primary == SQLITE_CONSTRAINT)
        #expect(error?.message.contains("CHECK constraint failed") == true)
        // The statement is usable again after the failure.
        try insert.bind(Int64(2), at: 1)
        try insert.run()
        #expect(try db.int64("SELECT count(*) FROM t") == 1)
    }

    @Test func transactionCommitsOrRollsBack() throws {
        let db = try memory()
        try db.execute(sql: "CREATE TABLE t(x INTEGER)")
        try db.transaction { () throws(ChainwatchError) in try db.execute(sql: "INSERT INTO t VALUES (1)") }
        #expect(throws: ChainwatchError.self) {
            try db.transaction { () throws(ChainwatchError) in
                try db.execute(sql: "INSERT INTO t VALUES (2)")
                try db.execute(sql: "INSERT INTO nowhere VALUES (3)")
            }
        }
        #expect(db.isInTransaction == false)
        #expect(try db.int64("SELECT group_concat(x) FROM t") == 1)
    }

    @Test func openingInMissingDirectoryIsStoreUnavailable() {
        let error = #expect(throws: ChainwatchError.self) {
            try SQLiteConnection(path: "/nonexistent-dir/x.sqlite", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        }
        #expect(error?.code == .storeUnavailable)
    }

    @Test func aStatementMayOutliveItsConnection() throws {
        var db: SQLiteConnection? = try memory()
        let statement = try db!.prepare("SELECT 42")
        db = nil // closed with sqlite3_close_v2: the handle lives on until the statement is finalized
        #expect(try statement.step())
        #expect(statement.int64(at: 0) == 42)
    }
}
