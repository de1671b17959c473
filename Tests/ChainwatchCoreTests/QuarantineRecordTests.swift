import ChainwatchCore
import Testing

struct QuarantineRecordTests {
    @Test func cutsLongRowsAndShowsNulBytes() {
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 10_000_000)
        let record = QuarantineRecord(source: "x.csv", line: 7, rawBytes: long, reason: "too long")
        #expect(record.raw.utf8.count < QuarantineRecord.rawTextLimit + 32)
        #expect(record.raw.hasSuffix("…[10000000 bytes]"))

        let nul = QuarantineRecord(source: "x.csv", line: 8, rawBytes: [0x61, 0, 0x62], reason: "nul")
        #expect(nul.raw == "a\\0b")
    }
}
