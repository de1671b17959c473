import ChainwatchCore
import Foundation
import Testing

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
}
