import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// `_ReasonsWriter` must write exactly the text that `JSONObjectWriter` gives for the same members, whatever the
/// values: the reference builders below make each evidence list from plain strings.
struct TypologyReasonsWriterTests {
    /// A JSON array of the last ``_Evidence/listCap`` elements.
    static func capped(_ elements: [String]) -> String { JSONObjectWriter.array(Array(elements.suffix(_Evidence.listCap))) }

    static func window(from start: Int64, to end: Int64) -> String {
        var writer = JSONObjectWriter()
        writer.add("from_time", start)
        writer.add("to_time", end)
        return writer.finished()
    }

    static func transaction(_ ref: _TxRef) -> String {
        var writer = JSONObjectWriter()
        writer.add("hash", ref.hash)
        writer.add("block", ref.block)
        writer.add("time", ref.time)
        writer.add("from", ref.from.hexString)
        writer.add("to", ref.to.hexString)
        writer.add("amount_eth", ref.amount)
        return writer.finished()
    }

    static let texts = ["plain", "", "a\"b", "back\\slash", "nl\n", "\u{1}", "héllo ✓", String(repeating: "z", count: 90)]
    static let numbers: [Double] = [
        0, -0.0, 1, -3, 0.1, 1.0 / 3, 123_456.789, 1e-9, 6.02e23, -2.5e-5, 1e15, .nan, .infinity, -.infinity,
    ]
    static let integers: [Int64] = [0, 7, -42, .max, .min, 9, 10, -99, 100, 999_999_999_999, 1_000_000_000_000_000_000, -1_000_000_000_000_000_000]

    /// A batch whose transactions carry `hashes` (canonical, odd and escaped ones).
    static func transactions(hashes: [String]) -> [_TxRef] {
        var batch = TxBatch()
        for (index, hash) in hashes.enumerated() {
            var transaction = TypologyTest.batch([
                Transfer(from: TypologyTest.address(index), to: TypologyTest.address(index + 50), amount: Double(index) / 7, block: 3)
            ])[0]
            transaction.hash = hash
            batch.append(transaction)
        }
        return (0 ..< batch.count).map { _TxRef(batch: batch, row: $0) }
    }

    @Test func membersMatchJSONObjectWriter() {
        for text in Self.texts {
            var expected = JSONObjectWriter()
            var written = _ReasonsWriter(capacity: 8)
            // Member names are literals (`StaticString`); values carry the escaping cases.
            expected.add("text", text)
            written.add("text", text)
            for number in Self.numbers {
                expected.add("number", number)
                written.add("number", number)
            }
            for integer in Self.integers {
                expected.add("integer", integer)
                written.add("integer", integer)
            }
            expected.add("count", 12)
            written.add("count", 12)
            let key = AccountKey(hashing: Array(text.utf8))
            expected.add("address", key.hexString)
            written.add("address", address: key)
            expected.add("window", rawJSON: Self.window(from: -5, to: 1_700_000_000))
            written.addWindow(from: -5, to: 1_700_000_000)
            #expect(written.finished() == expected.finished())
        }
        #expect(_ReasonsWriter().finished() == JSONObjectWriter().finished())
    }

    @Test func arraysAndNestedObjectsMatchTheEvidenceText() {
        let hashes = [TypologyTest.hash(1), TypologyTest.hash(2).uppercased()] + Self.texts + (3 ..< 30).map(TypologyTest.hash)
        let refs = Self.transactions(hashes: hashes)
        for count in [0, 1, 2, 9, 20, 21, refs.count] {
            let shown = Array(refs.prefix(count))
            var expected = JSONObjectWriter()
            var written = _ReasonsWriter()
            expected.add("hashes", rawJSON: Self.capped(shown.map { JSONObjectWriter.quoted($0.hash) }))
            written.addArray("hashes", shown) { $0.appendHash($1) }
            expected.add("addresses", rawJSON: Self.capped(shown.map { JSONObjectWriter.quoted($0.from.hexString) }))
            written.addArray("addresses", shown) { $0.appendAddress($1.from) }
            expected.add("amounts", rawJSON: Self.capped(shown.map { JSONObjectWriter.number($0.amount) }))
            written.addArray("amounts", shown) { $0.appendNumber($1.amount) }
            expected.add("blocks", rawJSON: Self.capped(shown.map { String($0.block) }))
            written.addArray("blocks", shown) { $0.appendInteger($1.block) }
            var parameters = JSONObjectWriter()
            parameters.add("all", rawJSON: JSONObjectWriter.array(shown.map { JSONObjectWriter.number($0.amount) }))
            parameters.add("name", "a\"b")
            expected.add("parameters", rawJSON: parameters.finished())
            written.addObject("parameters") { parameters in
                parameters.addArray("all", shown, keepingLast: .max) { $0.appendNumber($1.amount) }
                parameters.add("name", "a\"b")
            }
            expected.add("after", 1)
            written.add("after", 1)
            #expect(written.finished() == expected.finished())
        }
    }

    /// A transaction object and a chain's hop evidence (window, addresses along it, hashes, amounts, blocks), as
    /// the peel-chain, wash-cycle, pass-through and address-poisoning alerts write them.
    @Test func transactionsAndHopChainsMatchThePlainText() {
        let hashes = [TypologyTest.hash(1), "a\"b"] + (2 ..< 30).map(TypologyTest.hash)
        let refs = Self.transactions(hashes: hashes)
        for count in [1, 2, 19, 20, 21, refs.count] {
            let hops = Array(refs.prefix(count))
            var expected = JSONObjectWriter()
            var written = _ReasonsWriter()
            expected.add("received", rawJSON: Self.transaction(hops[count - 1]))
            written.add("received", transaction: hops[count - 1])
            expected.add("window", rawJSON: Self.window(from: hops[0].time, to: 1_700_000_123))
            expected.add("addresses", rawJSON: Self.capped(([hops[0].from] + hops.map(\.to)).map { JSONObjectWriter.quoted($0.hexString) }))
            expected.add("hashes", rawJSON: Self.capped(hops.map { JSONObjectWriter.quoted($0.hash) }))
            expected.add("amounts_eth", rawJSON: Self.capped(hops.map { JSONObjectWriter.number($0.amount) }))
            expected.add("blocks", rawJSON: Self.capped(hops.map { String($0.block) }))
            written.addHops(hops, windowEnd: 1_700_000_123)
            #expect(written.finished() == expected.finished(), "\(count) hops")
        }
    }
}
