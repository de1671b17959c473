import ArgumentParser
import ChainwatchCore
import ChainwatchFeatures
import ChainwatchModels
import ChainwatchPipeline
import Foundation

extension Chainwatch {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the isolation forest + autoencoder ensemble on history and save it as a model directory.",
            discussion: """
                Computes features exactly as `run` does, trains both models on up to --max-rows rows (the first \
                ones, in event order), calibrates them on held-out rows, and writes model.json + weights.bin to \
                --out. `run` and `replay` load Models/default unless --model names another directory.
                """
        )

        @OptionGroup var input: InputOptions

        @Option(name: [.short, .long], help: ArgumentHelp("Model directory to write (created if missing).", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("Rows to train on (the first ones in event order).", valueName: "rows"))
        var maxRows: Int = 200_000

        @Option(help: ArgumentHelp("Seed for subsampling, initialization and shuffling.", valueName: "n"))
        var seed: UInt64 = 1

        @Option(help: ArgumentHelp("Autoencoder training epochs.", valueName: "n"))
        var epochs: Int = 20

        @Flag(help: "Use the extended isolation forest (random hyperplane splits).")
        var extended = false

        @Option(help: ArgumentHelp("Accounts whose state is kept during feature computation.", valueName: "n"))
        var maxAccounts: Int = 1_000_000

        func validate() throws {
            guard maxRows >= 256 else { throw ValidationError("--max-rows must be at least 256.") }
            guard (1 ... 1000).contains(epochs) else { throw ValidationError("--epochs must be between 1 and 1000.") }
        }

        func run() throws {
            InterruptFlag.install()
            var configuration = input.pipelineConfiguration()
            configuration.features.maxAccounts = maxAccounts
            do {
                var values: [Float] = []
                var names: [String] = [], hash = ""
                let started = ContinuousClock.now
                try FeatureExtraction(configuration: configuration).run { _, features, catalogue in
                    names = catalogue.names
                    hash = catalogue.hash
                    let wanted = maxRows * features.dimensions - values.count
                    values.append(contentsOf: features.values.prefix(wanted))
                    return values.count < maxRows * features.dimensions
                }
                guard !names.isEmpty, values.count >= 256 * names.count else {
                    throw ChainwatchError(.invalidArgument, "need at least 256 transactions to train, got \(values.count / max(1, names.count))")
                }
                let matrix = FeatureMatrix(dimensions: names.count, values: values)
                var bundle = ModelBundle.train(
                    matrix, featureNames: names, catalogueHash: hash,
                    configuration: ModelBundle.Configuration(seed: seed, extendedForest: extended, epochs: epochs))
                let sources = input.inputs.isEmpty ? "stdin" : input.inputs.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
                bundle.trainingNote = "trained on \(matrix.rows) rows of \(sources); " + bundle.trainingNote
                try bundle.save(to: out)
                let elapsed = ContinuousClock.now - started
                Stderr.print("chainwatch: trained \(bundle.id) on \(matrix.rows) rows in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2)))) → \(out)")
                print(bundle.id)
            } catch let error as ChainwatchError {
                throw Stderr.failure(error)
            }
        }
    }
}
