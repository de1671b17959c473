import ChainwatchCore
import Foundation
@testable import ChainwatchPipeline
import Testing
import _ChainwatchTestSupport

/// The pieces together on real data: the shipped Etherscan tag list, and the 2017 sample with planted
/// patterns scored by two naive detectors.
struct BacktestEndToEndTests {
    static func decompress(_ path: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["lz4", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try! process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func shippedEtherscanTags() throws {
        let labels = try LabelSet(csvText: Self.decompress(Fixtures.sample("labels/etherscan_tags.csv.lz4")), source: "etherscan_tags.csv")
        // Counted independently with Python's csv module (addresses trimmed and lowercased, same category rule).
        #expect(labels.addressLabelCount == 32_547)
        #expect(labels.positiveAddressCount == 5_751)
        let categories = Set(labels.positiveCategoryCounts.map(\.category))
        #expect(categories.isSuperset(of: ["phish-hack", "upbit-hack", "bzx-exploit", "plus-token-scam", "heist"]))
        #expect(!categories.contains("exchange") && !categories.contains("eth2-depositor"))
    }

    @Test func plantedStreamThroughMetricsAndReport() throws {
        let output = try LabelledStreamGenerator(seed: 2017).generate(background: BacktestSampleStream.transactions)
        let labels = try LabelSet(csvText: LabelledStreamGenerator.labelsCSVText(output.labels), source: "planted_labels.csv")
        // Detector 0: log amount. Detector 1: the sender's transactions in its last 5 blocks.
        var table = ScoreTable(detectorNames: ["log_amount", "sender_burst"])
        var recent: [String: [Int64]] = [:]
        for tx in output.transactions {
            let logAmount = log10(tx.amount + 1e-6)
            var blocks = recent[tx.fromAddress, default: []].filter { tx.blockNumber - $0 < 5 }
            blocks.append(tx.blockNumber)
            recent[tx.fromAddress] = blocks
            let burst = Double(blocks.count)
            let mask: UInt32 = (logAmount > 2 ? 1 : 0) | (burst > 10 ? 2 : 0)
            table.append(
                txHash: tx.hash, blockNumber: tx.blockNumber, blockTime: tx.blockTime, from: tx.fromAddress, to: tx.toAddress,
                combined: max((logAmount + 6) / 10, burst / 20), detectorScores: [logAmount, burst], alertedBy: mask
            )
        }
        let metrics = BacktestMetrics(table: table, labels: labels, delayAddresses: Set(output.actors.keys))
        #expect(metrics.transactions == output.transactions.count && metrics.positives == output.labels.count)
        #expect(metrics.categories.map(\.name) == ["burst", "fan_in", "fan_out", "large_transfer", "pass_through", "peel_chain"])
        #expect(metrics.delay.detected + metrics.delay.undetected == output.actors.count)
        // Most actors are caught within their pattern; a large-transfer sender missed on its planted transfer
        // can be caught much later on its ordinary traffic, so only the median is bounded here.
        #expect(metrics.delay.medianBlocks.map { $0 <= 5 } == true)
        // Planted amounts of 100–1000× a sender's usual stand out on amount alone.
        let auc = try #require(metrics.categories.first { $0.name == "large_transfer" }?.rocAUC)
        #expect(auc > 0.75)
        let positives = table.positives(labels)
        let alertRows = (0 ..< table.count).filter { table.alertedBy[$0] != 0 }.sorted { table.combined[$0] > table.combined[$1] }
        let alerts = alertRows.prefix(25).map { row in
            let tx = output.transactions[row]
            return Alert(
                chain: .ethereum, txHash: tx.hash, blockNumber: tx.blockNumber, blockTime: tx.blockTime, fromAddress: tx.fromAddress,
                toAddress: tx.toAddress, valueRaw: tx.valueRaw, amount: tx.amount,
                detector: table.alertedBy[row] & 1 != 0 ? "log_amount" : "sender_burst", score: table.combined[row],
                reasons: #"{"log_amount":\#(table.detectorScores[0][row]),"sender_tx_last_5_blocks":\#(table.detectorScores[1][row])}"#
            )
        }
        let html = BacktestReport.html(
            table: table, positives: positives, metrics: metrics, topAlerts: Array(alerts),
            settings: [("seed", "2017"), ("input", "transactions_03300000_03302204_unordered.csv.lz4")], modelID: "naive-test"
        )
        #expect(html.components(separatedBy: "<tr class=\"alert\">").count - 1 == 25)
        #expect(BacktestReportTests.tagsBalance(html))
        #expect(html.utf8.count < 400_000)  // curves are thinned to 200 points
        if let path = ProcessInfo.processInfo.environment["CHAINWATCH_REPORT_PREVIEW_FULL"] {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
            print(metrics.summaryLines.joined(separator: "\n"))
            print(metrics.json)
        }
    }
}
