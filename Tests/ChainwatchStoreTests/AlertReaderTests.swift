import CSQLite
import ChainwatchCore
import ChainwatchStore
import Foundation
import Testing

struct AlertReaderTests {
    /// 30 alerts: ids 1…30, scores (i % 100) / 10, detectors alternating.
    private func populated() throws -> String {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path)
        let alerts = (0 ..< 30).map { StoreFixtures.alert($0, detector: $0 % 2 == 0 ? "amount_zscore" : "isolation_forest") }
        try store.add(alerts: alerts, runID: run)
        try store.commit()
        return path
    }

    @Test func missingFileIsStoreUnavailable() {
        let path = StoreFixtures.databasePath()
        let error = #expect(throws: ChainwatchError.self) { try AlertReader(path: path) }
        #expect(error?.code == .storeUnavailable)
        #expect(error?.message == "no database at \(path)")
        #expect(FileManager.default.fileExists(atPath: path) == false)
    }

    @Test func databaseWithoutOurSchemaIsASchemaMismatch() throws {
        let path = StoreFixtures.databasePath()
        _ = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE).execute(sql: "CREATE TABLE t(x)")
        let error = #expect(throws: ChainwatchError.self) { try AlertReader(path: path) }
        #expect(error?.code == .schemaMismatch)
    }

    @Test func filtersByCursorScoreDetectorAndLimit() throws {
        let reader = try AlertReader(path: try populated())
        #expect(try reader.maxAlertID() == 30)
        #expect(try reader.alerts(AlertQuery()).map(\.id) == Array(1 ... 30))
        #expect(try reader.alerts(AlertQuery(afterID: 25)).map(\.id) == [26, 27, 28, 29, 30])
        #expect(try reader.alerts(AlertQuery(minScore: 2.5)).map(\.alert.score).allSatisfy { $0 >= 2.5 })
        #expect(try reader.alerts(AlertQuery(minScore: 2.5)).count == 5)
        #expect(try reader.alerts(AlertQuery(detector: "isolation_forest")).allSatisfy { $0.alert.detector == "isolation_forest" })
        #expect(try reader.alerts(AlertQuery(detector: "isolation_forest")).count == 15)
        #expect(try reader.alerts(AlertQuery(detector: "nope")).isEmpty)
        #expect(try reader.alerts(AlertQuery(limit: 3)).map(\.id) == [1, 2, 3])
        #expect(try reader.alerts(AlertQuery(limit: 3, newestFirst: true)).map(\.id) == [30, 29, 28])
        #expect(try reader.alerts(AlertQuery(afterID: 10, minScore: 1, detector: "amount_zscore", limit: 2)).map(\.id) == [11, 13])
    }

    @Test func followingPicksUpNewCommits() throws {
        let path = try populated()
        let reader = try AlertReader(path: path)
        var cursor = try reader.maxAlertID()
        let store = try AlertStore(path: path)
        try store.add(alerts: StoreFixtures.alerts(100 ..< 103), runID: 1)
        try store.commit()
        let fresh = try reader.alerts(AlertQuery(afterID: cursor))
        #expect(fresh.map(\.id) == [31, 32, 33])
        cursor = fresh.last!.id
        #expect(try reader.alerts(AlertQuery(afterID: cursor)).isEmpty)
    }

    @Test func readerWorksAfterTheWriterHasClosed() throws {
        let path = try populated() // the store is gone: WAL files checkpointed and removed
        #expect(try AlertReader(path: path).counts() == StoreCounts(alerts: 30, quarantined: 0, runs: 1))
    }

    @Test func jsonLineRoundTripsEveryColumn() throws {
        let reader = try AlertReader(path: try populated())
        for row in try reader.alerts(AlertQuery()) {
            let line = row.jsonLine
            #expect(!line.contains("\n"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["id"] as? Int64 == row.id || (object["id"] as? Int).map(Int64.init) == row.id)
            #expect((object["run_id"] as? NSNumber)?.int64Value == row.runID)
            #expect(object["chain"] as? String == "ethereum")
            #expect(object["tx_hash"] as? String == row.alert.txHash)
            #expect((object["block_number"] as? NSNumber)?.int64Value == row.alert.blockNumber)
            #expect((object["block_time"] as? NSNumber)?.int64Value == row.alert.blockTime)
            #expect(object["from_address"] as? String == row.alert.fromAddress)
            #expect(object["to_address"] as? String == row.alert.toAddress)
            #expect((row.alert.toAddress == nil) == (object["to_address"] is NSNull))
            #expect(object["value_wei"] as? String == row.alert.valueRaw)
            try expectExact(line, object, "amount", row.alert.amount)
            #expect(object["detector"] as? String == row.alert.detector)
            #expect(object["typology"] as? String == row.alert.typology)
            try expectExact(line, object, "score", row.alert.score)
            if let calibrated = row.alert.calibrated {
                try expectExact(line, object, "calibrated", calibrated)
            } else {
                #expect(object["calibrated"] is NSNull)
            }
            #expect(object["model_id"] as? String == row.alert.modelID)
            let reasons = try #require(object["reasons"] as? [String: Any])
            #expect((reasons["z"] as? NSNumber)?.doubleValue == row.alert.score)
            #expect(object.count == 16)
        }
    }

    /// The text holds the shortest round-tripping form; the value parsed by JSONSerialization agrees to
    /// 1 ulp or so (Foundation's parser on Linux is not correctly rounded).
    private func expectExact(_ line: String, _ object: [String: Any], _ key: String, _ value: Double) throws {
        #expect(line.contains("\"\(key)\":\(value),"))
        let parsed = try #require((object[key] as? NSNumber)?.doubleValue)
        #expect(abs(parsed - value) <= abs(value) * 1e-15)
    }

    @Test func humanLineIsOneReadableLine() throws {
        let rows = try AlertReader(path: try populated()).alerts(AlertQuery(afterID: 5, limit: 1))
        let line = try #require(rows.first).humanLine
        print(line)
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix("#6 block 17173049 0x0000…0005 isolation_forest/peel_chain score 0.5 cal 0.5500"))
        #expect(line.contains("0xae2f…ae13→0x1f98…f984 32.0000 ETH"))
        #expect(line.hasSuffix("z=0.5,top=[amount,gas_price]"))
        let creation = try AlertReader(path: try populated()).alerts(AlertQuery(afterID: 7, limit: 1))[0]
        #expect(creation.humanLine.contains("→(create)"))
    }
}
