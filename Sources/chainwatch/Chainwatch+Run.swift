import ArgumentParser
import ChainwatchCore
import ChainwatchModels
import ChainwatchPipeline
import Foundation

extension Chainwatch {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score a transaction stream and write alerts to SQLite.",
            discussion: """
                Reads each input in order (stdin when none is given), scores every transaction in block order and \
                writes alerts to the database as it goes (committed at least every 250 ms). Re-running the same \
                input adds no duplicate alerts. Ctrl-C commits what has been scored and exits with status 130.
                """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var store: StoreOptions

        @Option(help: ArgumentHelp("Alert when a sender's amount z-score (log scale, vs its own decayed history) reaches this.", valueName: "z"))
        var zThreshold: Double = 4

        @Option(help: ArgumentHelp("Earlier transfers a sender needs before its amounts can alert.", valueName: "n"))
        var minHistory: Int = 5

        @Flag(help: "Print no progress or summary on stderr.")
        var quiet = false

        func validate() throws {
            guard zThreshold > 0 else { throw ValidationError("--z-threshold must be positive.") }
            guard minHistory >= 1 else { throw ValidationError("--min-history must be at least 1.") }
        }

        func run() throws {
            var configuration = PipelineConfiguration(inputs: input.inputs, databasePath: store.db)
            configuration.command = "run"
            configuration.format = input.format
            configuration.reorderWindowBlocks = input.reorderWindow
            configuration.batchSize = input.batchSize
            configuration.amountZScore.threshold = zThreshold
            configuration.amountZScore.minHistory = minHistory
            try execute(configuration, quiet: quiet)
        }
    }
}

/// Runs a pipeline, prints its summary, and maps failures to one stderr line and an exit status.
func execute(_ configuration: PipelineConfiguration, quiet: Bool) throws {
    InterruptFlag.install()
    let pipeline = Pipeline(configuration: configuration)
    let progress = ProgressLine(enabled: !quiet && isatty(STDERR_FILENO) == 1)
    pipeline.onProgress = { summary, block in progress.update(summary, block: block) }
    do {
        let summary = try pipeline.run()
        progress.clear()
        if !quiet { Stderr.print(summary.line) }
        if summary.status == "interrupted" { throw ExitCode(130) }
    } catch let error as ChainwatchError {
        progress.clear()
        Stderr.print("chainwatch: error: \(error)")
        throw ExitCode(error.code.exitStatus)
    }
}
