import ChainwatchCore
import Foundation
@testable import ChainwatchPipeline
import Testing

struct BacktestReportTests {
    /// 300 rows over 30 blocks; every 15th row positive and scored high; two detectors.
    static func fixture() -> (ScoreTable, [Bool], BacktestMetrics, [Alert]) {
        var rng = SplitMix64(seed: 9)
        var table = ScoreTable(detectorNames: ["amount_zscore", "<b>evil</b>"])
        var positives: [Bool] = []
        for row in 0 ..< 300 {
            let positive = row % 15 == 0
            let score = (positive ? 2.0 : 0.0) + rng.uniform(0, 2.5)
            let hash = "0x" + rng.hexDigits(64)
            table.append(
                txHash: hash, blockNumber: 5_000_000 + Int64(row / 10), blockTime: 1_500_000_000 + Int64(row / 10) * 15,
                from: "0x" + rng.hexDigits(40), to: "0x" + rng.hexDigits(40), combined: score,
                detectorScores: [score * 2, rng.unit()], alertedBy: score > 3 ? 1 : 0
            )
            positives.append(positive)
        }
        let metrics = BacktestMetrics(
            table: table, positives: positives, categoryOfRow: positives.map { $0 ? "peel_chain" : nil }, k: 10, delayAddresses: []
        )
        let top = (0 ..< table.count).filter { table.alertedBy[$0] != 0 }.sorted { table.combined[$0] > table.combined[$1] }.prefix(5)
        let alerts = top.map { row in
            Alert(
                chain: .ethereum, txHash: table.txHash[row], blockNumber: table.blockNumber[row], blockTime: table.blockTime[row],
                fromAddress: table.from[row], toAddress: table.to[row], valueRaw: "1500000000000000000", amount: 1.5,
                detector: "amount_zscore", score: table.combined[row], calibrated: 0.999,
                reasons: #"{"top_features":[{"name":"amount_z","value":12.345678},{"name":"fan_out","value":31}],"zscore":12.3,"model_id":"m1","note":"<x>"}"#
            )
        }
        return (table, positives, metrics, Array(alerts))
    }

    /// Every non-void element closes in order (enough to catch unbalanced markup).
    static func tagsBalance(_ html: String) -> Bool {
        let voids: Set<String> = ["meta", "br", "!doctype"]
        var stack: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { return false }
            let tag = rest[rest.index(after: open) ..< close]
            rest = rest[rest.index(after: close)...]
            let closing = tag.hasPrefix("/")
            let name = String(tag.drop { $0 == "/" }.prefix { !$0.isWhitespace && $0 != "/" }).lowercased()
            if voids.contains(name) || tag.hasSuffix("/") { continue }
            if closing { guard stack.popLast() == name else { return false } } else { stack.append(name) }
        }
        return stack.isEmpty
    }

    @Test func reportHasEveryPartAndNoExternalReferences() throws {
        let (table, positives, metrics, alerts) = Self.fixture()
        let html = BacktestReport.html(
            table: table, positives: positives, metrics: metrics, topAlerts: alerts,
            settings: [("window", "1,000 blocks"), ("budget", "5 <alerts> / 1,000 tx")], modelID: "iforest-2017&v1"
        )
        for id in ["pr-curve", "roc-curve", "score-distribution", "alert-timeline"] {
            #expect(html.contains("<svg id=\"\(id)\""), "missing plot \(id)")
        }
        let roc = try #require(metrics.overall.rocAUC)
        let ap = try #require(metrics.overall.prAUC)
        #expect(html.contains("ROC · ROC-AUC \(String(format: "%.3f", roc))"))
        #expect(html.contains("Precision–recall · PR-AUC \(String(format: "%.3f", ap))"))
        #expect(html.components(separatedBy: "<tr class=\"alert\">").count - 1 == alerts.count)
        #expect(html.contains(HTMLText.short(alerts[0].txHash)))
        #expect(html.contains("zscore: 12.3<br>"))
        #expect(html.contains("top features: amount_z 12.35, fan_out 31"))
        #expect(html.contains("<th>window</th><td>1,000 blocks</td>"))
        #expect(html.contains("5 &lt;alerts&gt; / 1,000 tx"))
        #expect(html.contains("iforest-2017&amp;v1"))
        #expect(html.contains("&lt;b&gt;evil&lt;/b&gt;") && !html.contains("<b>evil"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.lowercased().contains("<script"))
        #expect(!html.contains("m1"))
        #expect(Self.tagsBalance(html))
        #expect(html.contains("id=\"headline\"") && html.contains("precision@10"))
        if let path = ProcessInfo.processInfo.environment["CHAINWATCH_REPORT_PREVIEW"] {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    @Test func metricsJSONHasFixedKeysAndUnlabelledFlag() throws {
        let (_, _, metrics, _) = Self.fixture()
        let json = metrics.json
        #expect(json.hasPrefix(#"{"transactions":300,"positives":20,"negatives":280,"unlabelled_as_negative":true,"alerts":"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["detectors"] as? [Any])?.count == 2)
        #expect((object["categories"] as? [[String: Any]])?.first?["name"] as? String == "peel_chain")
        #expect(metrics.summaryLines.count == 1 + 3 + 1 + 1)
        #expect(metrics.alertsPerDay != nil && metrics.firstBlock == 5_000_000 && metrics.lastBlock == 5_000_029)
    }

    @Test func scoreTableCSV() throws {
        var table = ScoreTable(detectorNames: ["a", "b,c"])
        table.append(txHash: "0x1", blockNumber: 7, blockTime: 0, from: "0xA", to: nil, combined: 0.1, detectorScores: [1e-5, .nan], alertedBy: 2)
        #expect(table.csvText() == "tx_hash,block_number,score,a,\"b,c\"\n0x1,7,0.1,1e-05,\n")
        #expect(table.from[0] == "0xa" && table.to[0] == "" && table.alerted == [true])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scores-\(UUID().uuidString).csv")
        try table.writeCSV(to: url.path)
        #expect(try String(contentsOf: url, encoding: .utf8) == table.csvText())
        try? FileManager.default.removeItem(at: url)
        #expect(throws: ChainwatchError.self) { try table.writeCSV(to: "/nonexistent-dir/x.csv") }
    }

    @Test func scoreTableFromBatch() {
        var batch = TxBatch()
        for (index, sender) in ["0xAA00000000000000000000000000000000000001", "0xbb00000000000000000000000000000000000002"].enumerated() {
            batch.append(Transaction(
                hash: "0xh\(index)", blockNumber: 10 + Int64(index), blockTime: 100, txIndex: Int32(index), fromAddress: sender,
                toAddress: index == 0 ? "0xCC00000000000000000000000000000000000003" : nil, valueRaw: "0", amount: 0, gasPrice: 1,
                flags: index == 0 ? [] : .contractCreation, from: AccountKey(hexAddress: sender)!, to: .none
            ))
        }
        var table = ScoreTable(detectorNames: ["d0", "d1"])
        table.append(batch: batch, combined: [0.5, 0.25], detectorScores: [[1, 2], [3, 4]], alertedBy: [0, 3])
        #expect(table.count == 2 && table.txHash[1] == "0xh1" && table.blockNumber == [10, 11])
        #expect(table.from[0] == "0xaa00000000000000000000000000000000000001")
        #expect(table.to[0] == "0xcc00000000000000000000000000000000000003" && table.to[1] == "")
        #expect(table.detectorScores == [[1, 2], [3, 4]] && table.alerted == [false, true])
        #expect(table.csvText() == "tx_hash,block_number,score,d0,d1\n0xh0,10,0.5,1.0,3.0\n0xh1,11,0.25,2.0,4.0\n")
    }

    @Test func explanationsFallBackToText() {
        #expect(AlertExplanation.facts(fromReasons: "not json") == ["not json"])
        #expect(AlertExplanation.facts(fromReasons: #"{"typology":"peel_chain","hops":6,"ratio":0.91234}"#)
            == ["typology: peel_chain", "hops: 6", "ratio: 0.9123"])
    }
}
