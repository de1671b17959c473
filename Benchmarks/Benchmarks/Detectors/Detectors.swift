// Typology detectors and the whole pipeline, one core, over the benchmark input (1 M rows by default).
//
// "Typologies": all nine typology detectors over pre-decoded batches whose features and account ids were
// computed in setup — only the detectors are measured. "End to end": `Pipeline.run()` exactly as
// `chainwatch run` does it (reader thread, features, every detector, the ensemble model, SQLite), reading the
// input from a temporary file; "End to end, rules only" leaves the ensemble out (`--no-models`).
import Benchmark
import BenchmarkData
import ChainwatchCore
import ChainwatchFeatures
import ChainwatchModels
import ChainwatchPipeline
import Foundation

let rowsPerSecond = BenchmarkMetric.custom("rows/s", polarity: .prefersLarger, useScalingFactor: false)
let alertsRaised = BenchmarkMetric.custom("alerts", polarity: .prefersSmaller, useScalingFactor: false)

let passConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .cpuTotal, .peakMemoryResident, rowsPerSecond, alertsRaised],
    timeUnits: .milliseconds, warmupIterations: 0, maxDuration: .seconds(60), maxIterations: 3
)

func elapsedSeconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

nonisolated(unsafe) var inputs: [DetectionInput] = []
nonisolated(unsafe) var inputPath = ""

/// The model the end-to-end benchmark loads: `CHAINWATCH_BENCH_MODEL`, else the repository's default model.
let modelPath: String? = {
    let candidate = ProcessInfo.processInfo.environment["CHAINWATCH_BENCH_MODEL"] ?? "../Models/default"
    return FileManager.default.fileExists(atPath: candidate + "/model.json") ? candidate : nil
}()

let benchmarks = {
    Benchmark("Typologies (all nine)", configuration: {
        var configuration = passConfiguration
        configuration.setup = {
            var engine = FeatureEngine(configuration: FeatureConfiguration())
            var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
            inputs = BenchmarkData.decodedBatches().map { batch in
                engine.process(batch, into: &features)
                return DetectionInput(batch: batch, features: features, fromIDs: engine.lastFromIDs, toIDs: engine.lastToIDs)
            }
            BenchmarkData.releaseBytes()
        }
        return configuration
    }()) { benchmark in
        var detectors = TypologySuite.makeDetectors(TypologySuite.Configuration())
        var alerts: [Alert] = []
        var rows = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for input in inputs {
            for index in detectors.indices { detectors[index].process(input, alerts: &alerts) }
            rows += input.batch.count
        }
        let seconds = elapsedSeconds(since: start)
        benchmark.stopMeasurement()
        benchmark.measurement(rowsPerSecond, Int(Double(rows) / seconds))
        benchmark.measurement(alertsRaised, alerts.count)
    }

    for (label, useModels) in [("End to end", true), ("End to end, rules only", false)] {
        Benchmark(label, configuration: {
            var configuration = passConfiguration
            configuration.setup = {
                inputs = []
                if let path = ProcessInfo.processInfo.environment["CHAINWATCH_BENCH_INPUT"] {
                    inputPath = path
                } else {
                    inputPath = FileManager.default.temporaryDirectory.appendingPathComponent("chainwatch-bench.csv").path
                    FileManager.default.createFile(atPath: inputPath, contents: Data(BenchmarkData.transactionBytes()))
                    BenchmarkData.releaseBytes()
                }
            }
            return configuration
        }()) { benchmark in
            let database = FileManager.default.temporaryDirectory
                .appendingPathComponent("chainwatch-bench-\(UUID().uuidString).db").path
            var configuration = PipelineConfiguration(inputs: [inputPath], databasePath: database)
            configuration.reorderWindowBlocks = 0
            configuration.useModels = useModels
            configuration.modelPath = modelPath
            let pipeline = Pipeline(configuration: configuration)
            pipeline.isInterrupted = { false }
            benchmark.startMeasurement()
            let start = ContinuousClock.now
            let summary: RunSummary
            do {
                summary = try pipeline.run()
            } catch {
                fatalError("pipeline failed: \(error)")
            }
            let seconds = elapsedSeconds(since: start)
            benchmark.stopMeasurement()
            benchmark.measurement(rowsPerSecond, Int(Double(summary.rowsRead) / seconds))
            benchmark.measurement(alertsRaised, Int(summary.alertsRaised))
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        }
    }
}
