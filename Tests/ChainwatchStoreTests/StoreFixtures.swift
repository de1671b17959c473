import CSQLite
import ChainwatchCore
import ChainwatchStore
import Foundation
import _ChainwatchTestSupport

/// A fresh database path per test, sample alerts, and SQL-level assertions through a separate connection.
enum StoreFixtures {
    /// `…/chainwatch-store-UUID/alerts.sqlite` (not created yet).
    static func databasePath() -> String {
        Fixtures.makeTemporaryDirectory("chainwatch-store").appendingPathComponent("alerts.sqlite").path
    }

    static func alert(_ index: Int, detector: String = "amount_zscore", score: Double? = nil, reasons: String? = nil) -> Alert {
        let hex = String(index, radix: 16)
        return Alert(
            chain: .ethereum, txHash: "0x" + String(repeating: "0", count: 64 - hex.count) + hex,
            blockNumber: 17_173_049 + Int64(index / 100), blockTime: 1_683_029_999 + Int64(index / 100),
            fromAddress: "0xae2fc483527b8ef99eb5d9b44875f005ba1fae13",
            toAddress: index % 7 == 0 ? nil : "0x1f9840a85d5af5bf1d1762f925bdaddc4201f984",
            valueRaw: "32000000000000000000", amount: 32, detector: detector,
            typology: index % 5 == 0 ? "peel_chain" : nil, score: score ?? Double(index % 100) / 10,
            calibrated: index % 3 == 0 ? nil : 0.5 + Double(index % 50) / 100,
            reasons: reasons ?? #"{"z":\#(Double(index % 100) / 10),"top":["amount","gas_price"]}"#,
            modelID: index % 2 == 0 ? "iforest-1" : nil)
    }

    static func alerts(_ range: Range<Int>, detector: String = "amount_zscore") -> [Alert] {
        range.map { alert($0, detector: detector) }
    }

    /// Runs a one-integer query on a new connection: what another process would see.
    static func scalar(_ path: String, _ sql: String) throws -> Int64 {
        let connection = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READONLY)
        return try connection.int64(sql) ?? -1
    }

    static func count(_ path: String, _ table: String) throws -> Int64 {
        try scalar(path, "SELECT count(*) FROM \(table)")
    }

    /// A store with one running run.
    static func storeWithRun(_ path: String, commitEveryRows: Int = 5000, commitEveryMilliseconds: Int = 60_000) throws
        -> (AlertStore, Int64)
    {
        let store = try AlertStore(path: path, commitEveryRows: commitEveryRows, commitEveryMilliseconds: commitEveryMilliseconds)
        let run = try store.beginRun(command: "scan", inputs: ["tx.csv"], settingsJSON: "{}", modelID: nil)
        return (store, run)
    }
}
