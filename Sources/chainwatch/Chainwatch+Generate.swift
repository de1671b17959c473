import ArgumentParser
import ChainwatchCore
import ChainwatchIO
import ChainwatchPipeline
import Foundation

extension Chainwatch {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plant labelled laundering patterns into a real background stream, for backtests.",
            discussion: """
                Reads the background (default: the shipped 2017 sample), plants large out-of-profile transfers, \
                fan-outs, fan-ins, peel chains, pass-throughs and bursts into real blocks, and writes the merged \
                stream as ethereum-etl CSV plus a `hash,label,typology` label file. Deterministic for a seed.
                """
        )

        @Argument(help: ArgumentHelp("Background inputs (ethereum-etl CSV/JSONL, .lz4 ok).", valueName: "input"))
        var inputs: [String] = ["SampleStreams/ethereum/transactions_03300000_03302204_unordered.csv.lz4"]

        @Option(name: [.short, .long], help: ArgumentHelp("Where to write the merged stream (CSV).", valueName: "file"))
        var out: String

        @Option(help: ArgumentHelp("Where to write the labels (CSV: hash,label,typology).", valueName: "file"))
        var labelsOut: String

        @Option(help: ArgumentHelp("Seed for the planted patterns.", valueName: "n"))
        var seed: UInt64 = 1

        func run() throws {
            do throws(ChainwatchError) {
                var background: [Transaction] = []
                var batch = TxBatch()
                var quarantine: [QuarantineRecord] = []
                for path in inputs {
                    let reader = try TransactionReader(path: path)
                    while try reader.readBatch(into: &batch, maxRows: 4096, quarantine: &quarantine) {
                        for row in 0 ..< batch.count { background.append(batch[row]) }
                        batch.removeAll()
                    }
                }
                background.sort { ($0.blockNumber, $0.txIndex) < ($1.blockNumber, $1.txIndex) }
                let output = try LabelledStreamGenerator(seed: seed).generate(background: background)
                try LabelledStreamGenerator.writeCSV(transactions: output.transactions, to: out)
                try LabelledStreamGenerator.writeLabelsCSV(output.labels, to: labelsOut)
                let planted = output.instances.keys.sorted().map { "\(output.instances[$0]!) \($0)" }.joined(separator: ", ")
                Stderr.print("chainwatch: \(output.transactions.count) transactions (\(output.labels.count) planted: \(planted)) → \(out), labels → \(labelsOut)")
            } catch {
                throw Stderr.failure(error)
            }
        }
    }
}
