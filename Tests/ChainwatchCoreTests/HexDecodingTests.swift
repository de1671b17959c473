import ChainwatchCore
import Testing
import _ChainwatchTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `_HexDecoding` against a reference that decodes one character at a time from a lookup table.
struct HexDecodingTests {
    /// The value of a hex digit: `0`–`9`, `a`–`f`, and `A`–`F` unless `lowercaseOnly`.
    static func referenceDigit(_ byte: UInt8, lowercaseOnly: Bool) -> UInt8? {
        let alphabet = Array((lowercaseOnly ? "0123456789abcdef" : "0123456789abcdefABCDEF").utf8)
        guard let index = alphabet.firstIndex(of: byte) else { return nil }
        return UInt8(index < 16 ? index : index - 6)
    }

    /// The bytes that `0x` (or `0X` unless `lowercaseOnly`) and `digitCount` digits spell, else `nil`.
    static func referenceBytes(_ text: [UInt8], digitCount: Int, lowercaseOnly: Bool) -> [UInt8]? {
        guard text.count == 2 + digitCount, text[0] == UInt8(ascii: "0") else { return nil }
        guard text[1] == UInt8(ascii: "x") || (!lowercaseOnly && text[1] == UInt8(ascii: "X")) else { return nil }
        var values: [UInt8] = []
        for byte in text.dropFirst(2) {
            guard let value = referenceDigit(byte, lowercaseOnly: lowercaseOnly) else { return nil }
            values.append(value)
        }
        return stride(from: 0, to: digitCount, by: 2).map { values[$0] << 4 | values[$0 + 1] }
    }

    static func referenceKey(_ text: [UInt8]) -> AccountKey? {
        guard let bytes = referenceBytes(text, digitCount: 40, lowercaseOnly: false) else { return nil }
        func number(_ range: Range<Int>) -> UInt64 { bytes[range].reduce(0) { $0 << 8 | UInt64($1) } }
        return AccountKey(high: number(0 ..< 8), middle: number(8 ..< 16), low: UInt32(number(16 ..< 20)))
    }

    static func key(_ text: [UInt8]) -> AccountKey? { text.withUnsafeBytes { _HexDecoding.accountKey($0) } }
    static func isHash(_ text: [UInt8]) -> Bool { text.withUnsafeBytes { _HexDecoding.isHash($0) } }
    static func hashBytes(_ text: [UInt8]) -> [UInt8]? {
        guard let halves = text.withUnsafeBytes({ _HexDecoding.canonicalHashBytes($0) }) else { return nil }
        return withUnsafeBytes(of: halves) { Array($0) }
    }

    /// All three functions against the reference on one text.
    static func expectMatchesReference(_ text: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(key(text) == referenceKey(text), sourceLocation: sourceLocation)
        #expect(isHash(text) == (referenceBytes(text, digitCount: 64, lowercaseOnly: false) != nil), sourceLocation: sourceLocation)
        #expect(hashBytes(text) == referenceBytes(text, digitCount: 64, lowercaseOnly: true), sourceLocation: sourceLocation)
    }

    static let lower = Array("0123456789abcdef".utf8)
    static let upper = Array("0123456789ABCDEF".utf8)
    static let mixed = Array("0123456789abcdefABCDEF".utf8)

    static func randomText(_ digitCount: Int, from alphabet: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        Array("0x".utf8) + (0 ..< digitCount).map { _ in alphabet.randomElement(using: &generator)! }
    }

    /// Bytes just outside each digit range, a NUL and non-ASCII bytes.
    static let outsiders: [UInt8] = [0x2F, 0x3A, 0x40, 0x47, 0x60, 0x67, 0x00, 0x80, 0xFF]

    @Test func fieldsAndBytesAreInTextOrder() throws {
        let address = Array("0x0123456789abcdefFEDCBA987654321002468aCe".utf8)
        #expect(Self.key(address) == AccountKey(high: 0x0123_4567_89AB_CDEF, middle: 0xFEDC_BA98_7654_3210, low: 0x0246_8ACE))
        let hash = Array(("0x" + String(repeating: "00112233445566778899aabbccddeeff", count: 2)).utf8)
        let bytes = try #require(Self.hashBytes(hash))
        #expect(bytes == Array(repeating: (0 ..< 16).map { UInt8($0 * 0x11) }, count: 2).flatMap { $0 })
    }

    @Test func randomTextInEveryCaseMatchesTheReference() {
        var generator = SeededGenerator(seed: 7)
        for alphabet in [Self.lower, Self.upper, Self.mixed] {
            for _ in 0 ..< 300 {
                let address = Self.randomText(40, from: alphabet, using: &generator)
                #expect(Self.referenceKey(address) != nil)
                Self.expectMatchesReference(address)
                let hash = Self.randomText(64, from: alphabet, using: &generator)
                #expect(Self.isHash(hash))
                // Canonical bytes exist exactly when the text has no upper-case letter.
                #expect((Self.hashBytes(hash) != nil) == !hash.contains { (0x41 ... 0x46).contains($0) })
                Self.expectMatchesReference(hash)
            }
        }
    }

    @Test func everyCorruptedByteIsRejected() {
        var generator = SeededGenerator(seed: 8)
        for digitCount in [40, 64] {
            let valid = Self.randomText(digitCount, from: Self.lower, using: &generator)
            for position in 0 ..< valid.count {
                for byte in Self.outsiders + (position < 2 ? [UInt8(ascii: "1"), UInt8(ascii: "y"), UInt8(ascii: "a")] : []) {
                    var broken = valid
                    broken[position] = byte
                    #expect(Self.key(broken) == nil)
                    #expect(!Self.isHash(broken))
                    #expect(Self.hashBytes(broken) == nil)
                    Self.expectMatchesReference(broken)
                }
            }
        }
    }

    @Test func upperCaseDigitsAndPrefixHaveNoCanonicalBytes() {
        var generator = SeededGenerator(seed: 9)
        let hash = Self.randomText(64, from: Self.lower, using: &generator)
        #expect(Self.hashBytes(hash) != nil)
        for position in 2 ..< 66 {
            for letter in Array("AF".utf8) {
                var variant = hash
                variant[position] = letter
                #expect(Self.isHash(variant))
                #expect(Self.hashBytes(variant) == nil)
            }
        }
        var upperPrefix = hash
        upperPrefix[1] = UInt8(ascii: "X")
        #expect(Self.isHash(upperPrefix))
        #expect(Self.hashBytes(upperPrefix) == nil)
        let address = Self.randomText(40, from: Self.mixed, using: &generator)
        var upperAddress = address
        upperAddress[1] = UInt8(ascii: "X")
        #expect(Self.key(upperAddress) != nil)
        #expect(Self.key(upperAddress) == Self.key(address))
    }

    @Test func otherLengthsAreRejected() {
        var generator = SeededGenerator(seed: 10)
        for digitCount in 0 ... 80 where digitCount != 40 && digitCount != 64 {
            let text = Self.randomText(digitCount, from: Self.lower, using: &generator)
            #expect(Self.key(text) == nil)
            #expect(!Self.isHash(text))
            #expect(Self.hashBytes(text) == nil)
            // Without the prefix, a text of the right length.
            let unprefixed = Array(text.dropFirst(2))
            #expect(Self.key(unprefixed) == nil && !Self.isHash(unprefixed) && Self.hashBytes(unprefixed) == nil)
        }
        #expect(Self.key([]) == nil && !Self.isHash([]) && Self.hashBytes([]) == nil)
    }

    /// Texts that end at the end of a readable page and start at the start of one: a read past either end faults.
    @Test func readsStayInsideTheText() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapping = try #require(mmap(nil, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapping != MAP_FAILED)
        defer { munmap(mapping, 3 * page) }
        #expect(mprotect(mapping, page, PROT_NONE) == 0)
        #expect(mprotect(mapping + 2 * page, page, PROT_NONE) == 0)
        let readable = mapping + page
        var generator = SeededGenerator(seed: 12)
        for digitCount in [40, 64] {
            for alphabet in [Self.lower, Self.mixed] {
                let text = Self.randomText(digitCount, from: alphabet, using: &generator)
                for start in [readable, readable + page - text.count] {
                    text.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: text.count) }
                    let view = UnsafeRawBufferPointer(start: start, count: text.count)
                    #expect(_HexDecoding.accountKey(view) == Self.referenceKey(text))
                    #expect(_HexDecoding.isHash(view) == (digitCount == 64))
                    #expect((_HexDecoding.canonicalHashBytes(view) != nil) == (digitCount == 64 && alphabet == Self.lower))
                }
            }
        }
    }
}
