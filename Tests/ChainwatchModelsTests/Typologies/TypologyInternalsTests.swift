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
