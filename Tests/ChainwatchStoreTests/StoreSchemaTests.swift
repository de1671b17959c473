import CSQLite
import ChainwatchCore
import ChainwatchStore
import Foundation
import Testing

struct StoreSchemaTests {
    private func columns(_ path: String, _ table: String) throws -> [String] {
        let db = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READONLY)
        let info = try db.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid")
        try info.bind(table, at: 1)
        var names: [String] = []
        while try info.step() { names.append(info.string(at: 0)) }
        return names
    }

    @Test func createsVersionOneSchema() throws {
        let path = StoreFixtures.databasePath()
        _ = try AlertStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try StoreFixtures.scalar(path, "PRAGMA user_version") == 1)
        let db = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READONLY)
        let tables = try db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        var names: [String] = []
        while try tables.step() { names.append(tables.string(at: 0)) }
        #expect(names == ["alerts", "labels", "models", "quarantine", "runs", "scores"])

        #expect(try columns(path, "alerts") == [
            "id", "chain", "tx_hash", "block_number", "block_time", "from_address", "to_address", "value_wei", "amount",
            "detector", "typology", "score", "calibrated", "reasons", "model_id", "run_id",
        ])
        #expect(try columns(path, "runs") == [
            "id", "command", "started_at", "finished_at", "status", "inputs", "settings", "model_id", "rows_read",
            "rows_alerted", "rows_quarantined", "rows_late", "alerts_new", "error",
        ])
        #expect(try columns(path, "quarantine") == ["id", "run_id", "source", "line", "raw", "reason"])
        #expect(try columns(path, "models") == ["id", "created_at", "path", "catalogue_hash", "metadata"])
        #expect(try columns(path, "labels") == ["id", "subject", "kind", "label", "category", "source"])
        #expect(try columns(path, "scores") == ["run_id", "tx_hash", "block_number", "score", "parts"])
        #expect(try StoreFixtures.scalar(path, """
            SELECT count(*) FROM sqlite_schema WHERE type = 'index'
            AND name IN ('alerts_block_number', 'alerts_detector_score')
            """) == 2)
        #expect(try StoreFixtures.scalar(path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1)
    }

    @Test func reopeningDoesNotMigrateAgain() throws {
        let path = StoreFixtures.databasePath()
        do {
            let store = try AlertStore(path: path)
            let run = try store.beginRun(command: "scan", inputs: [], settingsJSON: "{}", modelID: nil)
            try store.add(alerts: StoreFixtures.alerts(0 ..< 3), runID: run)
        }
        let before = try StoreFixtures.scalar(path, "PRAGMA schema_version")
        _ = try AlertStore(path: path)
        #expect(try StoreFixtures.scalar(path, "PRAGMA schema_version") == before)
        #expect(try StoreFixtures.count(path, "alerts") == 3)
    }

    @Test func newerSchemaIsRejected() throws {
        let path = StoreFixtures.databasePath()
        do {
            let db = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            try db.execute(sql: "PRAGMA user_version = 99")
        }
        let error = #expect(throws: ChainwatchError.self) { try AlertStore(path: path) }
        #expect(error?.code == .schemaMismatch)
        #expect(error?.message.contains("written by a newer chainwatch") == true)
        let readerError = #expect(throws: ChainwatchError.self) { try AlertReader(path: path) }
        #expect(readerError?.code == .schemaMismatch)
    }

    @Test func missingDirectoryIsStoreUnavailable() {
        let directory = "/tmp/chainwatch-missing-\(UUID().uuidString)"
        let error = #expect(throws: ChainwatchError.self) { try AlertStore(path: directory + "/alerts.sqlite") }
        #expect(error?.code == .storeUnavailable)
        #expect(error?.message.contains(directory) == true)
        #expect(error?.message.contains("\n") == false)
    }

    @Test func fileThatIsNotADatabaseIsStoreUnavailable() throws {
        let path = StoreFixtures.databasePath()
        try Data(String(repeating: "not a database ", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ChainwatchError.self) { try AlertStore(path: path) }
        #expect(error?.code == .storeUnavailable)
    }
}
