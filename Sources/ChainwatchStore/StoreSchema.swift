import ChainwatchCore

// Warning: keep in step with Alert and the README.
/// The database schema and the migrations that build it, versioned by `PRAGMA user_version`.
///
/// Version 1:
///
///     runs(id INTEGER PRIMARY KEY, command, started_at, finished_at, status, inputs JSON array,
///          settings JSON object, model_id, rows_read, rows_alerted, rows_quarantined, rows_late,
///          alerts_new, error)                              -- one row per command invocation
///     alerts(id INTEGER PRIMARY KEY, chain, tx_hash, block_number, block_time, from_address, to_address,
///            value_wei, amount, detector, typology, score, calibrated, reasons JSON, model_id,
///            run_id → runs, UNIQUE(chain, tx_hash, detector))
///            + indexes (block_number), (detector, score)  -- one row per (tx, detector), first run wins
///     quarantine(id, run_id → runs, source, line, raw, reason, UNIQUE(source, line, reason))
///     models(id TEXT PRIMARY KEY, created_at, path, catalogue_hash, metadata JSON)
///     labels(id, subject, kind tx|address, label, category, source, UNIQUE(subject, kind, label, category))
///            + unique index treating a NULL category as '' (UNIQUE alone lets NULLs repeat)
///     scores(run_id, tx_hash, block_number, score, parts JSON, PRIMARY KEY(run_id, tx_hash)) WITHOUT ROWID
///
/// Times in `runs` are ISO-8601 UTC text (wall clock, bookkeeping only); `block_time` is Unix seconds
/// (event time). `value_wei` is the exact integer text; `amount` the display unit (ETH, BTC).
///
/// A migration never changes once shipped: a new schema is a new entry at the end of ``migrations``.
///
/// Related SQLite documentation: <https://www.sqlite.org/pragma.html#pragma_user_version>
enum StoreSchema {
    /// One step from `version - 1` to `version`.
    struct Migration: Sendable {
        var version: Int64
        var sql: String
    }

    static let migrations: [Migration] = [
        Migration(version: 1, sql: """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                command TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'interrupted', 'failed')),
                inputs TEXT NOT NULL CHECK (json_valid(inputs)),
                settings TEXT NOT NULL CHECK (json_valid(settings)),
                model_id TEXT,
                rows_read INTEGER NOT NULL DEFAULT 0,
                rows_alerted INTEGER NOT NULL DEFAULT 0,
                rows_quarantined INTEGER NOT NULL DEFAULT 0,
                rows_late INTEGER NOT NULL DEFAULT 0,
                alerts_new INTEGER NOT NULL DEFAULT 0,
                error TEXT
            );
            CREATE TABLE alerts (
                id INTEGER PRIMARY KEY,
                chain TEXT NOT NULL,
                tx_hash TEXT NOT NULL,
                block_number INTEGER NOT NULL,
                block_time INTEGER NOT NULL,
                from_address TEXT NOT NULL,
                to_address TEXT,
                value_wei TEXT NOT NULL,
                amount REAL NOT NULL,
                detector TEXT NOT NULL,
                typology TEXT,
                score REAL NOT NULL,
                calibrated REAL,
                reasons TEXT NOT NULL CHECK (json_valid(reasons)),
                model_id TEXT,
                run_id INTEGER NOT NULL REFERENCES runs(id),
                UNIQUE (chain, tx_hash, detector)
            );
            CREATE INDEX alerts_block_number ON alerts(block_number);
            CREATE INDEX alerts_detector_score ON alerts(detector, score);
            CREATE TABLE quarantine (
                id INTEGER PRIMARY KEY,
                run_id INTEGER NOT NULL REFERENCES runs(id),
                source TEXT NOT NULL,
                line INTEGER NOT NULL,
                raw TEXT NOT NULL,
                reason TEXT NOT NULL,
                UNIQUE (source, line, reason)
            );
            CREATE TABLE models (
                id TEXT PRIMARY KEY,
                created_at TEXT NOT NULL,
                path TEXT,
                catalogue_hash TEXT,
                metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata))
            );
            CREATE TABLE labels (
                id INTEGER PRIMARY KEY,
                subject TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('tx', 'address')),
                label TEXT NOT NULL,
                category TEXT,
                source TEXT,
                UNIQUE (subject, kind, label, category)
            );
            CREATE UNIQUE INDEX labels_identity ON labels(subject, kind, label, ifnull(category, ''));
            CREATE TABLE scores (
                run_id INTEGER NOT NULL,
                tx_hash TEXT NOT NULL,
                block_number INTEGER NOT NULL,
                score REAL NOT NULL,
                parts TEXT CHECK (parts IS NULL OR json_valid(parts)),
                PRIMARY KEY (run_id, tx_hash)
            ) WITHOUT ROWID;
            """),
    ]

    /// The newest version this build knows.
    static var currentVersion: Int64 { migrations.last?.version ?? 0 }

    /// Pragmas every writing connection runs first. `journal_mode=WAL` lets readers (`chainwatch alerts
    /// --follow`) read while a run writes; `synchronous=NORMAL` in WAL mode can lose the last commits on
    /// power loss but never corrupts (<https://www.sqlite.org/wal.html>, `pragma_synchronous`).
    static let writerPragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"

    /// Brings the database at `connection` to ``currentVersion``, in one transaction.
    ///
    /// A database that is already current costs one `PRAGMA user_version` read. The version is read
    /// again after taking the write lock, so two processes opening a new file at once migrate it once.
    ///
    /// - Throws: `.schemaMismatch` when the file was written by a newer chainwatch; `.storeFailure` when a
    ///   step fails (nothing is applied then).
    static func migrate(_ connection: SQLiteConnection) throws(ChainwatchError) {
        if try checkedVersion(connection) == currentVersion { return }
        try connection.transaction { () throws(ChainwatchError) in
            let version = try checkedVersion(connection)
            for migration in migrations where migration.version > version {
                try connection.execute(sql: migration.sql)
            }
            // PRAGMA arguments cannot be bound; the value is our own integer.
            try connection.execute(sql: "PRAGMA user_version = \(currentVersion)")
        }
    }

    /// `PRAGMA user_version`, rejecting versions newer than this build.
    static func checkedVersion(_ connection: SQLiteConnection) throws(ChainwatchError) -> Int64 {
        let version = try connection.int64("PRAGMA user_version") ?? 0
        guard version <= currentVersion else {
            throw ChainwatchError(
                .schemaMismatch,
                "database at \(connection.path) was written by a newer chainwatch "
                    + "(schema version \(version), this build knows up to \(currentVersion))",
                context: connection.path)
        }
        return version
    }
}
