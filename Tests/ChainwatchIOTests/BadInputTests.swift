import ChainwatchCore
@testable import ChainwatchIO
import Foundation
import Testing
import _ChainwatchTestSupport

struct BadInputTests {
    static let header = "hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,input,block_timestamp,max_fee_per_gas,max_priority_fee_per_gas,transaction_type"

    static func row(_ n: Int, from: String = "0x64a018b23b4d7a077dffa6723462bc722861c5ad", value: String = "7400000000000000000") -> String {
        let hash = "0x" + String(repeating: String(n % 10), count: 64)
        return "\(hash),93,0xaa5ab9bb22d8020d438496a7edb4eff508b1c5128b0dc01fdecf57f96aac1bb3,17173049,\(n),\(from),0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b,\(value),180817,80969370967,0x,1683029999,,,2"
    }

    static func read(_ text: String, maxLineBytes: Int = 4 << 20) throws -> (TransactionReader, TxBatch, [QuarantineRecord]) {
        let reader = try TransactionReader(source: MemoryByteSource(Array(text.utf8)), name: "bad.csv", maxLineBytes: maxLineBytes)
        let (batch, quarantine) = try TestInput.readAll(reader)
        return (reader, batch, quarantine)
    }

    @Test func badCSVRowsAreQuarantinedAndTheStreamGoesOn() throws {
        let lines = [
            Self.header,                                            // 1
            Self.row(1),                                            // 2 ok
            Self.row(2) + ",extra",                                 // 3
            Self.row(3, from: "0x64a018b23b4d7a077dffa6723462bc722861c5zz"), // 4
            Self.row(4, value: "12.5"),                             // 5
            Self.row(5).replacingOccurrences(of: ",93,", with: ",9\u{0}3,"), // 6
            Self.row(6),                                            // 7 ok
            Self.row(7).replacingOccurrences(of: "0x77777777", with: "0xQ7777777"), // 8
            Self.row(8).replacingOccurrences(of: "17173049", with: "-1"),      // 9
            Self.row(9, value: String(repeating: "9", count: 79)), // 10
            "",                                                     // 11 blank
            Self.row(0),                                            // 12 ok, no final newline
        ]
        let (reader, batch, quarantine) = try Self.read(lines.joined(separator: "\n"))
        #expect(batch.count == 3)
        #expect(batch.sourceLine == [2, 7, 12])
        #expect(batch.txIndex == [1, 6, 0])
        #expect(quarantine.map(\.line) == [3, 4, 5, 6, 8, 9, 10])
        #expect(quarantine.map(\.reason) == [
            "wrong field count: expected 15, got 16",
            "from_address is not a 20-byte hex address",
            "value is not a decimal integer of at most 78 digits",
            "NUL byte in row",
            "hash is not 0x + 64 hex digits",
            "block_number is not a decimal integer",
            "value is not a decimal integer of at most 78 digits",
        ])
        #expect(quarantine.allSatisfy { $0.source == "bad.csv" })
        #expect(quarantine[3].raw.contains("9\\03"))
        #expect(reader.rowsQuarantined == 7 && reader.rowsDecoded == 3 && reader.linesRead == 12)
    }

    @Test func quotedCSVFieldsAndColumnSubsetsInAnyOrder() throws {
        let text = """
            "value","to_address","hash","block_timestamp","from_address","block_number"\r
            "32000000000000000000","",0x\(String(repeating: "a", count: 64)),"1683030011",0x5a0036bcab4501e70f086c634e2958a8beae3a11,17173050\r
            "1","0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b","0x\(String(repeating: "b", count: 64))",1,0x5a0036bcab4501e70f086c634e2958a8beae3a11,"2
            """
        let (_, batch, quarantine) = try Self.read(text)
        #expect(batch.count == 1)
        #expect(batch[0].valueRaw == "32000000000000000000" && batch[0].amount == 32)
        #expect(batch[0].flags == [.contractCreation] && batch[0].txIndex == 0 && batch[0].gasPrice == 0)
        #expect(quarantine.map(\.reason) == ["malformed quoted field"])
    }

    @Test func badJSONRowsAreQuarantined() throws {
        let good = #"{"hash": "0x\#(String(repeating: "c", count: 64))", "block_number": 5, "transaction_index": 2, "from_address": "0x64a018b23b4d7a077dffa6723462bc722861c5ad", "to_address": null, "value": "100", "block_timestamp": 7}"#
        let lines = [
            good,
            #"{"hash": "0x1", "block_number": 5}"#,
            good.replacingOccurrences(of: "\"value\": \"100\"", with: "\"value\": 1e5"),
            String(good.dropLast()),
            good.replacingOccurrences(of: "\"to_address\": null", with: "\"to_address\": \"0x12\""),
            good.replacingOccurrences(of: "\"block_timestamp\": 7", with: "\"block_timestamp\": \"x\""),
            good.replacingOccurrences(of: "\"from_address\"", with: "\"other\""),
            good,
        ]
        let (_, batch, quarantine) = try Self.read(lines.joined(separator: "\n") + "\n")
        #expect(batch.count == 2)
        #expect(batch[0].flags == [.contractCreation] && batch[0].toAddress == nil && batch[0].valueRaw == "100")
        #expect(quarantine.map(\.line) == [2, 3, 4, 5, 6, 7])
        #expect(quarantine[0].reason == "hash is not 0x + 64 hex digits")
        #expect(quarantine[1].reason == "value is not a decimal integer of at most 78 digits")
        #expect(quarantine[2].reason.hasPrefix("invalid JSON: "))
        #expect(quarantine[3].reason == "to_address is not a 20-byte hex address")
        #expect(quarantine[4].reason == "block_timestamp is not a decimal integer")
        #expect(quarantine[5].reason == "missing from_address")
    }

    @Test func tenMegabyteLineIsSkippedWithoutBuffering() throws {
        let huge = String(repeating: "x", count: 10_000_000)
        let text = [Self.header, Self.row(1), huge, Self.row(2)].joined(separator: "\r\n") + "\r\n" + huge
        let reader = try TransactionReader(source: DripSource(Array(text.utf8), maxChunk: 1 << 20, seed: 1), name: "big.csv")
        let (batch, quarantine) = try TestInput.readAll(reader)
        #expect(batch.count == 2 && batch.sourceLine == [2, 4])
        #expect(quarantine.map(\.line) == [3, 5])
        #expect(quarantine.map(\.reason) == ["line longer than 4194304 bytes", "line longer than 4194304 bytes"])
        #expect(quarantine[0].raw.hasSuffix("…[10000000 bytes]") && quarantine[1].raw.hasSuffix("…[10000000 bytes]"))
        #expect(quarantine[0].raw.hasPrefix(String(repeating: "x", count: 4096) + "…"))
        #expect(reader.bufferCapacity <= (4 << 20) + 2)

        let (smallReader, smallBatch, smallQuarantine) = try Self.read([Self.header, huge, Self.row(3)].joined(separator: "\n"), maxLineBytes: 1000)
        #expect(smallBatch.count == 1 && smallBatch.sourceLine == [3])
        #expect(smallQuarantine.map(\.reason) == ["line longer than 1000 bytes"])
        #expect(smallQuarantine.map(\.line) == [2])
        #expect(smallReader.bufferCapacity <= 1002)
    }

    @Test func unknownFormatNamesTheAcceptedFormats() throws {
        let error = #expect(throws: ChainwatchError.self) { _ = try Self.read("just some text\nmore\n") }
        #expect(error?.code == .unknownFormat)
        #expect(error?.message.contains("ethereum-csv, ethereum-jsonl") == true)
    }

    @Test func missingRequiredColumnsAreNamed() throws {
        let error = #expect(throws: ChainwatchError.self) { _ = try Self.read("hash,nonce,block_number,from_address,gas\n") }
        #expect(error?.code == .badHeader)
        #expect(error?.message.contains("to_address, value, block_timestamp") == true)
    }

    @Test func missingFileNamesThePath() throws {
        let path = "/nonexistent/chainwatch/tx.csv"
        let error = #expect(throws: ChainwatchError.self) { _ = try TransactionReader(path: path) }
        #expect(error?.code == .unreadableInput)
        #expect(error?.message.contains(path) == true)
    }

    @Test func directoryIsUnreadableOnFirstRead() throws {
        let directory = Fixtures.makeTemporaryDirectory("dir")
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = #expect(throws: ChainwatchError.self) { _ = try TestInput.readAll(path: directory.path) }
        #expect(error?.code == .unreadableInput)
        #expect(error?.message.contains(directory.path) == true)
    }

    @Test func emptyInputGivesNoRowsAndNoError() throws {
        for text in ["", "\n\n", "\r\n"] {
            let (reader, batch, quarantine) = try Self.read(text)
            #expect(batch.isEmpty && quarantine.isEmpty && reader.format == nil)
        }
    }

    @Test func byteOrderMarkIsIgnored() throws {
        for path in [Fixtures.ethereumCSV, Fixtures.ethereumJSONL] {
            let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + TestInput.bytes(path: path)
            let (batch, quarantine) = try TestInput.readAll(MemoryByteSource(bytes))
            #expect(batch.count == 298 && quarantine.isEmpty, "\(path)")
        }
    }
}
