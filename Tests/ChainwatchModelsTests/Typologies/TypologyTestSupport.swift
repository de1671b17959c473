import ChainwatchCore
import ChainwatchModels
import Foundation
import Testing

/// Hand-built transfers for typology tests.
struct Transfer {
    var from: String
    var to: String
    var amount: Double
    var block: Int64
    /// Block time; defaults to 12 s per block.
    var time: Int64? = nil
}

enum TypologyTest {
    /// A random-looking but fixed address for account `n`.
    static func address(_ n: Int) -> String { AccountKey(hashing: Array("account-\(n)".utf8)).hexString }

    /// `address` with the middle hex digits changed: same first 4 and last 4 digits after `0x`.
    static func lookAlike(of address: String, changingDigits digits: Range<Int> = 4 ..< 36) -> String {
        var characters = Array(address)
        for offset in digits {
            let index = 2 + offset
            characters[index] = characters[index] == "a" ? "b" : "a"
        }
        return String(characters)
    }

    static func hash(_ n: Int) -> String {
        let digits = String(n, radix: 16)
        return "0x" + String(repeating: "0", count: 64 - digits.count) + digits
    }

    /// One batch holding `transfers`, hashes `hash(0)`, `hash(1)`, … in order.
    static func batch(_ transfers: [Transfer], firstIndex: Int = 0) -> TxBatch {
        var batch = TxBatch()
        for (offset, transfer) in transfers.enumerated() {
            batch.append(Transaction(
                hash: hash(firstIndex + offset), blockNumber: transfer.block,
                blockTime: transfer.time ?? 1_500_000_000 + transfer.block * 12, txIndex: Int32(offset),
                fromAddress: transfer.from, toAddress: transfer.to, valueRaw: "0", amount: transfer.amount, gasPrice: 1,
                flags: [], from: AccountKey(hexAddress: transfer.from)!, to: AccountKey(hexAddress: transfer.to)!
            ))
        }
        return batch
    }

    /// Feeds `batches` to `detector` and returns its alerts.
    static func run<D: Detector>(_ detector: inout D, _ batches: [TxBatch]) -> [Alert] {
        var alerts: [Alert] = []
        for batch in batches {
            detector.process(DetectionInput(batch: batch, features: FeatureMatrix(dimensions: 1)), alerts: &alerts)
        }
        return alerts
    }

    /// Alerts of a fresh detector over `transfers` cut into batches of `batchSize` rows.
    static func alerts<D: Detector>(_ make: () -> D, _ transfers: [Transfer], batchSize: Int = .max) -> [Alert] {
        var detector = make()
        var batches: [TxBatch] = []
        var start = 0
        while start < transfers.count {
            let end = min(transfers.count, start + min(batchSize, transfers.count))
            batches.append(batch(Array(transfers[start ..< end]), firstIndex: start))
            start = end
        }
        return run(&detector, batches)
    }

    /// Expects the same alerts in one batch, in 1-row batches and in 7-row batches; returns them.
    @discardableResult
    static func expectSplitInvariant<D: Detector>(_ make: () -> D, _ transfers: [Transfer]) -> [Alert] {
        let whole = alerts(make, transfers)
        #expect(alerts(make, transfers, batchSize: 1) == whole)
        #expect(alerts(make, transfers, batchSize: 7) == whole)
        return whole
    }

    /// The `reasons` JSON of `alert` as a dictionary.
    static func reasons(_ alert: Alert) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(alert.reasons.utf8))) as? [String: Any] ?? [:]
    }

    static func strings(_ value: Any?) -> [String] { value as? [String] ?? [] }
}
