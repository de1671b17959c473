import ChainwatchCore
import Foundation
import _ChainwatchTestSupport

/// The 19,999-transaction 2017 sample, decoded by a minimal ethereum-etl CSV reader (the real decoder
/// lives in ChainwatchIO; this one only needs the columns the generator uses), sorted by block and index.
enum BacktestSampleStream {
    static let transactions: [Transaction] = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["lz4", "-dc", Fixtures.ethereumUnorderedLZ4]
        let pipe = Pipe()
        process.standardOutput = pipe
        try! process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let (hash, block, index, from, to, value, gas, input, time) = (
            column("hash"), column("block_number"), column("transaction_index"), column("from_address"),
            column("to_address"), column("value"), column("gas_price"), column("input"), column("block_timestamp")
        )
        var result: [Transaction] = []
        for (number, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let receiver = f[to].isEmpty ? nil : f[to]
            var flags: TxFlags = receiver == nil ? .contractCreation : []
            if f[input] != "0x" { flags.insert(.hasInput) }
            result.append(Transaction(
                hash: f[hash], blockNumber: Int64(f[block])!, blockTime: Int64(f[time])!, txIndex: Int32(f[index])!,
                fromAddress: f[from], toAddress: receiver, valueRaw: f[value],
                amount: DecimalAmount.parse(Array(f[value].utf8), decimals: 18)!,
                gasPrice: Float(Double(f[gas])! / 1e9), flags: flags,
                from: AccountKey(hexAddress: f[from])!, to: receiver.flatMap { AccountKey(hexAddress: $0) } ?? .none,
                source: "sample", line: Int64(number + 2)
            ))
        }
        return result.sorted { ($0.blockNumber, $0.txIndex) < ($1.blockNumber, $1.txIndex) }
    }()
}
