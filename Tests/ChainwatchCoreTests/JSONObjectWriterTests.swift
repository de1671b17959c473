import ChainwatchCore
import Foundation
import Testing
import _ChainwatchTestSupport

struct JSONObjectWriterTests {
    @Test func writesValidJSONInFixedKeyOrder() throws {
        var writer = JSONObjectWriter()
        writer.add("detector", "amount_zscore")
        writer.add("z", 7.123456789)
        writer.add("n", 12)
        writer.add("quote", "a\"b\\c\n\u{1}")
        writer.add("nan", Double.nan)
        writer.add("list", rawJSON: JSONObjectWriter.array(["1", "2"]))
        let text = writer.finished()
        #expect(text.hasPrefix("{\"detector\":\"amount_zscore\",\"z\":7.12346,\"n\":12,"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["quote"] as? String == "a\"b\\c\n\u{1}")
        #expect(object["nan"] is NSNull)
        #expect((object["list"] as? [Int]) == [1, 2])
    }

    @Test func quotedEscapesOnlyWhatJSONNeeds() {
        let expected: [(String, String)] = [
            ("", #""""#), ("0xabc", #""0xabc""#), ("a\"b", #""a\"b""#), ("back\\slash", #""back\\slash""#),
            ("tab\there", #""tab\there""#), ("nl\n\r", #""nl\n\r""#), ("\u{1}", #""\u0001""#), ("\u{1f}x", #""\u001fx""#),
            ("héllo ✓", "\"héllo ✓\""), ("\u{7f}", "\"\u{7f}\""),
        ]
        for (text, quoted) in expected { #expect(JSONObjectWriter.quoted(text) == quoted, "\(text)") }
    }

    @Test func numbersPrintAsPercentSixG() {
        // The stack-buffer formatter against Foundation's `String(format:)` on values across the range.
        var rng = SeededGenerator(seed: 3)
        var values: [Double] = [0.1, -2.5e-7, 1e-300, 5e-324, 1.7976931348623157e308, 123_456.5, 1_234_567.25, 999_999.5, 0.999_999_49]
        for _ in 0 ..< 20_000 {
            values.append(Double.random(in: -1 ... 1, using: &rng) * pow(10, Double(Int.random(in: -40 ... 40, using: &rng))))
        }
        // Whole numbers below 10^15 print as integers instead.
        for value in values where value != value.rounded() || abs(value) >= 1e15 {
            #expect(JSONObjectWriter.number(value) == String(format: "%.6g", value), "\(value)")
        }
        #expect(JSONObjectWriter.number(42) == "42")
        #expect(JSONObjectWriter.number(-0.0) == "0")
    }

    @Test func amountsPrintAsPercentSixGDownToTheLastDigit() {
        // The range the integer formatter serves, and values on and beside six-digit rounding ties.
        var rng = SeededGenerator(seed: 11)
        var values: [Double] = [
            1e-8, 1e-5, 0.0001, 0.000_099_999_95, 0.999_999_5, 9.999_995, 99_999.95, 123_456.5, 123_457.5, 999_999.5,
            1_000_000.5, 4_503_599_627_370_495.5, 1e15 - 0.5, -0.5, -1e-8,
        ]
        for _ in 0 ..< 20_000 {
            values.append(Double.random(in: -1 ... 1, using: &rng) * pow(10, Double(Int.random(in: -9 ... 16, using: &rng))))
            let tie = (Double(Int.random(in: 100_000 ... 999_999, using: &rng)) + 0.5) * pow(10, Double(Int.random(in: -14 ... 9, using: &rng)))
            values += [tie, tie.nextUp, tie.nextDown]
        }
        for value in values where value != value.rounded() {
            #expect(JSONObjectWriter.number(value) == String(format: "%.6g", value), "\(value)")
        }
        #expect(JSONObjectWriter.number(.infinity) == "null")
    }
}
