import ArgumentParser
import ChainwatchCore
import ChainwatchFeatures
import ChainwatchPipeline
import Foundation

extension Chainwatch {
    struct Features: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every transaction's features as CSV (tx_hash, then one column per feature).",
            discussion: """
                The columns are the feature catalogue the models use, computed exactly as `run` computes them \
                (same event order, same state). Useful for inspection and for training your own models.
                """
        )

        @OptionGroup var input: InputOptions

        @Option(name: [.short, .long], help: ArgumentHelp("Write the CSV here instead of stdout.", valueName: "file"))
        var out: String?

        @Option(help: ArgumentHelp("Accounts whose state is kept; the least recently active are forgotten beyond this.", valueName: "n"))
        var maxAccounts: Int = 1_000_000

        @Flag(help: "Print only the feature names (one per line) and the catalogue hash.")
        var catalogue = false

        func run() throws {
            if catalogue {
                let standard = FeatureCatalogue.standard
                print(standard.names.joined(separator: "\n"))
                print("# catalogue \(standard.hash), \(standard.names.count) features")
                return
            }
            InterruptFlag.install()
            var configuration = input.pipelineConfiguration()
            configuration.features.maxAccounts = maxAccounts
            let output: FileHandle
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: nil) else {
                    Stderr.print("chainwatch: error: cannot write \(out)")
                    throw ExitCode(73)
                }
                output = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            } else {
                output = FileHandle.standardOutput
            }
            let writer = FeatureCSVWriter(catalogue: FeatureCatalogue.standard)
            do {
                try output.write(contentsOf: Data((writer.header + "\n").utf8))
                var text = ""
                let (_, statistics) = try FeatureExtraction(configuration: configuration).run { batch, features, _ throws(ChainwatchError) in
                    text.removeAll(keepingCapacity: true)
                    writer.appendRows(of: batch, features: features, to: &text)
                    do {
                        try output.write(contentsOf: Data(text.utf8))
                        return true
                    } catch {
                        // A closed stdout (`| head`) ends the command quietly; a failing file is an error.
                        guard out != nil else { return false }
                        throw ChainwatchError(.unreadableInput, "cannot write \(out ?? "-"): \(error)")
                    }
                }
                try output.close()
                Stderr.print("chainwatch: \(statistics.summary)")
            } catch let error as ChainwatchError {
                throw Stderr.failure(error)
            }
        }
    }
}
