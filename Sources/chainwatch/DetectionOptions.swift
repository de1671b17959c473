import ArgumentParser
import ChainwatchCore
import ChainwatchFeatures
import ChainwatchModels
import ChainwatchPipeline
import Foundation

/// Detector and model flags shared by `run` and `replay`, so both score exactly alike.
struct DetectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Model directory for the isolation forest + autoencoder ensemble. Default: Models/default if it exists, otherwise a model is trained on the first --warm-up-rows rows of the stream.",
        valueName: "dir"))
    var model: String?

    @Flag(help: "Score with the rule and typology detectors only (no ensemble model).")
    var noModels = false

    @Option(help: ArgumentHelp("Ensemble alert budget: the share of transactions that alert in steady state (0.001 = 1 in 1,000).", valueName: "rate"))
    var budget: Double = 0.001

    @Option(help: ArgumentHelp("Rows to train on when no model file exists.", valueName: "rows"))
    var warmUpRows: Int = 20_000

    @Option(help: ArgumentHelp("Retrain the ensemble every this many rows on recent rows that did not alert (0 = never).", valueName: "rows"))
    var retrainEvery: Int = 0

    @Option(help: ArgumentHelp("Seed for model training (warm-up and retraining).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Alert when a sender's amount z-score (log scale, vs its own decayed history) reaches this.", valueName: "z"))
    var zThreshold: Double = 4

    @Option(help: ArgumentHelp("Earlier transfers a sender needs before its amounts can alert.", valueName: "n"))
    var minHistory: Int = 5

    @Option(help: ArgumentHelp("JSON file with typology detector settings (which to enable, thresholds, windows); see README.", valueName: "file"))
    var typologyConfig: String?

    @Option(help: ArgumentHelp("Accounts whose state is kept; the least recently active are forgotten beyond this.", valueName: "n"))
    var maxAccounts: Int = 1_000_000

    @Flag(inversion: .prefixedNo, help: "Run the costliest typology detectors on a second thread beside the model (default: on with 2+ cores; alerts are the same either way).")
    var parallelDetectors: Bool = ProcessInfo.processInfo.activeProcessorCount > 1

    func validate() throws {
        guard budget > 0, budget < 1 else { throw ValidationError("--budget must be between 0 and 1 (e.g. 0.001).") }
        guard warmUpRows >= 256 else { throw ValidationError("--warm-up-rows must be at least 256.") }
        guard retrainEvery >= 0 else { throw ValidationError("--retrain-every must be 0 or more rows.") }
        guard zThreshold > 0 else { throw ValidationError("--z-threshold must be positive.") }
        guard minHistory >= 1 else { throw ValidationError("--min-history must be at least 1.") }
        guard maxAccounts >= 16 else { throw ValidationError("--max-accounts must be at least 16.") }
        if let model, !FileManager.default.fileExists(atPath: model) {
            throw ValidationError("no model directory at \(model)")
        }
    }

    /// The model directory to load: the flag, or `Models/default` when present.
    var resolvedModelPath: String? {
        if let model { return model }
        return FileManager.default.fileExists(atPath: "Models/default/model.json") ? "Models/default" : nil
    }

    func apply(to configuration: inout PipelineConfiguration) throws(ChainwatchError) {
        configuration.amountZScore.threshold = zThreshold
        configuration.amountZScore.minHistory = minHistory
        configuration.features.maxAccounts = maxAccounts
        configuration.amountZScore.maxAccounts = maxAccounts
        configuration.useModels = !noModels
        configuration.parallelDetectors = parallelDetectors
        configuration.modelPath = noModels ? nil : resolvedModelPath
        configuration.warmUpRows = warmUpRows
        configuration.model.budget = budget
        configuration.model.retrainEveryRows = retrainEvery
        configuration.model.training = ModelBundle.Configuration(seed: seed)
        if let typologyConfig {
            configuration.typologies = try TypologySuite.Configuration(jsonFile: typologyConfig)
        }
    }
}
