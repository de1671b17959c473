import ChainwatchCore
@testable import ChainwatchPipeline
import Testing

struct BacktestLabelledStreamGeneratorTests {
    static let background = BacktestSampleStream.transactions
    static let output = try! LabelledStreamGenerator(seed: 2017).generate(background: background)
    static let blockNumbers = Set(background.map(\.blockNumber))

    @Test func sampleDecodes() {
        #expect(Self.background.count == 19_999)
    }

    @Test func deterministicForASeed() throws {
        let again = try LabelledStreamGenerator(seed: 2017).generate(background: Self.background)
        #expect(again.transactions == Self.output.transactions)
        #expect(again.labels == Self.output.labels)
        #expect(again.actors == Self.output.actors)
        let other = try LabelledStreamGenerator(seed: 2018).generate(background: Self.background)
        #expect(other.labels.map(\.hash) != Self.output.labels.map(\.hash))
    }

    @Test func plantsWhatWasAskedFor() {
        let output = Self.output
        #expect(output.instances == [
            "large_transfer": 40, "fan_out": 3, "fan_in": 3, "peel_chain": 5, "pass_through": 10, "burst": 2,
        ])
        var perTypology: [String: Int] = [:]
        for label in output.labels { perTypology[label.typology, default: 0] += 1 }
        #expect(perTypology["large_transfer"] == 40)
        #expect(perTypology["pass_through"] == 20)
        #expect((3 * 16 ... 3 * 41).contains(perTypology["fan_out"] ?? 0))
        #expect((3 * 20 ... 3 * 40).contains(perTypology["fan_in"] ?? 0))
        #expect((5 * 6 ... 5 * 9).contains(perTypology["peel_chain"] ?? 0))
        #expect((2 * 31 ... 2 * 61).contains(perTypology["burst"] ?? 0))
        #expect(output.transactions.count == Self.background.count + output.labels.count)
        let share = Double(output.labels.count) / Double(output.transactions.count)
        #expect(share > 0.01 && share < 0.02)
        // Fresh actors are distinct (23); a large-transfer sender drawn twice is one actor.
        #expect((23 + 30 ... 23 + 40).contains(output.actors.count))
        #expect(Set(output.actors.values) == Set(output.instances.keys))
    }

    @Test func plantedRowsAreUniqueLabelledAndInRealBlocks() {
        let output = Self.output
        let labelled = Set(output.labels.map(\.hash))
        #expect(labelled.count == output.labels.count)
        #expect(output.labels.allSatisfy { $0.label == 1 && $0.hash.utf8.count == 66 && $0.hash.hasPrefix("0x") })
        let backgroundHashes = Set(Self.background.map(\.hash))
        #expect(labelled.isDisjoint(with: backgroundHashes))
        var blockTime: [Int64: Int64] = [:]
        var lastRealIndex: [Int64: Int32] = [:]
        for tx in Self.background {
            blockTime[tx.blockNumber] = tx.blockTime
            lastRealIndex[tx.blockNumber] = max(lastRealIndex[tx.blockNumber] ?? -1, tx.txIndex)
        }
        let planted = output.transactions.filter { labelled.contains($0.hash) }
        #expect(planted.count == labelled.count)
        let isAddress = { (text: String) in
            text.utf8.count == 42 && text.hasPrefix("0x") && text.dropFirst(2).allSatisfy { "0123456789abcdef".contains($0) }
        }
        for tx in planted {
            #expect(blockTime[tx.blockNumber] == tx.blockTime)
            #expect(tx.txIndex > lastRealIndex[tx.blockNumber]!)
            #expect(DecimalAmount.parse(Array(tx.valueRaw.utf8), decimals: 18) == tx.amount && tx.amount > 0)
            #expect(tx.valueRaw.allSatisfy(\.isNumber) && !tx.valueRaw.hasPrefix("0"))
            #expect(isAddress(tx.fromAddress) && isAddress(tx.toAddress ?? ""))
            #expect(AccountKey(hexAddress: tx.fromAddress) == tx.from)
        }
    }

    @Test func outputIsSortedWithDistinctPositions() {
        let positions = Self.output.transactions.map { [$0.blockNumber, Int64($0.txIndex)] }
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
    }

    @Test func peelChainsForwardMostOfWhatArrives() {
        let peel = Set(Self.output.labels.filter { $0.typology == "peel_chain" }.map(\.hash))
        let hops = Self.output.transactions.filter { peel.contains($0.hash) }
        let byReceiver = Dictionary(hops.map { ($0.toAddress!, $0) }, uniquingKeysWith: { a, _ in a })
        var checked = 0
        for hop in hops {
            guard let incoming = byReceiver[hop.fromAddress] else { continue }
            let ratio = hop.amount / incoming.amount
            #expect(ratio > 0.849 && ratio < 0.981)
            // 1–3 block numbers later, or the first real block after that when the sample skips numbers.
            let gap = hop.blockNumber - incoming.blockNumber
            #expect(gap >= 1)
            #expect(gap <= 3 || !Self.blockNumbers.contains { $0 >= incoming.blockNumber + 3 && $0 < hop.blockNumber })
            checked += 1
        }
        #expect(checked == hops.count - 5)
    }

    @Test func patternsStayWithinTheirBlockSpans() {
        // Each fan-out / fan-in / burst instance spans at most 3 or 4 block numbers (plus skipped numbers).
        var spans: [String: (Int64, Int64)] = [:]
        let typology = Dictionary(uniqueKeysWithValues: Self.output.labels.map { ($0.hash, $0.typology) })
        for tx in Self.output.transactions {
            guard let kind = typology[tx.hash], ["fan_out", "burst", "fan_in"].contains(kind) else { continue }
            let actor = kind == "fan_in" ? tx.toAddress! : tx.fromAddress
            guard Self.output.actors[actor] == kind else { continue }
            let old = spans[actor] ?? (tx.blockNumber, tx.blockNumber)
            spans[actor] = (min(old.0, tx.blockNumber), max(old.1, tx.blockNumber))
        }
        #expect(spans.count == 3 + 3 + 2)
        for (_, span) in spans {
            let inStream = Self.blockNumbers.filter { $0 > span.0 && $0 <= span.1 }.count
            #expect(inStream <= 4)
        }
    }

    @Test func csvWriters() throws {
        let text = LabelledStreamGenerator.csvText(transactions: Array(Self.output.transactions.prefix(3)))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0] == "hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,input,block_timestamp,max_fee_per_gas,max_priority_fee_per_gas,transaction_type")
        #expect(lines[1].split(separator: ",", omittingEmptySubsequences: false).count == 15)
        let labelsText = LabelledStreamGenerator.labelsCSVText(Self.output.labels)
        let labels = try LabelSet(csvText: labelsText, source: "planted")
        #expect(labels.positiveTransactionLabelCount == Self.output.labels.count)
        let first = Self.output.labels[0]
        #expect(labels.category(txHash: first.hash, from: "", to: nil) == first.typology)
    }

    @Test func tooSmallBackgroundIsRejected() {
        #expect(throws: ChainwatchError.self) {
            try LabelledStreamGenerator().generate(background: Array(Self.background.prefix(50)))
        }
    }
}
