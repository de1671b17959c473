import ArgumentParser
import ChainwatchCore
import ChainwatchFeatures
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

        @OptionGroup var detection: DetectionOptions

        @Flag(help: "Print no progress or summary on stderr.")
        var quiet = false

        func run() throws {
            var configuration = input.pipelineConfiguration(databasePath: store.db)
            configuration.command = "run"
            try execute(quiet: quiet) { () throws(ChainwatchError) in
                try detection.apply(to: &configuration)
                return Pipeline(configuration: configuration)
            }
        }
    }
}

/// Runs a pipeline, prints its summary, and maps failures to one stderr line and an exit status.
///
/// - Returns: the pipeline after its run, for commands that report more (replay).
@discardableResult
func execute(quiet: Bool, _ makePipeline: () throws(ChainwatchError) -> Pipeline) throws -> Pipeline {
    InterruptFlag.install()
    do {
        let pipeline = try makePipeline()
        let progress = ProgressLine(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        pipeline.onProgress = { summary, block, fraction in progress.update(summary, block: block, fractionRead: fraction) }
        pipeline.onWarmUp = { rows in
            if !quiet { Stderr.print("chainwatch: no model file; training the ensemble on the first \(rows) rows (warm-up)") }
        }
        let summary = try pipeline.run()
        progress.clear()
        if !quiet {
            Stderr.print(summary.line)
            if let accounts = pipeline.featureStatistics { Stderr.print("chainwatch: \(accounts.summary)") }
            if let ids = pipeline.modelIDs.last { Stderr.print("chainwatch: model \(ids)") }
        }
        if summary.status == "interrupted" { throw ExitCode(130) }
        return pipeline
    } catch let error as ChainwatchError {
        throw Stderr.failure(error)
    }
}
