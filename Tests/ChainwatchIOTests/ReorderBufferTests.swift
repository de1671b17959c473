import ChainwatchCore
import ChainwatchIO
import Testing
import _ChainwatchTestSupport

struct ReorderBufferTests {
    /// The unordered 2017 sample in arrival order (decoded once for all tests).
    static let arrivals: TxBatch = try! TestInput.readAll(path: Fixtures.ethereumUnorderedLZ4, maxRows: 8192).batch

    /// A direct statement of the contract: rows one at a time; late rows out at once with their time raised;
    /// others held and released sorted by (block, txIndex, arrival) once the highest block is `window` ahead.
    static func reference(_ input: TxBatch, window: Int64) -> (rows: [(index: Int, late: Bool, time: Int64)], late: Int) {
        var held: [Int] = []
        var out: [(index: Int, late: Bool, time: Int64)] = []
        var highest = Int64.min, emittedBlock = Int64.min, emittedTime = Int64.min, late = 0, lowestHeld = Int64.max
        func key(_ i: Int) -> (Int64, Int32, Int) { (input.blockNumber[i], input.txIndex[i], i) }
        func release(_ threshold: Int64) {
            let ready = held.filter { input.blockNumber[$0] <= threshold }.sorted { key($0) < key($1) }
            held.removeAll { input.blockNumber[$0] <= threshold }
            lowestHeld = held.map { input.blockNumber[$0] }.min() ?? .max
            for i in ready {
                out.append((i, false, input.blockTime[i]))
                emittedBlock = max(emittedBlock, input.blockNumber[i])
                emittedTime = max(emittedTime, input.blockTime[i])
            }
        }
        for i in 0 ..< input.count {
            if input.blockNumber[i] < emittedBlock {
                let time = max(input.blockTime[i], emittedTime)
                emittedTime = time
                out.append((i, true, time))
                late += 1
                continue
            }
            held.append(i)
            lowestHeld = min(lowestHeld, input.blockNumber[i])
            highest = max(highest, input.blockNumber[i])
            if lowestHeld <= highest - window { release(highest - window) }
        }
        release(.max)
        return (out, late)
    }

    /// Pushes `input` cut at random points (seeded), then flushes.
    static func run(_ input: TxBatch, window: Int64, seed: UInt64, maxPiece: Int) -> (TxBatch, Int64, Int) {
        var buffer = ReorderBuffer(windowBlocks: window)
        var generator = SeededGenerator(seed: seed)
        var output = TxBatch()
        var start = 0
        var maxHeld = 0
        while start < input.count {
            let end = min(input.count, start + Int.random(in: 1 ... maxPiece, using: &generator))
            var piece = TxBatch()
            for row in start ..< end { piece.append(from: input, at: row) }
            buffer.push(piece, into: &output)
            maxHeld = max(maxHeld, buffer.heldRows)
            start = end
        }
        buffer.flush(into: &output)
        #expect(buffer.heldRows == 0)
        return (output, buffer.lateRows, maxHeld)
    }

    @Test(arguments: [Int64(0), 64, 1024])
    func matchesReferenceForAnySplit(window: Int64) {
        let input = Self.arrivals
        #expect(input.count == 19_999)
        let expected = Self.reference(input, window: window)
        var first: TxBatch?
        for (seed, maxPiece) in [(UInt64(1), 1), (2, 37), (3, 4096), (4, 30_000)] {
            let (output, late, _) = Self.run(input, window: window, seed: seed, maxPiece: maxPiece)
            #expect(output.count == input.count)
            #expect(late == Int64(expected.late))
            let matches = expected.rows.indices.allSatisfy { n in
                let (index, isLate, time) = expected.rows[n]
                return output.hash[n] == input.hash[index] && output.flags[n].contains(.late) == isLate
                    && output.blockTime[n] == time && output.sourceLine[n] == input.sourceLine[index]
            }
            #expect(matches, "window \(window), pieces up to \(maxPiece)")
            if let first { #expect(output == first) } else { first = output }
        }
        if window == 64 { #expect(expected.late > 0) }
    }

    @Test(arguments: [Int64(922), 1024])
    func wideWindowSortsTheSampleWithoutLateRows(window: Int64) {
        let (output, late, maxHeld) = Self.run(Self.arrivals, window: window, seed: 7, maxPiece: 500)
        #expect(late == 0)
        #expect(!output.flags.contains { $0.contains(.late) })
        let sorted = (1 ..< output.count).allSatisfy { n in
            (output.blockNumber[n - 1], output.txIndex[n - 1]) <= (output.blockNumber[n], output.txIndex[n])
        }
        #expect(sorted)
        #expect(Set((0 ..< output.count).map { output.hash[$0] }).count == 19_999)
        #expect(maxHeld < 19_999)
    }

    @Test func lateRowsAreFlaggedAndTimeNeverRunsBackwards() {
        func batch(_ rows: [(block: Int64, time: Int64)]) -> TxBatch {
            var batch = TxBatch()
            for (n, row) in rows.enumerated() {
                batch.append(Transaction(
                    hash: "h\(n)", blockNumber: row.block, blockTime: row.time, txIndex: 0, fromAddress: "f", toAddress: "t",
                    valueRaw: "0", amount: 0, gasPrice: 0, flags: [], from: .none, to: .none, source: "s", line: Int64(n + 1)
                ))
            }
            return batch
        }
        var buffer = ReorderBuffer(windowBlocks: 2)
        var output = TxBatch()
        buffer.push(batch([(10, 100), (11, 110), (13, 130)]), into: &output)
        #expect(output.blockNumber == [10, 11] && buffer.heldRows == 1)
        buffer.push(batch([(9, 90), (12, 120)]), into: &output)
        #expect(output.blockNumber == [10, 11, 9])
        #expect(output.flags[2] == [.late] && output.blockTime[2] == 110 && buffer.lateRows == 1)
        buffer.flush(into: &output)
        #expect(output.blockNumber == [10, 11, 9, 12, 13])
        #expect(output.blockTime == [100, 110, 110, 120, 130])
    }
}
