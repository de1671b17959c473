import ChainwatchCore
import ChainwatchFeatures
import Foundation
import _ChainwatchTestSupport

/// Test-only transaction sources: a tiny ethereum-etl CSV loader (ChainwatchIO is written elsewhere)
/// and a seeded synthetic stream with repeated edges, round amounts and pass-throughs.
enum TestStreams {
    /// Parses ethereum-etl `transactions` CSV text (LF or CRLF), sorted by (block_number, transaction_index).
    static func ethereumCSV(_ text: String) -> [Transaction] {
        // "\r\n" is one Character in Swift, so split on any newline rather than on "\n".
        var lines = text.split(whereSeparator: \.isNewline)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let hash = column("hash"), block = column("block_number"), index = column("transaction_index")
        let from = column("from_address"), to = column("to_address"), value = column("value")
        let gasPrice = column("gas_price"), input = column("input"), time = column("block_timestamp")
        var rows: [Transaction] = []
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let toAddress = f[to].isEmpty ? nil : f[to]
            var flags: TxFlags = []
            if toAddress == nil { flags.insert(.contractCreation) }
            if f[input].count > 2 { flags.insert(.hasInput) }
            rows.append(Transaction(
                hash: f[hash], blockNumber: Int64(f[block])!, blockTime: Int64(f[time])!, txIndex: Int32(f[index])!,
                fromAddress: f[from], toAddress: toAddress, valueRaw: f[value],
                amount: DecimalAmount.parse(Array(f[value].utf8), decimals: 18)!,
                gasPrice: Float(DecimalAmount.parse(Array(f[gasPrice].utf8), decimals: 9) ?? 0), flags: flags,
                from: AccountKey(hexAddress: f[from])!, to: toAddress.flatMap { AccountKey(hexAddress: $0) } ?? .none
            ))
        }
        return rows.sorted { ($0.blockNumber, $0.txIndex) < ($1.blockNumber, $1.txIndex) }
    }

    static func csvFile(_ path: String) throws -> [Transaction] {
        ethereumCSV(try String(contentsOfFile: path, encoding: .utf8))
    }

    /// Decompresses an LZ4 frame with the `lz4` command-line tool.
    static func lz4CSVFile(_ path: String) throws -> [Transaction] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/lz4")
        process.arguments = ["-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ethereumCSV(String(decoding: data, as: UTF8.self))
    }

    /// A seeded stream of `count` transactions over `accounts` accounts.
    static func synthetic(count: Int, accounts: Int, seed: UInt64 = 42) -> [Transaction] {
        var rng = SeededGenerator(seed: seed)
        let keys = (0 ..< accounts).map { _ in
            AccountKey(high: rng.next(), middle: rng.next(), low: UInt32(truncatingIfNeeded: rng.next()))
        }
        var edges: [(Int, Int)] = []
        var block: Int64 = 17_000_000, time: Int64 = 1_680_000_000
        var lastReceiver = 0, lastWei: UInt64 = 1
        var rows: [Transaction] = []
        rows.reserveCapacity(count)
        for i in 0 ..< count {
            if Double.random(in: 0 ..< 1, using: &rng) < 0.3 {
                let step = Int64.random(in: 1 ... 3, using: &rng)
                block += step
                time += 12 * step + (Double.random(in: 0 ..< 1, using: &rng) < 0.003 ? 20_000 : 0)
            }
            let u = Double.random(in: 0 ..< 1, using: &rng)
            var from = Int(u * u * Double(accounts)), to = Int.random(in: 0 ..< accounts, using: &rng)
            let mode = Double.random(in: 0 ..< 1, using: &rng)
            if mode < 0.3, !edges.isEmpty {
                (from, to) = edges[Int.random(in: 0 ..< edges.count, using: &rng)]
            } else if mode < 0.31 {
                to = from
            } else if edges.count < 300 {
                edges.append((from, to))
            }
            var wei: String
            let shape = Double.random(in: 0 ..< 1, using: &rng)
            if shape < 0.1 {
                from = lastReceiver
                let jitter = Double.random(in: 0.97 ... 1.03, using: &rng)
                wei = String(UInt64(Double(lastWei) * jitter))
            } else if shape < 0.25 {
                wei = String(Int.random(in: 1 ... 120, using: &rng)) + String(repeating: "0", count: 17)
            } else if shape < 0.3 {
                wei = String(UInt64.random(in: 9_500_000_000_000_000_000 ... 9_999_000_000_000_000_000, using: &rng))
            } else if shape < 0.35 {
                wei = "0"
            } else {
                wei = String(UInt64.random(in: 1 ... 5_000_000_000_000_000_000, using: &rng) >> UInt64.random(in: 0 ... 40, using: &rng))
            }
            if wei.isEmpty || wei == "0" { wei = "0" }
            let creation = Double.random(in: 0 ..< 1, using: &rng) < 0.02
            let amount = DecimalAmount.parse(Array(wei.utf8), decimals: 18)!
            var flags: TxFlags = creation ? [.contractCreation] : []
            if Bool.random(using: &rng) { flags.insert(.hasInput) }
            rows.append(Transaction(
                hash: "0x\(i)", blockNumber: block, blockTime: time, txIndex: Int32(i % 1000),
                fromAddress: keys[from].hexString, toAddress: creation ? nil : keys[to].hexString, valueRaw: wei,
                amount: amount, gasPrice: Float.random(in: 5 ... 120, using: &rng), flags: flags,
                from: keys[from], to: creation ? .none : keys[to]
            ))
            if !creation {
                lastReceiver = to
                lastWei = UInt64(wei) ?? 1
            }
        }
        return rows
    }

    /// Cuts `rows` into batches of `size`.
    static func batches(_ rows: [Transaction], size: Int) -> [TxBatch] {
        stride(from: 0, to: rows.count, by: max(1, size)).map { start in
            var batch = TxBatch(capacity: size)
            for row in rows[start ..< min(rows.count, start + size)] { batch.append(row) }
            return batch
        }
    }

    /// Runs `engine` over `rows` in batches of `size`, returning all feature values row-major.
    static func run(_ engine: inout FeatureEngine, _ rows: [Transaction], batchSize: Int) -> [Float] {
        var all: [Float] = []
        var matrix = FeatureMatrix(dimensions: engine.catalogue.names.count)
        for batch in batches(rows, size: batchSize) {
            engine.process(batch, into: &matrix)
            all += matrix.values
        }
        return all
    }
}
