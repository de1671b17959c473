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

    @Test func hexMatchesHexString() {
        for key in Self.keys {
            #expect(key._hex == key.hexString)
            #expect(key._quotedHex == JSONObjectWriter.quoted(key.hexString))
        }
        #expect(_Evidence.addresses(Self.keys) == JSONObjectWriter.array(Self.keys.map { JSONObjectWriter.quoted($0.hexString) }))
    }

    @Test func quotedMatchesJSONObjectWriter() {
        for text in ["", "0xabc", "a\"b", "back\\slash", "tab\there", "nl\n", "\u{1}", "héllo ✓", "\u{7f}"] {
            #expect(_Evidence.quoted(text) == JSONObjectWriter.quoted(text))
        }
    }

    @Test func accountSlotsHashConsistently() {
        var table: [_AccountSlot: Int] = [:]
        for (index, key) in Self.keys.enumerated() { table[_AccountSlot(key)] = index }
        for (index, key) in Self.keys.enumerated() { #expect(table[_AccountSlot(key)] == index) }
        #expect(table.count == Self.keys.count)
    }
}

struct TypologyEvictionTests {
    @Test func selectMatchesSorting() {
        var generator = SystemRandomNumberGenerator()
        for count in [1, 2, 3, 10, 257, 4_000] {
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
}
