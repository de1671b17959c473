import ChainwatchCore
import ChainwatchIO
import Foundation
import Testing
import _ChainwatchTestSupport

/// A source that yields its bytes in small pieces: fixed-size reads or seeded random sizes in `1...maxChunk`.
struct DripSource: ByteSource {
    let bytes: [UInt8]
    var offset = 0
    let maxChunk: Int
    var generator: SeededGenerator?

    /// `chunk` bytes per read (1 = one byte at a time).
    init(_ bytes: [UInt8], chunk: Int) {
        self.bytes = bytes
        maxChunk = chunk
    }

    /// Random read sizes in `1...maxChunk` from a seeded generator.
    init(_ bytes: [UInt8], maxChunk: Int, seed: UInt64) {
        self.bytes = bytes
        self.maxChunk = maxChunk
        generator = SeededGenerator(seed: seed)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ChainwatchError) -> Int {
        var size = maxChunk
        if var generator {
            size = Int.random(in: 1 ... maxChunk, using: &generator)
            self.generator = generator
        }
        let count = min(size, buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        for index in 0 ..< count { buffer[index] = bytes[offset + index] }
        offset += count
        return count
    }
}

enum TestInput {
    static func bytes(path: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path)!)
    }

    static func bytes(text: String) -> [UInt8] { Array(text.utf8) }

    /// Reads everything from `reader` in batches of `maxRows`.
    static func readAll(_ reader: TransactionReader, maxRows: Int = 1000) throws -> (batch: TxBatch, quarantine: [QuarantineRecord]) {
        var all = TxBatch()
        var quarantine: [QuarantineRecord] = []
        var batch = TxBatch()
        while try reader.readBatch(into: &batch, maxRows: maxRows, quarantine: &quarantine) {
            for row in 0 ..< batch.count { all.append(from: batch, at: row) }
            batch.removeAll()
        }
        #expect(batch.isEmpty)
        return (all, quarantine)
    }

    static func readAll(path: String, maxRows: Int = 1000) throws -> (batch: TxBatch, quarantine: [QuarantineRecord]) {
        try readAll(TransactionReader(path: path), maxRows: maxRows)
    }

    static func readAll(_ source: any ByteSource, name: String = "test", maxLineBytes: Int = 4 << 20) throws
        -> (batch: TxBatch, quarantine: [QuarantineRecord])
    {
        try readAll(TransactionReader(source: source, name: name, maxLineBytes: maxLineBytes))
    }

    /// Drains a byte source with reads of `chunk` bytes.
    static func drain(_ source: inout some ByteSource, chunk: Int = 1 << 16) throws(ChainwatchError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 1)
        defer { buffer.deallocate() }
        var result: [UInt8] = []
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { return result }
            result.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }
}

/// The columns that must agree between formats (line numbers and sources differ by design).
func sameTransactions(_ a: TxBatch, _ b: TxBatch) -> Bool {
    a.hash == b.hash && a.fromAddress == b.fromAddress && a.toAddress == b.toAddress && a.valueRaw == b.valueRaw
        && a.blockNumber == b.blockNumber && a.blockTime == b.blockTime && a.txIndex == b.txIndex && a.flags == b.flags
        && a.from == b.from && a.to == b.to && a.amount == b.amount && a.gasPrice == b.gasPrice
}
