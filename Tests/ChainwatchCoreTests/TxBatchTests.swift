import Foundation
import ChainwatchCore
import Testing

struct TxBatchTests {
    static func transaction(_ i: Int, creation: Bool = false) -> Transaction {
        Transaction(
            hash: "0x\(i)", blockNumber: Int64(100 + i), blockTime: Int64(1_000 + i), txIndex: Int32(i),
            fromAddress: "0xfrom\(i)", toAddress: creation ? nil : "0xto\(i)", valueRaw: "\(i)000",
            amount: Double(i), gasPrice: 1, flags: creation ? .contractCreation : [], from: .none, to: .none,
            source: i % 2 == 0 ? "a.csv" : "b.csv", line: Int64(i + 2)
        )
    }

    @Test func rowsRoundTripThroughColumns() {
        var batch = TxBatch()
        let rows = (0 ..< 50).map { Self.transaction($0, creation: $0 % 7 == 0) }
        rows.forEach { batch.append($0) }
        #expect(batch.count == 50)
        #expect(batch.sources == ["a.csv", "b.csv"])
        for i in rows.indices { #expect(batch[i] == rows[i]) }

        var copy = TxBatch()
        for i in stride(from: 49, through: 0, by: -1) { copy.append(from: batch, at: i) }
        for i in rows.indices { #expect(copy[49 - i] == rows[i]) }
    }

    @Test func rangesAppendLikeTheirRows() {
        var batch = TxBatch()
        let rows = (0 ..< 40).map { Self.transaction($0, creation: $0 % 9 == 0) }
        rows.forEach { batch.append($0) }
        // A target that already holds rows and names a third source, so indices and byte offsets shift.
        var bulk = TxBatch(), single = TxBatch()
        var other = Self.transaction(99)
        other.source = "c.csv"
        bulk.append(other)
        single.append(other)
        for range in [0 ..< 0, 3 ..< 17, 17 ..< 18, 0 ..< 40] {
            bulk.append(from: batch, rows: range)
            for i in range { single.append(from: batch, at: i) }
        }
        #expect(bulk.count == single.count && bulk.count == 1 + 14 + 1 + 40)
        for i in 0 ..< bulk.count { #expect(bulk[i] == single[i], "row \(i)") }
        #expect(bulk.sources == ["c.csv", "a.csv", "b.csv"])
    }

    @Test func removeAllKeepsColumnsInStep() {
        var batch = TxBatch()
        batch.append(Self.transaction(1))
        batch.removeAll()
        #expect(batch.isEmpty && batch.hash.count == 0 && batch.valueRaw.count == 0)
        batch.append(Self.transaction(2))
        #expect(batch[0] == Self.transaction(2))
    }

    /// The decoded hash column holds the 32 bytes of canonical hashes only, spelled back exactly, and follows its
    /// rows through every way of appending.
    @Test func canonicalHashColumnFollowsItsRows() {
        let canonical = "0x" + (0 ..< 32).map { String(format: "%02x", ($0 * 37 + 11) % 256) }.joined()
        let forms = [canonical, canonical.uppercased(), "0X" + canonical.dropFirst(2), "0x\(String(canonical.dropFirst(3)))", "tx-1", ""]
        var batch = TxBatch()
        for (index, hash) in forms.enumerated() {
            var row = Self.transaction(index)
            row.hash = hash
            batch.append(row)
        }
        #expect(batch.canonicalHash.count == forms.count)
        #expect(batch.canonicalHash.map { $0 != nil } == [true, false, false, false, false, false])
        let bytes = (0 ..< 32).map { UInt8(($0 * 37 + 11) % 256) }
        let words = bytes.withUnsafeBytes { $0.loadUnaligned(as: _TxHash.Words.self) }
        #expect(batch.canonicalHash[0] == _TxHash(words: words))
        var text = [UInt8](repeating: 0, count: _TxHash.textLength)
        text.withUnsafeMutableBytes { batch.canonicalHash[0]!.write(into: $0) }
        #expect(String(decoding: text, as: UTF8.self) == canonical)

        var single = TxBatch(), bulk = TxBatch()
        for index in stride(from: forms.count - 1, through: 0, by: -1) { single.append(from: batch, at: index) }
        bulk.append(from: batch, rows: 1 ..< forms.count)
        #expect(single.canonicalHash.reversed().map { $0 != nil } == batch.canonicalHash.map { $0 != nil })
        #expect(single.canonicalHash.last! == batch.canonicalHash[0])
        #expect(bulk.canonicalHash.count == forms.count - 1 && bulk.canonicalHash.allSatisfy { $0 == nil })
        batch.removeAll()
        #expect(batch.canonicalHash.isEmpty)
    }
}
