import ArgumentParser
import ChainwatchIO
import ChainwatchPipeline
import Foundation

extension InputFormat: ExpressibleByArgument {}

/// Inputs and decoding flags shared by `run`, `replay`, `train` and `features`.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Inputs read in order: ethereum-etl transactions as CSV or JSON lines, plain or .lz4. '-' or none reads stdin.",
        valueName: "input"))
    var inputs: [String] = []

    @Option(help: "Input format instead of detecting it from the first line.")
    var format: InputFormat?

    @Option(help: ArgumentHelp(
        "Blocks to hold rows back so out-of-order exports are processed in block order. Rows further behind are processed late, at the newest event time. In-order streams (ethereumetl stream) get the same results with any window; 0 gives the lowest latency.",
        valueName: "blocks"))
    var reorderWindow: Int64 = 32

    @Option(help: ArgumentHelp("Transactions per batch between stages.", valueName: "rows"))
    var batchSize: Int = 4096

    /// A pipeline configuration with these inputs and decoding flags.
    func pipelineConfiguration(databasePath: String = "") -> PipelineConfiguration {
        var configuration = PipelineConfiguration(inputs: inputs, databasePath: databasePath)
        configuration.format = format
        configuration.reorderWindowBlocks = reorderWindow
        configuration.batchSize = batchSize
        return configuration
    }

    func validate() throws {
        guard reorderWindow >= 0 else { throw ValidationError("--reorder-window must be 0 or more blocks.") }
        guard (1 ... 1 << 20).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 1048576.") }
        for input in inputs where input != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw ValidationError("no such input file: \(input)")
            }
            guard !isDirectory.boolValue else { throw ValidationError("input is a directory: \(input)") }
            guard FileManager.default.isReadableFile(atPath: input) else {
                throw ValidationError("input is not readable: \(input)")
            }
        }
    }
}

/// Where alerts go.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("SQLite database for alerts, runs and quarantine (created if missing; its directory must exist).", valueName: "path"))
    var db: String = "alerts.db"
}
