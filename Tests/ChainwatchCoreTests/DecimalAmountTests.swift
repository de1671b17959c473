import ChainwatchCore
import Testing

struct DecimalAmountTests {
    @Test func convertsWeiBeyondUInt64() throws {
        // 32 ETH = 3.2e19 wei > UInt64.max.
        let eth = try #require(DecimalAmount.parse(Array("32000000000000000000".utf8), decimals: 18))
        #expect(eth == 32)
        let small = try #require(DecimalAmount.parse(Array("1642894143".utf8), decimals: 18))
        #expect(small.isApproximatelyEqual(1.642894143e-9))
    }

    @Test func convertsEveryLengthAgainstDoubleReference() throws {
        // Exact for up to 15 digits, within 1e-15 relative beyond; compared with a Double-built reference.
        var digits = ""
        for length in 1 ... 78 {
            digits += String((length * 7) % 10)
            let parsed = try #require(DecimalAmount.parse(Array(digits.utf8), decimals: 0))
            let reference = digits.reduce(0.0) { $0 * 10 + Double($1.wholeNumberValue!) }
            #expect(abs(parsed - reference) <= reference * 1e-15, "length \(length)")
        }
    }

    @Test(arguments: ["", "12a", "-5", "1.5", " 1", String(repeating: "9", count: 79)])
    func rejectsNonDigits(_ text: String) {
        #expect(DecimalAmount.parse(Array(text.utf8), decimals: 18) == nil)
    }

    @Test func parsesInt64() {
        #expect(DecimalAmount.parseInt64(Array("17173049".utf8)) == 17_173_049)
        #expect(DecimalAmount.parseInt64(Array("".utf8)) == nil)
        #expect(DecimalAmount.parseInt64(Array("1x".utf8)) == nil)
    }
}

extension Double {
    func isApproximatelyEqual(_ other: Double, relative: Double = 1e-12) -> Bool {
        abs(self - other) <= relative * max(abs(self), abs(other))
    }
}
