import ChainwatchCore
import Foundation
import _ChainwatchTestSupport

/// Test inputs for the typology detectors: the real 2017 sample and a seeded synthetic stream.
enum TypologySample {
    /// The 19,999 transactions of `Fixtures.ethereumUnorderedLZ4`, decoded with the `lz4` tool and a plain
    /// CSV split (the file has no quoted fields), sorted by (block number, transaction index).
    static func ethereum2017() throws -> TxBatch {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["lz4", "-dc", Fixtures.ethereumUnorderedLZ4]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: true)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let hash = column("hash"), block = column("block_number"), index = column("transaction_index")
        let from = column("from_address"), to = column("to_address"), value = column("value")
        let time = column("block_timestamp")
        var transactions: [Transaction] = []
        for (offset, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let receiver = fields[to].isEmpty ? nil : fields[to]
            transactions.append(Transaction(
                hash: fields[hash], blockNumber: Int64(fields[block])!, blockTime: Int64(fields[time])!,
                txIndex: Int32(fields[index])!, fromAddress: fields[from], toAddress: receiver, valueRaw: fields[value],
                amount: (Double(fields[value]) ?? 0) / 1e18, gasPrice: 0,
                flags: receiver == nil ? .contractCreation : [], from: AccountKey(hexAddress: fields[from])!,
                to: receiver.map { AccountKey(hexAddress: $0)! } ?? .none, line: Int64(offset + 2)
            ))
        }
        transactions.sort { ($0.blockNumber, $0.txIndex) < ($1.blockNumber, $1.txIndex) }
        var batch = TxBatch(capacity: transactions.count)
        for transaction in transactions { batch.append(transaction) }
        return batch
    }

    /// A seeded synthetic stream of `count` transfers among `accounts` accounts (a few busy hubs, many
    /// occasional accounts), 100 per block, 12 s blocks, cut into batches of `batchSize`.
    static func synthetic(count: Int, accounts: Int = 2_000_000, batchSize: Int = 4_096, seed: UInt64 = 42) -> [TxBatch] {
        var generator = SeededGenerator(seed: seed)
        var batches: [TxBatch] = []
        var batch = TxBatch(capacity: batchSize)
        let hash = "0x" + String(repeating: "ab", count: 32)
        for row in 0 ..< count {
            func account() -> AccountKey {
                let n = generator.next() % 10 == 0 ? generator.next() % 100 : generator.next() % UInt64(accounts)
                return AccountKey(high: n &* 0x9e37_79b9_7f4a_7c15, middle: n, low: UInt32(truncatingIfNeeded: n &* 31))
            }
            let from = account(), to = account()
            let amount = Double(generator.next() % 1_000_000) / 1_000 * (generator.next() % 4 == 0 ? 0.000_001 : 1)
            let block = Int64(4_000_000 + row / 100)
            batch.append(Transaction(
                hash: hash, blockNumber: block, blockTime: 1_500_000_000 + (block - 4_000_000) * 12,
                txIndex: Int32(row % 100), fromAddress: "", toAddress: "", valueRaw: "0", amount: amount, gasPrice: 1,
                flags: [], from: from, to: to
            ))
            if batch.count == batchSize {
                batches.append(batch)
                batch.removeAll()
            }
        }
        if !batch.isEmpty { batches.append(batch) }
        return batches
    }
}
