import ChainwatchCore
import Testing

struct AccountKeyTests {
    @Test func roundTripsHexAddresses() throws {
        let text = "0xae2fc483527b8ef99eb5d9b44875f005ba1fae13"
        let key = try #require(AccountKey(hexAddress: text))
        #expect(key.hexString == text)
        #expect(AccountKey(hexAddress: "0x" + text.dropFirst(2).uppercased()) == key)
    }

    @Test(arguments: ["", "0x", "ae2fc483527b8ef99eb5d9b44875f005ba1fae13", "0xae2fc483527b8ef99eb5d9b44875f005ba1fae1",
                      "0xae2fc483527b8ef99eb5d9b44875f005ba1fae1g", "0xae2fc483527b8ef99eb5d9b44875f005ba1fae133"])
    func rejectsMalformedAddresses(_ text: String) {
        #expect(AccountKey(hexAddress: text) == nil)
    }

    @Test func hashedKeysSpreadAndAreStable() {
        var seen = Set<AccountKey>()
        for i in 0 ..< 10_000 { seen.insert(AccountKey(hashing: Array("1BitcoinAddress\(i)".utf8))) }
        #expect(seen.count == 10_000)
        #expect(AccountKey(hashing: Array("abc".utf8)) == AccountKey(hashing: Array("abc".utf8)))
    }
}
