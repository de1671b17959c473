import ChainwatchCore
import ChainwatchFeatures
import ChainwatchIO
import ChainwatchModels
import Foundation

/// Everything a `run` or `replay` needs to know, as values (recorded in the `runs` table as JSON).
public struct PipelineConfiguration: Sendable {
    /// Paths to read in order; `-` is standard input.
    public var inputs: [String]
    /// `nil` = detect from the first line of each input.
    public var format: InputFormat?
    public var databasePath: String
    /// `run` or `replay`: what the `runs` table records.
    public var command: String = "run"
    /// Transactions per batch handed between stages.
    public var batchSize: Int = 4096
    /// Rows are held until the stream has moved this many blocks past them, then released in block order.
    public var reorderWindowBlocks: Int64 = 32
    public var maxLineBytes: Int = 4 << 20
    public var amountZScore: AmountZScoreDetector.Configuration = .init()
    public var typologies: TypologySuite.Configuration = .init()
    /// Feature engine settings (`maxAccounts` bounds per-account memory).
    public var features: FeatureConfiguration = .init()
    /// Score with the isolation forest + autoencoder ensemble.
    public var useModels: Bool = true
    /// A model directory to load; `nil` = train one on the first ``warmUpRows`` rows of the stream.
    public var modelPath: String?
    public var warmUpRows: Int = 20_000
    public var model: ModelDetector.Configuration = .init()
    /// Keep every row's scores (replay: metrics, report, `--scores`).
    public var recordScores: Bool = false
    /// Commit the alert transaction at least this often, so `alerts --follow` sees alerts promptly.
    public var commitEveryRows: Int = 5000
    public var commitEveryMilliseconds: Int = 250
    /// Print progress (rows/s) to stderr while running.
    public var showProgress: Bool = false
    /// Run the costliest typology detectors on a second thread, beside the model (same alerts either way).
    public var parallelDetectors: Bool = ProcessInfo.processInfo.activeProcessorCount > 1

    public init(inputs: [String], databasePath: String) {
        self.inputs = inputs.isEmpty ? ["-"] : inputs
        self.databasePath = databasePath
    }

    /// The settings that change results, as a JSON object with fixed key order.
    public var settingsJSON: String {
        var json = JSONObjectWriter()
        json.add("format", format?.rawValue ?? "auto")
        json.add("batch_size", batchSize)
        json.add("reorder_window_blocks", Int(reorderWindowBlocks))
        json.add("amount_zscore_threshold", amountZScore.threshold)
        json.add("amount_zscore_min_history", amountZScore.minHistory)
        json.add("amount_zscore_half_life_s", amountZScore.halfLifeSeconds)
        json.add("max_accounts", features.maxAccounts)
        json.add("typologies", rawJSON: JSONObjectWriter.array(typologies.enabled.map(JSONObjectWriter.quoted)))
        json.add("models", useModels)
        if useModels {
            json.add("model", modelPath ?? "warm-up")
            json.add("warm_up_rows", warmUpRows)
            json.add("budget", model.budget)
            json.add("retrain_every_rows", model.retrainEveryRows)
            json.add("seed", Int(model.training.forest.seed))
        }
        return json.finished()
    }
}
