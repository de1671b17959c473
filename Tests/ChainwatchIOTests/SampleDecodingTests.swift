import ChainwatchCore
import ChainwatchIO
import Foundation
import Testing
import _ChainwatchTestSupport

struct SampleDecodingTests {
    @Test func ethereumCSVSample() throws {
        let reader = try TransactionReader(path: Fixtures.ethereumCSV)
        let (batch, quarantine) = try TestInput.readAll(reader, maxRows: 100)
        #expect(reader.format == .ethereumTransactionsCSV)
        #expect(batch.count == 298)
        #expect(quarantine.isEmpty)
        #expect(reader.rowsDecoded == 298 && reader.rowsQuarantined == 0 && reader.linesRead == 299)

        let transfer = batch[1]
        #expect(transfer.hash == "0xec7cc4df1ff542793053335700f18d59c3f870e1e4820a42d558c76db832bd14")
        #expect(transfer.fromAddress == "0x64a018b23b4d7a077dffa6723462bc722861c5ad")
        #expect(transfer.toAddress == "0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b")
        #expect(transfer.valueRaw == "7400000000000000000")
        #expect(transfer.amount == 7.4)
        #expect(transfer.blockNumber == 17173049 && transfer.txIndex == 1 && transfer.blockTime == 1683029999)
        #expect(transfer.gasPrice == Float(80.969370967))
        #expect(transfer.flags == [.hasInput])
        #expect(transfer.line == 3 && transfer.source == Fixtures.ethereumCSV)
        #expect(transfer.from == AccountKey(hexAddress: "0x64a018b23b4d7a077dffa6723462bc722861c5ad"))

        let deposit = batch[135]
        #expect(deposit.hash == "0xcf08c55d27c2b1988c58517f7f2d027e0cb6412afd272b7abc7706ce72e5e354")
        #expect(deposit.valueRaw == "32000000000000000000")
        #expect(deposit.amount == 32.0)
        #expect(deposit.toAddress == "0x00000000219ab540356cbb839cbe05303d7705fa")
        #expect(deposit.blockNumber == 17173050 && deposit.txIndex == 19 && deposit.blockTime == 1683030011)

        let creation = batch[231]
        #expect(creation.hash == "0xf9e4ca8a940bd7f192dd12e75b32938f187e8098a41817a8e611448e22cca9cc")
        #expect(creation.fromAddress == "0x6cdeb3b685cdf7f2032040e9e8461a77bd9632a7")
        #expect(creation.toAddress == nil)
        #expect(creation.to == .none)
        #expect(creation.flags == [.contractCreation, .hasInput])
        #expect(creation.valueRaw == "0" && creation.amount == 0)
        #expect(batch.flags.filter { $0.contains(.contractCreation) }.count == 1)
    }

    @Test func csvBatchJSONLAndStreamJSONLAgree() throws {
        let csv = try TestInput.readAll(path: Fixtures.ethereumCSV)
        let jsonlReader = try TransactionReader(path: Fixtures.ethereumJSONL)
        let jsonl = try TestInput.readAll(jsonlReader)
        let streamReader = try TransactionReader(path: Fixtures.ethereumStreamJSONL)
        let stream = try TestInput.readAll(streamReader)
        #expect(jsonlReader.format == .ethereumTransactionsJSONL && streamReader.format == .ethereumTransactionsJSONL)
        #expect(jsonl.batch.count == 298 && stream.batch.count == 298)
        #expect(jsonl.quarantine.isEmpty && stream.quarantine.isEmpty)
        #expect(sameTransactions(csv.batch, jsonl.batch))
        #expect(sameTransactions(csv.batch, stream.batch))
        #expect(jsonl.batch.sourceLine.first == 1 && csv.batch.sourceLine.first == 2)
    }

    @Test func ethereumCSV2020Sample() throws {
        let (batch, quarantine) = try TestInput.readAll(path: Fixtures.ethereumCSV2020)
        #expect(batch.count == 199)
        #expect(quarantine.isEmpty)
        #expect(batch.hash[0] == "0x0dad6736f7b17d3cfc328e3e768f5f9137de4d739c72e809f8609af552a4683f")
        #expect(batch.valueRaw[0] == "24200000000000000")
        #expect(batch.flags[0] == [])
        #expect(batch.hash[198] == "0xe9c90b0137b59b740e50a5c5c8c8219586faa10827c964010cb33996b75a4127")
    }

    @Test func unorderedLZ4SampleWithCRLF() throws {
        let reader = try TransactionReader(path: Fixtures.ethereumUnorderedLZ4)
        let (batch, quarantine) = try TestInput.readAll(reader, maxRows: 4096)
        #expect(batch.count == 19_999)
        #expect(quarantine.isEmpty)
        #expect(batch.hash[0] == "0x5b4d26a7cda9a2547fc122688f656f3c5d152c876acf117b09f892f8e0e784a4")
        #expect(batch.hash[19_998] == "0xf797b2b3f978cfffa0f9b728679dbc73a7ddafe1d4d3a6b4aea28333624e16db")
        #expect(batch.blockNumber.min() == 3_300_000 && batch.blockNumber.max() == 3_302_204)
        // CR was stripped: the last column parsed, and no text column ends in "\r".
        #expect(!batch.valueRaw.bytes.contains(0x0D) && !batch.hash.bytes.contains(0x0D))
    }

    @Test func streamRecordsOtherThanTransactionsAreSkipped() throws {
        var lines = try String(contentsOfFile: Fixtures.ethereumStreamJSONL, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.insert(#"{"type": "block", "number": 17173049, "hash": "0xaa5ab9bb22d8020d438496a7edb4eff508b1c5128b0dc01fdecf57f96aac1bb3"}"#, at: 0)
        lines.insert(#"{"type": "log", "log_index": 0, "topics": ["0x1", "0x2"], "data": {"a": [1, {"b": "}"}]}}"#, at: 5)
        let reader = try TransactionReader(source: MemoryByteSource(Array(lines.joined(separator: "\n").utf8)), name: "stream")
        let (batch, quarantine) = try TestInput.readAll(reader)
        #expect(batch.count == 298)
        #expect(quarantine.isEmpty)
        #expect(reader.recordsSkipped == 2)
        #expect(reader.linesRead == 300)
    }
}
