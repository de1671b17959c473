import ChainwatchCore
import ChainwatchStore
import Testing

/// When rows become visible to other connections. Visibility only: content never depends on timing.
struct CommitPolicyTests {
    @Test func pendingRowsAreInvisibleUntilCommitted() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path, commitEveryRows: 100)
        let reader = try AlertReader(path: path)
        try store.add(alerts: StoreFixtures.alerts(0 ..< 40), runID: run)
        try store.commitIfDue() // 40 < 100 rows, 60 s age limit: not due
        #expect(store.pendingRowCount == 40)
        #expect(try reader.alerts(AlertQuery()).isEmpty)
        #expect(try reader.maxAlertID() == 0)

        try store.add(alerts: StoreFixtures.alerts(40 ..< 100), runID: run)
        try store.commitIfDue() // 100 rows: due
        #expect(store.pendingRowCount == 0)
        #expect(try reader.alerts(AlertQuery()).count == 100)
    }

    /// With 1,000-row batches and a 5,000-row threshold, readers see rows in steps of 5,000: one commit
    /// per threshold, not one per batch, and nothing half way.
    @Test func commitsOncePerThresholdNotPerBatch() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path, commitEveryRows: 5000)
        let reader = try AlertReader(path: path)
        var visible: [Int64] = []
        for batch in 0 ..< 12 {
            try store.add(alerts: StoreFixtures.alerts(batch * 1000 ..< (batch + 1) * 1000), runID: run)
            try store.commitIfDue()
            visible.append(try reader.counts().alerts)
        }
        #expect(visible == [0, 0, 0, 0, 5000, 5000, 5000, 5000, 5000, 10000, 10000, 10000])
        try store.commit()
        #expect(try reader.counts().alerts == 12_000)
    }

    @Test func transactionAgeMakesACommitDue() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path, commitEveryRows: 1_000_000, commitEveryMilliseconds: 1)
        let reader = try AlertReader(path: path)
        try store.add(alerts: StoreFixtures.alerts(0 ..< 3), runID: run)
        #expect(try reader.counts().alerts == 0)
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .milliseconds(5) {}
        try store.commitIfDue()
        #expect(try reader.counts().alerts == 3)
    }

    @Test func readersAreNotBlockedByAnOpenWriteTransaction() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path)
        try store.add(alerts: StoreFixtures.alerts(0 ..< 10), runID: run)
        try store.commit()
        try store.add(alerts: StoreFixtures.alerts(10 ..< 20), runID: run) // write lock held from here
        // A reader with no busy timeout would fail with SQLITE_BUSY at once if it had to wait.
        let reader = try AlertReader(path: path, busyTimeoutMilliseconds: 0)
        let start = ContinuousClock.now
        #expect(try reader.alerts(AlertQuery()).count == 10)
        #expect(try reader.counts().alerts == 10)
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func aSecondWriterWaitsThenFailsWhileTheFirstHoldsTheLock() throws {
        let path = StoreFixtures.databasePath()
        let (store, run) = try StoreFixtures.storeWithRun(path)
        try store.add(alerts: StoreFixtures.alerts(0 ..< 1), runID: run)
        let other = try AlertStore(path: path, busyTimeoutMilliseconds: 10)
        let error = #expect(throws: ChainwatchError.self) { try other.add(alerts: StoreFixtures.alerts(5 ..< 6), runID: run) }
        #expect(error?.message.contains("locked") == true)
        try store.commit()
        #expect(try other.add(alerts: StoreFixtures.alerts(5 ..< 6), runID: run) == 1)
    }
}
