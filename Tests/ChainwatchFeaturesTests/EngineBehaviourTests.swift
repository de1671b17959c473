import ChainwatchCore
@testable import ChainwatchFeatures
import Foundation
import Testing
import _ChainwatchTestSupport

struct EngineBehaviourTests {
    static func transfer(_ i: Int, from: AccountKey, to: AccountKey, time: Int64, amount: Double = 1) -> Transaction {
        Transaction(hash: "0x\(i)", blockNumber: time / 12, blockTime: time, txIndex: 0, fromAddress: "", toAddress: "",
                    valueRaw: "1000000000000000000", amount: amount, gasPrice: 20, flags: [], from: from, to: to)
    }

    /// Distinct keys whose hashes spread over the table. (With `middle: i` the first two words of
    /// `mixedHash` cancelled and every key hashed alike: harmless for a hundred accounts, quadratic for
    /// tens of thousands.)
    static func key(_ i: Int) -> AccountKey {
        AccountKey(high: UInt64(i) &* 0x9e37_79b9_7f4a_7c15, middle: UInt64(i) << 1 | 1, low: UInt32(truncatingIfNeeded: i))
    }

    @Test func evictionKeepsStateBoundedAndReturningAccountsStartEmpty() throws {
        var configuration = FeatureConfiguration()
        configuration.maxAccounts = 100
        var engine = FeatureEngine(configuration: configuration)
        let countColumn = try #require(engine.catalogue.index(of: "from_count_1d"))
        let ageColumn = try #require(engine.catalogue.index(of: "from_log_age_seconds"))
        // The returning account first sends twice, then 10k other accounts pass, then it sends again.
        var rows = [Self.transfer(0, from: Self.key(0), to: Self.key(1), time: 1_000),
                    Self.transfer(1, from: Self.key(0), to: Self.key(1), time: 1_012)]
        for i in 2 ..< 5_002 {
            rows.append(Self.transfer(i, from: Self.key(2 * i), to: Self.key(2 * i + 1), time: 1_012 + Int64(i)))
        }
        rows.append(Self.transfer(9_999, from: Self.key(0), to: Self.key(1), time: 9_000))
        var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
        var maxTracked = 0
        for batch in TestStreams.batches(rows, size: 257) {
            engine.process(batch, into: &features)
            maxTracked = max(maxTracked, engine.statistics.trackedAccounts)
        }
        let stats = engine.statistics
        #expect(maxTracked <= 100)
        #expect(stats.evictions > 9_000)
        #expect(stats.bytesPerAccount < 400)
        let last = features.rows - 1
        #expect(features[last, countColumn] == 0) // same as a fresh account
        #expect(features[last, ageColumn] == 0)
        print("eviction: tracked \(stats.trackedAccounts), evictions \(stats.evictions), bytes/account \(stats.bytesPerAccount)")
    }

    @Test func accountTableEvictsOldestEighthDeterministically() {
        var table = AccountTable(capacity: 16)
        for i in 0 ..< 16 { _ = table.intern(Self.key(i), now: Int64(100 + i)) }
        _ = table.intern(Self.key(0), now: 500) // key 0 becomes the newest
        let (id, isNew) = table.intern(Self.key(99), now: 501)
        #expect(isNew)
        #expect(table.evictions == 2)
        #expect(table.lookup(Self.key(1)) == nil && table.lookup(Self.key(2)) == nil)
        #expect(table.lookup(Self.key(0)) != nil && table.lookup(Self.key(3)) != nil)
        #expect(table.lastEvicted == [1, 2])
        #expect(id == 1) // lowest freed id is reused first
        #expect(table.count == 15)
    }

    @Test func identicalAcrossEnginesAndBatchSizes() {
        let rows = TestStreams.synthetic(count: 20_000, accounts: 1_500, seed: 7)
        var configuration = FeatureConfiguration()
        configuration.maxAccounts = 512 // evictions happen inside batches too
        var results: [[Float]] = []
        for size in [20_000, 4_096, 1_000, 333, 1] {
            var engine = FeatureEngine(configuration: configuration)
            results.append(TestStreams.run(&engine, rows, batchSize: size))
        }
        var again = FeatureEngine(configuration: configuration)
        results.append(TestStreams.run(&again, rows, batchSize: 4_096))
        // The baseline build of the chunk passes (log1p, moments) gives the same bits as the AVX2 one (when it runs here).
        var baseline = FeatureEngine(configuration: configuration)
        baseline.simdKernel = .sse2
        results.append(TestStreams.run(&baseline, rows, batchSize: 777))
        #expect(again.simdKernel == SIMDKernel.selected)
        for result in results.dropFirst() {
            #expect(result.withUnsafeBytes { Array($0) } == results[0].withUnsafeBytes { Array($0) })
        }
    }

    /// The engine treats subnormal floats as zero only while a batch runs: the caller's float mode is the
    /// same afterwards (a product below the smallest normal float is still representable).
    @Test func floatModeIsRestoredAfterEachBatch() {
        var engine = FeatureEngine()
        let rows = TestStreams.synthetic(count: 300, accounts: 20, seed: 2)
        _ = TestStreams.run(&engine, rows, batchSize: 128)
        let half = Float(rows.count) / 600 // 0.5, computed at run time
        let subnormal = Float.leastNormalMagnitude * half
        #expect(subnormal > 0 && subnormal < .leastNormalMagnitude)
    }

    @Test func firstTransactionOfAnAccountSeesNoHistory() throws {
        var engine = FeatureEngine()
        let names = engine.catalogue.names
        let rows = TestStreams.synthetic(count: 5_000, accounts: 800, seed: 3)
        let values = TestStreams.run(&engine, rows, batchSize: 512)
        var seen = Set<AccountKey>()
        let zeroWhenNew = names.enumerated().filter { _, name in
            ["count", "mean", "std", "amount_z", "seconds_since", "flow_ratio", "distinct", "age"].contains { name.contains($0) }
        }
        var checked = 0
        for (r, tx) in rows.enumerated() {
            for (side, key) in [("from_", tx.from), ("to_", tx.to)] where !(side == "to_" && tx.flags.contains(.contractCreation)) {
                if seen.insert(key).inserted {
                    for (c, name) in zeroWhenNew where name.hasPrefix(side) {
                        #expect(values[r * names.count + c] == 0, "row \(r) \(name)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 800 || checked > 700)
        // The very first row cannot see any burst history either.
        #expect(values[names.firstIndex(of: "burst_edge")!] == 0)
        #expect(values[names.firstIndex(of: "edge_new")!] == 1)
    }

    @Test func reportsDenseAccountIDsPerRow() {
        var engine = FeatureEngine()
        var rows = [Self.transfer(0, from: Self.key(1), to: Self.key(2), time: 100),
                    Self.transfer(1, from: Self.key(2), to: Self.key(1), time: 112),
                    Self.transfer(2, from: Self.key(3), to: Self.key(1), time: 124)]
        rows[2].flags = [.contractCreation]
        rows[2].to = .none
        let batch = TestStreams.batches(rows, size: 3)[0]
        var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
        engine.process(batch, into: &features)
        #expect(engine.lastFromIDs == [0, 1, 2])
        #expect(engine.lastToIDs == [1, 0, .max])
        #expect(engine.statistics.trackedAccounts == 3)
        #expect(engine.statistics.rowsProcessed == 3)
        let creation = engine.catalogue.index(of: "contract_creation")!
        #expect(features[2, creation] == 1 && features[1, creation] == 0)
        // A contract creation has no receiver side: every to_ feature is 0.
        for (c, name) in engine.catalogue.names.enumerated() where name.hasPrefix("to_") { #expect(features[2, c] == 0) }
    }

    @Test func statisticsReportBoundedBytesPerAccountAtTheCap() {
        var configuration = FeatureConfiguration()
        configuration.maxAccounts = 4_096
        var engine = FeatureEngine(configuration: configuration)
        let rows = (0 ..< 6_000).map { Self.transfer($0, from: Self.key(2 * $0), to: Self.key(2 * $0 + 1), time: 1_000 + Int64($0)) }
        _ = TestStreams.run(&engine, rows, batchSize: 1_000)
        let stats = engine.statistics
        #expect(stats.trackedAccounts <= 4_096 && stats.evictions > 0)
        // 128 B state + 64 B registers + 32 B table entry + 16 B of slots at the cap, over tracked accounts
        // (just after an eviction pass up to ⅛ fewer than the capacity the arrays keep).
        #expect(stats.bytesPerAccount < 241 * 8 / 7 + 1)
        print("cap 4096: tracked \(stats.trackedAccounts), bytes/account \(stats.bytesPerAccount)")
    }

    /// Below the cap, with columns reserved up front (the default cap's), the arrays' capacity follows the
    /// number of accounts, so the memory per tracked account stays within 256 bytes while the table fills.
    @Test func bytesPerAccountStayBoundedWhileTheTableGrows() {
        var engine = FeatureEngine(configuration: FeatureConfiguration())
        let rows = (0 ..< 30_000).map { Self.transfer($0, from: Self.key(2 * $0), to: Self.key(2 * $0 + 1), time: 1_000 + Int64($0)) }
        _ = TestStreams.run(&engine, rows, batchSize: 4_096)
        let stats = engine.statistics
        #expect(stats.trackedAccounts == 60_000 && stats.evictions == 0)
        print("60k accounts, default cap: bytes/account \(stats.bytesPerAccount)")
        #if os(Linux)
        #expect(stats.bytesPerAccount <= 256)
        #endif
    }

    @Test func catalogueIsStableAndNamed() {
        let catalogue = FeatureCatalogue.standard
        #expect(catalogue.names.count == 40)
        #expect(catalogue.names.first == "from_count_2m")
        #expect(catalogue.index(of: "burst_edge_amount") == 39)
        #expect(catalogue.hash.count == 16)
        #expect(catalogue.hash == FeatureEngine().catalogue.hash)
        var other = FeatureConfiguration()
        other.sketchWidth = 1 << 12
        #expect(FeatureEngine(configuration: other).catalogue.hash != catalogue.hash)
        print("catalogue \(catalogue.hash): \(catalogue.names.joined(separator: ","))")
    }

    @Test func csvWriterHeaderAndRoundTrip() throws {
        var engine = FeatureEngine()
        let rows = try TestStreams.csvFile(Fixtures.ethereumCSV2020)
        let batch = TestStreams.batches(rows, size: rows.count)[0]
        var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
        engine.process(batch, into: &features)
        let writer = FeatureCSVWriter(catalogue: engine.catalogue)
        var text = writer.header
        writer.appendRows(of: batch, features: features, to: &text)
        let lines = text.split(separator: "\n")
        #expect(lines.count == rows.count + 1)
        #expect(lines[0].hasPrefix("tx_hash,from_count_2m,"))
        let fields = lines[5].split(separator: ",")
        #expect(String(fields[0]) == rows[4].hash)
        #expect(fields.dropFirst().map { Float(String($0))! } == features.row(4))
    }
}
