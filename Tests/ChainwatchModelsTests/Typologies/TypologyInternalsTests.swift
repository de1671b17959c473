import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// The allocation-free helpers behind typology evidence must produce exactly the text of the plain ones.
struct TypologyInternalsTests {
    static let keys: [AccountKey] = [
        .none,
        AccountKey(high: .max, middle: .max, low: .max),
        AccountKey(high: 0x0123_4567_89ab_cdef, middle: 0xfedc_ba98_7654_3210, low: 0x0a0b_0c0d),
        AccountKey(high: 1, middle: 0x10, low: 0xf0),
    ]

    /// `0x` + each word in `String(radix: 16)`, zero-padded: the plain spelling of an address.
    static func plainHex(_ key: AccountKey) -> String {
        func hex<T: FixedWidthInteger>(_ value: T, digits: Int) -> String {
            let s = String(value, radix: 16)
            return String(repeating: "0", count: digits - s.count) + s
        }
        return "0x" + hex(key.high, digits: 16) + hex(key.middle, digits: 16) + hex(key.low, digits: 8)
    }

    /// `{"list":[…]}` as the reasons writer spells an evidence list.
    static func writtenList<C: Collection>(_ elements: C, _ element: (inout _ReasonsWriter, C.Element) -> Void) -> String {
        var writer = _ReasonsWriter()
        writer.addArray("list", elements, element)
        return writer.finished()
    }

    @Test func hexStringMatchesThePlainSpelling() {
        for key in Self.keys {
            #expect(key.hexString == Self.plainHex(key))
            #expect(Self.writtenList([key]) { $0.appendAddress($1) } == "{\"list\":[" + JSONObjectWriter.quoted(key.hexString) + "]}")
        }
        #expect(
            Self.writtenList(Self.keys) { $0.appendAddress($1) }
                == "{\"list\":" + JSONObjectWriter.array(Self.keys.map { JSONObjectWriter.quoted($0.hexString) }) + "}"
        )
    }

    @Test func hashesMatchQuotedStrings() {
        let texts = [
            TypologyTest.hash(1), TypologyTest.hash(2).uppercased(), "", "a\"b", "back\\slash", "nl\n", "\u{1}", "héllo ✓",
            String(repeating: "é", count: 40), String(repeating: "z", count: 90),
        ]
        var transfers: [Transfer] = []
        for index in 0 ..< 25 { transfers.append(Transfer(from: TypologyTest.address(index), to: TypologyTest.address(99), amount: 1, block: 1)) }
        let batch = TypologyTest.batch(transfers)
        for text in texts {
            // One odd hash among canonical ones, at the start, in the middle and last.
            for position in [0, 12, 24] {
                var withText = TxBatch()
                for row in 0 ..< batch.count {
                    var transaction = batch[row]
                    if row == position { transaction.hash = text }
                    withText.append(transaction)
                }
                let refs = (0 ..< withText.count).map { _TxRef(batch: withText, row: $0) }
                for count in [0, 1, 13, 25] {
                    let shown = Array(refs.prefix(count))
                    let expected = JSONObjectWriter.array(shown.suffix(_Evidence.listCap).map { JSONObjectWriter.quoted($0.hash) })
                    #expect(Self.writtenList(shown) { $0.appendHash($1) } == "{\"list\":" + expected + "}")
                }
            }
        }
    }

}

struct TypologyEvictionTests {
    @Test func selectMatchesSorting() {
        var generator = SystemRandomNumberGenerator()
        for count in [1, 2, 3, 10, 257, 4_000, 8_192, 60_000] {
            for spread in [1, 5, 1_000_000] {
                let values = (0 ..< count).map { _ in Int64.random(in: 0 ..< Int64(spread), using: &generator) }
                let sorted = values.sorted()
                for rank in Set([0, count / 2, count - 1, count / 3]) {
                    var copy = values
                    #expect(_RecencyEviction.select(&copy, rank: rank) == sorted[rank])
                }
            }
        }
    }

    /// Keeps the `keep` most recently active entries of `table` (ties broken by key, so the choice is
    /// deterministic) and drops the rest.
    /// The plain dictionary form `doomedSlots` is held to.
    static func shrink<Key: Hashable & Comparable, Value>(
        _ table: inout [Key: Value], keep: Int, lastActive: (Value) -> Int64
    ) {
        guard table.count > keep else { return }
        guard keep > 0 else {
            table.removeAll(keepingCapacity: true)
            return
        }
        // Select the cut time (the keep-th most recent) on the times only, then settle the ties by key.
        var times = table.values.map(lastActive)
        let threshold = _RecencyEviction.select(&times, rank: times.count - keep)
        var newer = 0
        for time in times where time > threshold { newer += 1 }
        var doomed = table.compactMap { lastActive($0.value) < threshold ? $0.key : nil }
        let ties = table.compactMap { lastActive($0.value) == threshold ? $0.key : nil }.sorted(by: >)
        doomed += ties.dropFirst(keep - newer)
        // Removing in place keeps the table's capacity: no rehash now, and none while it refills.
        for key in doomed { table.removeValue(forKey: key) }
    }

    /// `doomedSlots` on a slot table drops exactly what `shrink` drops from a dictionary with the same keys
    /// and times (ties by key), and the table still finds every kept key after removing them.
    @Test func doomedSlotsMatchDictionaryShrink() {
        var generator = SystemRandomNumberGenerator()
        for count in [1, 2, 9, 300, 5_000] {
            for spread in [1, 7, 1_000_000] {
                var table = _SlotTable<AccountKey, Int64>()
                var reference: [AccountKey: Int64] = [:]
                for index in 0 ..< count {
                    let key = AccountKey(hashing: Array("key-\(index)".utf8))
                    let time = Int64.random(in: 0 ..< Int64(spread), using: &generator)
                    _ = table.findOrInsert(key, value: time)
                    reference[key] = time
                }
                // Remove a few first, so free slots sit between live ones.
                for index in stride(from: 0, to: count, by: 5) {
                    let key = AccountKey(hashing: Array("key-\(index)".utf8))
                    table.remove(slot: table.find(key)!)
                    reference[key] = nil
                }
                for keep in Set([0, 1, reference.count / 2, reference.count]) {
                    var shrunk = reference
                    Self.shrink(&shrunk, keep: keep) { $0 }
                    var copy = table
                    let doomed = _RecencyEviction.doomedSlots(copy, keep: keep) { $0 }
                    let doomedKeys = Set(doomed.map { copy.key($0) })
                    #expect(doomedKeys == Set(reference.keys).subtracting(shrunk.keys))
                    copy.remove(slots: doomed)
                    #expect(copy.count == shrunk.count)
                    for (key, time) in shrunk { #expect(copy.find(key).map { copy[$0] } == time) }
                }
            }
        }
    }
}
