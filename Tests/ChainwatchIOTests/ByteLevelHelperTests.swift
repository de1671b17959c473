import ChainwatchCore
@testable import ChainwatchIO
import Testing
import _ChainwatchTestSupport

struct ByteLevelHelperTests {
    @Test func byteSearchMatchesAPlainLoopForEveryRange() {
        let bytes: [UInt8] = (0 ..< 67).map { UInt8(($0 * 7) % 11) }
        bytes.withUnsafeBytes { raw in
            for from in 0 ... raw.count {
                for to in from ... raw.count {
                    for needle: UInt8 in [0, 3, 10, 99] {
                        let expected = (from ..< to).first { raw[$0] == needle }
                        #expect(_ByteSearch.firstIndex(of: needle, in: raw, from: from, to: to) == expected)
                    }
                }
            }
        }
        #expect(_ByteSearch.firstIndex(of: 1, in: UnsafeRawBufferPointer(start: nil, count: 0), from: 0, to: 0) == nil)
    }

    @Test func csvFieldSplitting() {
        func fields(_ text: String) -> [String]? {
            var splitter = CSVFieldSplitter()
            return Array(text.utf8).withUnsafeBytes { line in
                guard splitter.split(line) else { return nil }
                return (0 ..< splitter.count).map { String(decoding: splitter.field($0, in: line), as: UTF8.self) }
            }
        }
        #expect(fields("") == [""])
        #expect(fields("a,b,,c,") == ["a", "b", "", "c", ""])
        #expect(fields(#""a,1","b""q",c"#) == ["a,1", #"b""q"#, "c"])
        #expect(fields(#""""#) == [""])
        #expect(fields(#""open"#) == nil)
        #expect(fields(#""a"x,b"#) == nil)
    }

    @Test func jsonScannerKeepsExactNumbersAndSkipsNesting() {
        func members(_ text: String) -> ([String], String?) {
            var seen: [String] = []
            let error = Array(text.utf8).withUnsafeBytes { line in
                JSONObjectScanner.scan(line) { key, value in
                    let name = String(decoding: key, as: UTF8.self)
                    switch value {
                    case .string(let body, let escaped): seen.append("\(name)=s:\(String(decoding: body, as: UTF8.self))\(escaped ? "!" : "")")
                    case .number(let body): seen.append("\(name)=n:\(String(decoding: body, as: UTF8.self))")
                    case .null: seen.append("\(name)=null")
                    case .bool(let flag): seen.append("\(name)=\(flag)")
                    case .nested: seen.append("\(name)=nested")
                    }
                }
            }
            return (seen, error)
        }
        let (seen, error) = members(#" { "value" : 32000000000000000000, "a\"b": "x\"y", "n": null, "t": true, "o": {"k": [1, "]"]}, "e": -1.5e3 } "#)
        #expect(error == nil)
        #expect(seen == ["value=n:32000000000000000000", #"a\"b=s:x\"y!"#, "n=null", "t=true", "o=nested", "e=n:-1.5e3"])
        #expect(members("{}").1 == nil && members("{}").0.isEmpty)
        for bad in ["", "[1]", #"{"a" 1}"#, #"{"a": 1"#, #"{"a": 1} x"#, #"{"a": nul}"#, #"{"a": {"b": 1}"#, #"{"a": "x}"#] {
            #expect(members(bad).1 != nil, "\(bad)")
        }
    }

    @Test func lineSplitterHandlesCRLFFinalLineAndGrowth() throws {
        var splitter = LineSplitter(maxLineBytes: 40, initialCapacity: 16)
        var source: any ByteSource = DripSource(Array("a\r\nbb\n\n\(String(repeating: "c", count: 30))\r\n\(String(repeating: "d", count: 50))\nlast\r".utf8), chunk: 5)
        var lines: [String] = []
        var atEnd = false
        while true {
            if let event = splitter.next() ?? (atEnd ? splitter.nextAtEnd() : nil) {
                switch event {
                case .line(let bytes, let number): lines.append("\(number):\(String(decoding: bytes, as: UTF8.self))")
                case .tooLong(let prefix, let length, let number): lines.append("\(number):long \(length) \(prefix.count)")
                }
                continue
            }
            if atEnd { break }
            atEnd = try !splitter.fill(from: &source)
        }
        #expect(lines == ["1:a", "2:bb", "3:", "4:" + String(repeating: "c", count: 30), "5:long 50 42", "6:last"])
        #expect(splitter.capacity <= 42)
    }

    @Test func hexParsingMatchesAccountKeyAndRejectsEveryBadCharacter() {
        var generator = SeededGenerator(seed: 11)
        let alphabet = Array("0123456789abcdefABCDEF".utf8)
        for _ in 0 ..< 200 {
            let address = Array("0x".utf8) + (0 ..< 40).map { _ in alphabet.randomElement(using: &generator)! }
            address.withUnsafeBytes { raw in
                #expect(_HexDecoding.accountKey(raw) == AccountKey(hexAddress: raw))
                #expect(_HexDecoding.accountKey(raw) != nil)
            }
        }
        let valid = Array("0x64a018b23b4d7a077dffa6723462bc722861c5ad".utf8)
        for position in 2 ..< 42 {
            for byte: UInt8 in [0, 0x2F, 0x3A, 0x40, 0x47, 0x60, 0x67, 0x7A, 0x80, 0xFF] {
                var broken = valid
                broken[position] = byte
                broken.withUnsafeBytes { raw in #expect(_HexDecoding.accountKey(raw) == nil) }
            }
        }
        for text in ["", "0x", "64a018b23b4d7a077dffa6723462bc722861c5ad00", "0x64a018b23b4d7a077dffa6723462bc722861c5a"] {
            Array(text.utf8).withUnsafeBytes { raw in #expect(_HexDecoding.accountKey(raw) == nil) }
        }
        let hash = "0x" + String(repeating: "0123456789abcdeF", count: 4)
        Array(hash.utf8).withUnsafeBytes { raw in #expect(_HexDecoding.isHash(raw)) }
        for position in 2 ..< 66 {
            var broken = Array(hash.utf8)
            broken[position] = UInt8(ascii: "g")
            broken.withUnsafeBytes { raw in #expect(!_HexDecoding.isHash(raw)) }
        }
        Array((hash + "0").utf8).withUnsafeBytes { raw in #expect(!_HexDecoding.isHash(raw)) }
    }
}
