import ChainwatchCore
@testable import ChainwatchPipeline
import Testing

struct BacktestLabelSetTests {
    @Test func transactionLabels() throws {
        let text = "hash,label,typology\r\n0xAA,1,peel_chain\r\n0xbb,benign,\r\n0xcc,Fraud,\r\n0xdd,,x\r\n"
        let labels = try LabelSet(csvText: text, source: "tx.csv")
        #expect(labels.isPositive(txHash: "0xaa", from: "0x1", to: nil))
        #expect(!labels.isPositive(txHash: "0xbb", from: "0x1", to: nil))
        #expect(labels.isPositive(txHash: "0xCC", from: "0x1", to: "0x2"))
        #expect(!labels.isPositive(txHash: "0xdd", from: "0x1", to: nil))
        #expect(!labels.isPositive(txHash: "0xee", from: "0x1", to: nil))
        #expect(labels.category(txHash: "0xaa", from: "", to: nil) == "peel_chain")
        #expect(labels.transactionLabelCount == 4 && labels.positiveTransactionLabelCount == 2)
        #expect(labels.rows.first == LabelSet.Row(
            subject: "0xaa", kind: .transaction, isPositive: true, rawLabel: "1", category: "peel_chain", source: "tx.csv"
        ))
    }

    @Test func addressLabels() throws {
        let text = "address,label,category\n0xAbC,malicious,mixer\n0xdef,0,exchange\n"
        let labels = try LabelSet(csvText: text, source: "addr.csv")
        #expect(labels.positiveAddresses == ["0xabc"])
        #expect(labels.isPositive(txHash: "0x1", from: "0xABC", to: "0xdef"))
        #expect(labels.isPositive(txHash: "0x1", from: "0x9", to: "0xabc"))
        #expect(!labels.isPositive(txHash: "0x1", from: "0xdef", to: "0x9"))
        #expect(labels.category(txHash: "0x1", from: "0xdef", to: "0xabc") == "mixer")
        #expect(labels.category(txHash: "0x1", from: "0xdef", to: "0x9") == "exchange")
        #expect(labels.rows.map(\.kind) == [.address, .address])
    }

    @Test func etherscanTagsWithQuotedFields() throws {
        let text = #"""
            address,name,family,type,website,token_market_cap,token_num_holders,tx_count,balance
            0x1111111111111111111111111111111111111111,"Fake_Phishing, ""X""",phish-hack,account,,,,3,"1,234.5"
            0x2222222222222222222222222222222222222222,Upbit Hacker 1,upbit-hack,account,,,,10,0
            0x3333333333333333333333333333333333333333, Binance 7,exchange,account,,"$1,000","2,000",5,0
            0x3333333333333333333333333333333333333333,,cryptopia-hack,account,,,,5,0
            0x4444444444444444444444444444444444444444,,token-contract,account,,,,1,0
            """#
        let labels = try LabelSet(csvText: text, source: "etherscan_tags.csv")
        #expect(labels.positiveAddresses == [
            "0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222",
            "0x3333333333333333333333333333333333333333",
        ])
        // The repeated address is positive through its second row and takes that row's family.
        #expect(labels.category(txHash: "0x0", from: "0x3333333333333333333333333333333333333333", to: nil) == "cryptopia-hack")
        #expect(labels.category(txHash: "0x0", from: "0x4444444444444444444444444444444444444444", to: nil) == "token-contract")
        #expect(labels.addressLabelCount == 4 && labels.positiveAddressCount == 3)
        #expect(labels.rows.count == 5 && labels.rows.allSatisfy { $0.rawLabel == nil })
        #expect(labels.positiveCategoryCounts.map(\.category) == ["cryptopia-hack", "phish-hack", "upbit-hack"])
    }

    @Test func mergeCombinesFiles() throws {
        var labels = try LabelSet(csvText: "hash,label\n0xa,1\n", source: "a")
        labels.merge(try LabelSet(csvText: "address,label\n0xb,yes\n", source: "b"))
        #expect(labels.isPositive(txHash: "0xa", from: "", to: nil))
        #expect(labels.isPositive(txHash: "0xz", from: "0xb", to: nil))
        #expect(labels.rows.map(\.source) == ["a", "b"])
    }

    @Test func badHeaderIsAnError() {
        #expect(throws: ChainwatchError.self) { try LabelSet(csvText: "foo,bar\n1,2\n", source: "x.csv") }
        do {
            _ = try LabelSet(csvText: "hash,typology\n0x1,y\n", source: "x.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .badHeader)
        }
        #expect(throws: ChainwatchError.self) { try LabelSet(csvText: "", source: "empty.csv") }
    }

    @Test func byteOrderMarkAndSynonymHeaders() throws {
        let labels = try LabelSet(csvText: "\u{FEFF}tx_hash,is_malicious,category\n0xab,TRUE,drainer\n", source: "bom.csv")
        #expect(labels.isPositive(txHash: "0xAB", from: "", to: nil))
        #expect(labels.category(txHash: "0xab", from: "", to: nil) == "drainer")
        #expect(LabelSet.isPositiveCategory("Fake-Phishing123") && !LabelSet.isPositiveCategory("exchange"))
    }

    @Test func csvReaderHandlesQuotes() {
        #expect(CSVRecordReader.records(in: "a,\"b,c\"\r\n\n1,\"x\"\"y\",\n") == [["a", "b,c"], ["1", "x\"y", ""]])
    }
}
