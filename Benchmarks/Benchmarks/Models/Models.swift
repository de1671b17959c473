// Model scoring and training on one core.
//
// Rows are seeded standard-normal values, d = 40 (the standard feature catalogue's width), split into
// batches of 4096 rows as the pipeline scores them. Scoring: 1,000,000 rows per iteration, models trained
// on the first 100,000 rows in setup. Training: 100,000 rows per iteration, default configurations
// (isolation forest 100 trees × 256 samples; autoencoder 40-16-8-16-40 ReLU, 20 epochs, batch 256).
import Benchmark
import BenchmarkData
import ChainwatchCore
import ChainwatchModels

let rowsPerSecond = BenchmarkMetric.custom("rows/s", polarity: .prefersLarger, useScalingFactor: false)
let batchesMeasured = BenchmarkMetric.custom("batches measured", polarity: .prefersSmaller, useScalingFactor: false)

let dimensions = 40
let scoringRows = 1_000_000
let trainingRows = 100_000

func elapsedSeconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

nonisolated(unsafe) var scoringBatches: [FeatureMatrix] = []
nonisolated(unsafe) var trainingMatrix = FeatureMatrix(dimensions: dimensions)
nonisolated(unsafe) var forest: IsolationForest?
nonisolated(unsafe) var autoencoder: Autoencoder?

func loadScoringRows() {
    scoringBatches = BenchmarkData.gaussianBatches(rows: scoringRows, dimensions: dimensions, seed: 1)
    trainingMatrix = BenchmarkData.gaussianMatrix(rows: trainingRows, dimensions: dimensions, seed: 1)
}

/// Scores every pre-built batch once with `score`, reporting rows/s over the measured region.
func measureScoring(_ benchmark: Benchmark, _ score: (FeatureMatrix, inout [Float]) -> Void) {
    var scores: [Float] = []
    scores.reserveCapacity(BenchmarkData.batchRows)
    var rows = 0
    benchmark.startMeasurement()
    let start = ContinuousClock.now
    for batch in scoringBatches {
        score(batch, &scores)
        rows += batch.rows
        blackHole(scores.last)
    }
    let seconds = elapsedSeconds(since: start)
    benchmark.stopMeasurement()
    benchmark.measurement(rowsPerSecond, Int(Double(rows) / seconds))
    benchmark.measurement(batchesMeasured, scoringBatches.count)
}

let benchmarks = {
    let scoring = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, rowsPerSecond, batchesMeasured],
        timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 5
    )
    let training = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, rowsPerSecond],
        timeUnits: .milliseconds, warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 3
    )

    // MARK: Scoring 1 M rows.

    var forestScoring = scoring
    forestScoring.setup = {
        loadScoringRows()
        forest = IsolationForest.train(trainingMatrix, configuration: .init(trees: 100, sampleSize: 256, seed: 1))
    }
    Benchmark("IsolationForest score 1M", configuration: forestScoring) { benchmark in
        measureScoring(benchmark) { batch, scores in forest!.score(batch, into: &scores) }
    }

    var autoencoderScoring = scoring
    autoencoderScoring.setup = {
        loadScoringRows()
        // Scoring cost does not depend on the weights' values; one epoch keeps setup short.
        autoencoder = Autoencoder.train(trainingMatrix, configuration: .init(epochs: 1, seed: 1)).model
    }
    Benchmark("Autoencoder score 1M", configuration: autoencoderScoring) { benchmark in
        measureScoring(benchmark) { batch, scores in autoencoder!.score(batch, into: &scores) }
    }

    // MARK: Training on 100 k rows.

    var trainingSetup = training
    trainingSetup.setup = {
        trainingMatrix = BenchmarkData.gaussianMatrix(rows: trainingRows, dimensions: dimensions, seed: 1)
    }
    Benchmark("IsolationForest train 100k", configuration: trainingSetup) { benchmark in
        let start = ContinuousClock.now
        let model = IsolationForest.train(trainingMatrix, configuration: .init(trees: 100, sampleSize: 256, seed: 1))
        let seconds = elapsedSeconds(since: start)
        blackHole(model.treeCount)
        benchmark.measurement(rowsPerSecond, Int(Double(trainingRows) / seconds))
    }

    Benchmark("Autoencoder train 100k (20 epochs)", configuration: trainingSetup) { benchmark in
        let start = ContinuousClock.now
        let (model, losses) = Autoencoder.train(trainingMatrix, configuration: .init(epochs: 20, seed: 1))
        let seconds = elapsedSeconds(since: start)
        blackHole(model.parameters.count)
        blackHole(losses.last)
        benchmark.measurement(rowsPerSecond, Int(Double(trainingRows) / seconds))
    }
}
