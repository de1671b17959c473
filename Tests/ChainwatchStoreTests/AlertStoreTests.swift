import ChainwatchCore
import ChainwatchStore
import Foundation
import Testing

struct AlertStoreTests {
    @Test func reinsertingTheSameBatchAddsNothing() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path)
        let batch = StoreFixtures.alerts(0 ..< 50)
        #expect(try store.add(alerts: batch, runID: run) == 50)
        #expect(try store.add(alerts: batch, runID: run) == 0)
        try store.commit()
        let secondRun = try store.beginRun(command: "scan", inputs: ["tx.csv"], settingsJSON: "{}", modelID: nil)
        #expect(try store.add(alerts: batch, runID: secondRun) == 0)
        try store.commit()
        #expect(try StoreFixtures.count(path, "alerts") == 50)
        // The first run keeps the alerts it found.
        #expect(try StoreFixtures.scalar(path, "SELECT count(*) FROM alerts WHERE run_id = \(run)") == 50)
    }

    @Test func anotherDetectorOnTheSameTransactionAddsARow() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path)
        #expect(try store.add(alerts: [StoreFixtures.alert(1)], runID: run) == 1)
        #expect(try store.add(alerts: [StoreFixtures.alert(1, detector: "isolation_forest")], runID: run) == 1)
        try store.commit()
        #expect(try StoreFixtures.scalar(path, "SELECT count(DISTINCT tx_hash) FROM alerts") == 1)
        #expect(try StoreFixtures.count(path, "alerts") == 2)
    }

    @Test func invalidReasonsAreRejectedByTheCheck() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path)
        let bad = StoreFixtures.alert(1, reasons: "{not json")
        let error = #expect(throws: ChainwatchError.self) { try store.add(alerts: [bad], runID: run) }
        #expect(error?.code == .storeFailure)
        #expect(error?.message.contains("CHECK constraint failed") == true)
        // The store still works afterwards.
        #expect(try store.add(alerts: [StoreFixtures.alert(2)], runID: run) == 1)
        try store.commit()
        #expect(try StoreFixtures.count(path, "alerts") == 1)
    }

    @Test func alertsNeedAnExistingRun() throws {
        let path = StoreFixtures.databasePath()
        let store = try AlertStore(path: path)
        let error = #expect(throws: ChainwatchError.self) { try store.add(alerts: [StoreFixtures.alert(1)], runID: 42) }
        #expect(error?.message.contains("FOREIGN KEY") == true)
    }

    @Test func storedAlertKeepsEveryField() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path)
        let alerts = StoreFixtures.alerts(0 ..< 16)
        try store.add(alerts: alerts, runID: run)
        try store.commit()
        let rows = try AlertReader(path: path).alerts(AlertQuery())
        #expect(rows.map(\.alert) == alerts)
        #expect(rows.allSatisfy { $0.runID == run })
    }

    @Test func quarantineRowsAreRecordedOnce() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path)
        let records = [
            QuarantineRecord(source: "tx.csv", line: 7, raw: "0xdead,,x", reason: "bad value"),
            QuarantineRecord(source: "tx.csv", line: 7, raw: "0xdead,,x", reason: "missing block"),
            QuarantineRecord(source: "tx.csv", line: 9, raw: "", reason: "bad value"),
        ]
        try store.add(quarantine: records, runID: run)
        try store.add(quarantine: records, runID: run)
        try store.commit()
        #expect(try StoreFixtures.count(path, "quarantine") == 3)
        #expect(try StoreFixtures.scalar(path, """
            SELECT count(*) FROM quarantine WHERE source = 'tx.csv' AND line = 7 AND raw = '0xdead,,x'
            AND reason = 'missing block' AND run_id = \(run)
            """) == 1)
        #expect(try AlertReader(path: path).counts().quarantined == 3)
    }

    @Test func runLifecycle() throws {
        let path = StoreFixtures.databasePath()
        let store = try AlertStore(path: path)
        let run = try store.beginRun(
            command: "scan", inputs: ["a.csv", "b \"q\".csv"], settingsJSON: #"{"window":64}"#, modelID: "iforest-1")
        let reader = try AlertReader(path: path)
        let running = try #require(try reader.runs(limit: 10).first)
        #expect(running.id == run)
        #expect(running.status == "running")
        #expect(running.finishedAt == nil)
        #expect(running.inputsJSON == #"["a.csv","b \"q\".csv"]"#)
        #expect(running.startedAt.hasSuffix("Z"))
        #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: running.startedAt) != nil)

        try store.add(alerts: StoreFixtures.alerts(0 ..< 5), runID: run)
        let stats = RunStats(rowsRead: 298, rowsAlerted: 4, rowsQuarantined: 1, rowsLate: 2, alertsNew: 5)
        try store.finishRun(run, status: "completed", stats: stats, error: nil)
        let finished = try #require(try reader.runs(limit: 10).first)
        #expect(finished.status == "completed")
        #expect(finished.stats == stats)
        #expect(finished.finishedAt != nil)
        #expect(finished.modelID == "iforest-1")
        #expect(finished.settingsJSON == #"{"window":64}"#)
        // finishRun commits: the alerts are visible.
        #expect(try reader.counts() == StoreCounts(alerts: 5, quarantined: 0, runs: 1))
    }

    @Test func finishingAnUnknownRunOrWithABadStatusFails() throws {
        let (store, run) = try StoreFixtures.storeWithRun(StoreFixtures.databasePath())
        #expect(throws: ChainwatchError.self) { try store.finishRun(run + 1, status: "completed", stats: RunStats(), error: nil) }
        #expect(throws: ChainwatchError.self) { try store.finishRun(run, status: "done", stats: RunStats(), error: nil) }
        try store.finishRun(run, status: "failed", stats: RunStats(), error: "disk full")
    }

    @Test func deinitCommitsPendingAlerts() throws {
        let path = StoreFixtures.databasePath()
        do {
            let (store, run) = try StoreFixtures.storeWithRun(path)
            try store.add(alerts: StoreFixtures.alerts(0 ..< 10), runID: run)
            #expect(try StoreFixtures.count(path, "alerts") == 0)
        }
        #expect(try StoreFixtures.count(path, "alerts") == 10)
    }

    @Test func labelsModelsAndScores() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path)
        let labels = [
            LabelRow(subject: "0xabc", kind: "address", label: "tornado", category: "mixer", source: "ofac.csv"),
            LabelRow(subject: "0xabc", kind: "address", label: "tornado", category: nil, source: "ofac.csv"),
            LabelRow(subject: "0xdef", kind: "tx", label: "hack"),
        ]
        #expect(try store.add(labels: labels) == 3)
        #expect(try store.add(labels: labels) == 0) // a nil category is deduplicated too
        #expect(throws: ChainwatchError.self) { try store.add(labels: [LabelRow(subject: "x", kind: "block", label: "y")]) }

        try store.recordModel(id: "iforest-1", path: "/m/iforest.cwm", catalogueHash: "abc123", metadataJSON: #"{"trees":100}"#)
        try store.recordModel(id: "iforest-1", path: "/other", catalogueHash: nil, metadataJSON: nil)
        #expect(try StoreFixtures.scalar(path, "SELECT count(*) FROM models WHERE path = '/m/iforest.cwm'") == 1)
        #expect(try StoreFixtures.count(path, "models") == 1)

        let scores = (0 ..< 100).map { ScoreRow(txHash: "0x\($0)", blockNumber: 1, score: Double($0), partsJSON: $0 == 0 ? #"{"a":1}"# : nil) }
        try store.add(scores: scores, runID: run)
        try store.add(scores: scores, runID: run)
        try store.commit()
        #expect(try StoreFixtures.count(path, "scores") == 100)
        #expect(try StoreFixtures.count(path, "labels") == 3)
    }

    @Test func insertsAHundredThousandAlertsInBatches() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path, commitEveryRows: 10_000)
        let alerts = StoreFixtures.alerts(0 ..< 100_000)
        var added = 0
        let begin = ContinuousClock.now
        for start in stride(from: 0, to: alerts.count, by: 4096) {
            added += try store.add(alerts: Array(alerts[start ..< min(start + 4096, alerts.count)]), runID: run)
            try store.commitIfDue()
        }
        try store.commit()
        let elapsed = ContinuousClock.now - begin
        #expect(added == 100_000)
        #expect(try StoreFixtures.count(path, "alerts") == 100_000)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("AlertStore: inserted 100000 alerts in \(seconds) s (\(Int(100_000 / seconds)) alerts/s)")
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
