import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// The word-at-a-time hex helpers must agree with byte-by-byte reference code.
struct TypologyHexDigitsTests {
    static func text(_ word: UInt64) -> String {
        withUnsafeBytes(of: word.littleEndian) { String(decoding: $0, as: UTF8.self) }
    }

    @Test func eightDigitsMatchStringRadix() {
        var generator = SystemRandomNumberGenerator()
        let values: [UInt32] = [0, 1, 9, 10, 15, 16, 0xabcd_ef01, 0x1234_5678, 0x9a9a_9a9a, .max]
            + (0 ..< 500).map { _ in UInt32.random(in: 0 ... .max, using: &generator) }
        for value in values {
            let expected = String(repeating: "0", count: 8 - String(value, radix: 16).count) + String(value, radix: 16)
            #expect(Self.text(_HexDigits.eight(value)) == expected)
        }
    }

    @Test func plainWordsAreExactlyThoseWithoutEscapes() {
        var generator = SystemRandomNumberGenerator()
        func isPlain(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x80 && byte != 0x22 && byte != 0x5c }
        // Every byte value in every position, among plain neighbours, then random words.
        var words: [UInt64] = []
        for position in 0 ..< 8 {
            for byte in 0 ... 255 { words.append(0x6161_6161_6161_6161 & ~(0xff << (8 * UInt64(position))) | UInt64(byte) << (8 * UInt64(position))) }
        }
        words += (0 ..< 5_000).map { _ in UInt64.random(in: 0 ... .max, using: &generator) }
        words += (0 ..< 5_000).map { _ in UInt64.random(in: 0 ... .max, using: &generator) & 0x7f7f_7f7f_7f7f_7f7f | 0x2020_2020_2020_2020 }
        for word in words {
            let expected = withUnsafeBytes(of: word) { $0.allSatisfy(isPlain) }
            #expect(_HexDigits.arePlain(word) == expected)
        }
    }
}
