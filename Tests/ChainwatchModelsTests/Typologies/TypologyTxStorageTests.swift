import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// Stored evidence transactions must read back exactly as a `_TxRef` built from the row would.
struct TypologyTxStorageTests {
    /// Reference parse of canonical hash text: `0x` + 64 lowercase hex digits, two per byte.
    static func referenceBytes(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        let lowerHex = Set("0123456789abcdef".utf8)
        guard bytes.count == 66, text.hasPrefix("0x"), bytes.dropFirst(2).allSatisfy(lowerHex.contains) else { return nil }
        return (0 ..< 32).map { UInt8(String(decoding: bytes[2 + 2 * $0 ..< 4 + 2 * $0], as: UTF8.self), radix: 16)! }
    }

    static func parse(_ text: String) -> _TxHash? {
        Array(text.utf8).withUnsafeBytes { _TxHash(text: $0) }
    }

    static func text(_ hash: _TxHash) -> String {
        var buffer = [UInt8](repeating: 0, count: _TxHash.textLength)
        buffer.withUnsafeMutableBytes { hash.write(into: $0) }
        return String(decoding: buffer, as: UTF8.self)
    }

    static func bytes(_ hash: _TxHash) -> [UInt8] {
        var words = hash.words
        return withUnsafeBytes(of: &words) { Array($0) }
    }

    static func randomHashText(using generator: inout some RandomNumberGenerator) -> String {
        let digits = Array("0123456789abcdef")
        return "0x" + String((0 ..< 64).map { _ in digits[Int.random(in: 0 ..< 16, using: &generator)] })
    }

    @Test func canonicalHashesParseToTheirBytesAndBack() throws {
        var generator = SystemRandomNumberGenerator()
        let fixed = ["0x" + String(repeating: "0", count: 64), "0x" + String(repeating: "f", count: 64), TypologyTest.hash(0xabc)]
        for text in fixed + (0 ..< 200).map({ _ in Self.randomHashText(using: &generator) }) {
            let hash = try #require(Self.parse(text))
            #expect(Self.bytes(hash) == Self.referenceBytes(text))
            #expect(Self.text(hash) == text)
        }
    }

    @Test func otherTextHasNoCompactForm() {
        let canonical = TypologyTest.hash(0x1234_5678)
        var rejected = [canonical.uppercased(), "0X" + String(canonical.dropFirst(2)), String(canonical.dropLast()), canonical + "0", "", "0x"]
        rejected.append(String(canonical.dropFirst(2)) + "00")
        // Every position and every byte just outside the digit ranges (and one non-ASCII character).
        for position in 2 ..< 66 {
            for replacement in ["/", ":", "`", "g", "A", "F", "\u{7f}", "é"] {
                var characters = Array(canonical)
                characters[position] = Character(replacement)
                rejected.append(String(characters))
            }
        }
        for text in rejected {
            #expect(Self.parse(text) == nil, "\(text)")
            #expect(Self.referenceBytes(text) == nil)
        }
    }

    static func expectSame(_ stored: _TxRef, _ expected: _TxRef) {
        #expect(stored.hash == expected.hash)
        #expect(stored.block == expected.block && stored.time == expected.time && stored.amount == expected.amount)
        #expect(stored.from == expected.from && stored.to == expected.to)
    }

    static func batch(hashes: [String]) -> TxBatch {
        var batch = TxBatch()
        for (index, hash) in hashes.enumerated() {
            let from = TypologyTest.address(index), to = TypologyTest.address(index + 100)
            batch.append(Transaction(
                hash: hash, blockNumber: Int64(10 + index), blockTime: Int64(1_000 + index), txIndex: Int32(index),
                fromAddress: from, toAddress: to, valueRaw: "0", amount: Double(index) + 0.5, gasPrice: 1, flags: [],
                from: AccountKey(hexAddress: from)!, to: AccountKey(hexAddress: to)!
            ))
        }
        return batch
    }

    @Test func poolReadsBackEveryHashForm() {
        let hashes = [
            TypologyTest.hash(7), TypologyTest.hash(7).uppercased(), "abc", String(repeating: "x", count: 100), "",
            TypologyTest.hash(0xfeed),
        ]
        let batch = Self.batch(hashes: hashes)
        var pool = _TxRefPool()
        let handles = hashes.indices.map { pool.store(batch: batch, row: $0) }
        #expect(Set(handles).count == hashes.count && pool.count == hashes.count)
        for (row, handle) in handles.enumerated() {
            Self.expectSame(pool[handle], _TxRef(batch: batch, row: row))
            // Canonical hashes are kept as bytes, others as text: either reads back as the input.
            if hashes[row].utf8.count <= _TxRef.hashCapacity { #expect(_TxRef(batch: batch, row: row).hash == hashes[row]) }
        }
        #expect(batch.canonicalHash[0] != nil && batch.canonicalHash[1] == nil)
        #expect(pool[handles[3]].hash == String(repeating: "x", count: _TxRef.hashCapacity))
    }

    @Test func poolFreesOnReleaseAndReusesHandlesLastFreedFirst() {
        let batch = Self.batch(hashes: [TypologyTest.hash(1), "irregular", TypologyTest.hash(3)])
        var pool = _TxRefPool()
        let first = pool.store(batch: batch, row: 0), irregular = pool.store(batch: batch, row: 1)
        #expect(pool.count == 2)
        Self.expectSame(pool[irregular], _TxRef(batch: batch, row: 1))
        pool.release(irregular)
        #expect(pool.count == 1)
        // Freed at once, last freed first; the reused handle answers with the new transaction.
        let reused = pool.store(batch: batch, row: 2)
        #expect(reused == irregular)
        Self.expectSame(pool[reused], _TxRef(batch: batch, row: 2))
        pool.release(first)
        pool.release(reused)
        #expect(pool.count == 0)
        #expect(pool.store(batch: batch, row: 0) == reused && pool.store(batch: batch, row: 2) == first)
    }
}
