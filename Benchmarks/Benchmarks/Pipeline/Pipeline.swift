// Decode and feature throughput over the whole benchmark input (1 M rows by default), one core.
//
// Each iteration is one full pass; "rows/s" is rows of that pass over its wall time. The "steady" variants
// measure only the tail of the pass (last 1/2 or last 1/8, after the reader's buffers, the batch columns and
// the feature engine's account arrays have grown), so mallocCountTotal / "batches measured" is the
// steady-state allocations per 4096-row batch. Read it from a run with `--metric mallocCountTotal` alone:
// with the default metric set the harness's own sampling allocates inside the region ("Harness (empty region)").
import Benchmark
import BenchmarkData
import ChainwatchCore
import ChainwatchFeatures
import ChainwatchIO

let rowsPerSecond = BenchmarkMetric.custom("rows/s", polarity: .prefersLarger, useScalingFactor: false)
let batchesMeasured = BenchmarkMetric.custom("batches measured", polarity: .prefersSmaller, useScalingFactor: false)
let bytesPerAccount = BenchmarkMetric.custom("bytes/account", polarity: .prefersSmaller, useScalingFactor: false)
/// Throughput of the unmeasured warm-up part in the "steady" variants (same clock), for comparison.
let firstPartRowsPerSecond = BenchmarkMetric.custom("rows/s warm-up part", polarity: .prefersLarger, useScalingFactor: false)

let passConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, rowsPerSecond, batchesMeasured],
    timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 5
)

func configuration(extra: [BenchmarkMetric] = [], setup: @escaping Benchmark.BenchmarkSetupHook) -> Benchmark.Configuration {
    var configuration = passConfiguration
    configuration.metrics += extra
    configuration.setup = setup
    return configuration
}

func elapsedSeconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func openReader(_ bytes: [UInt8]) -> TransactionReader {
    do {
        return try TransactionReader(source: MemoryByteSource(bytes), name: "bench")
    } catch {
        fatalError("cannot open the benchmark input: \(error)")
    }
}

/// Reads one batch (cleared first) into `batch`; false at the end of the input.
@inline(__always)
func read(_ reader: TransactionReader, into batch: inout TxBatch, quarantine: inout [QuarantineRecord]) -> Bool {
    batch.removeAll()
    quarantine.removeAll(keepingCapacity: true)
    do {
        return try reader.readBatch(into: &batch, maxRows: BenchmarkData.batchRows, quarantine: &quarantine)
    } catch {
        fatalError("decode failed: \(error)")
    }
}

nonisolated(unsafe) var inputBytes: [UInt8] = []
nonisolated(unsafe) var batches: [TxBatch] = []
nonisolated(unsafe) var batchCount = 0

let benchmarks = {
    // MARK: Harness: what the harness itself counts in an empty measured region.

    Benchmark("Harness (empty region)", configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], maxIterations: 5)) { benchmark in
        benchmark.startMeasurement()
        blackHole(ContinuousClock.now)
        benchmark.stopMeasurement()
    }

    // MARK: Parse: decode only.

    // The whole pass ("Parse"), and steady state: warm up on the first part of the input, measure only the
    // tail (last 1/2, last 1/8).
    for (label, tailDivisor) in [(nil, 1), ("2nd half", 2), ("last 8th", 8)] as [(String?, Int)] {
        let name = label.map { "Parse steady (\($0))" } ?? "Parse"
        let extra = label == nil ? [] : [firstPartRowsPerSecond]
        Benchmark(name, configuration: configuration(extra: extra) { inputBytes = BenchmarkData.transactionBytes() }) { benchmark in
            let reader = openReader(inputBytes)
            var batch = TxBatch(capacity: BenchmarkData.batchRows)
            var quarantine: [QuarantineRecord] = []
            if tailDivisor > 1 {
                let warmBytes = Int64(inputBytes.count - inputBytes.count / tailDivisor)
                let warmStart = ContinuousClock.now
                while reader.bytesConsumed < warmBytes, read(reader, into: &batch, quarantine: &quarantine) {}
                benchmark.measurement(firstPartRowsPerSecond, Int(Double(reader.rowsDecoded) / elapsedSeconds(since: warmStart)))
            }
            let rowsBefore = reader.rowsDecoded
            var count = 0
            benchmark.startMeasurement()
            let start = ContinuousClock.now
            while read(reader, into: &batch, quarantine: &quarantine) {
                count += 1
                blackHole(batch.count)
            }
            let seconds = elapsedSeconds(since: start)
            benchmark.stopMeasurement()
            benchmark.measurement(rowsPerSecond, Int(Double(reader.rowsDecoded - rowsBefore) / seconds))
            benchmark.measurement(batchesMeasured, count)
        }
    }

    // MARK: Features: the feature engine alone over pre-decoded batches.

    let decoded: Benchmark.BenchmarkSetupHook = {
        batches = BenchmarkData.decodedBatches()
        BenchmarkData.releaseBytes()
    }

    // The whole pass ("Features", with the memory per account at its end) and the steady-state tails.
    for (label, tailDivisor) in [(nil, 1), ("2nd half", 2), ("last 8th", 8)] as [(String?, Int)] {
        let name = label.map { "Features steady (\($0))" } ?? "Features"
        let extra = label == nil ? [bytesPerAccount] : [firstPartRowsPerSecond]
        Benchmark(name, configuration: configuration(extra: extra, setup: decoded)) { benchmark in
            var engine = FeatureEngine(configuration: FeatureConfiguration())
            var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
            let warm = batches.count - batches.count / tailDivisor
            if warm > 0 {
                let warmStart = ContinuousClock.now
                var warmRows = 0
                for batch in batches[..<warm] {
                    engine.process(batch, into: &features)
                    warmRows += batch.count
                }
                benchmark.measurement(firstPartRowsPerSecond, Int(Double(warmRows) / elapsedSeconds(since: warmStart)))
            }
            var rows = 0
            benchmark.startMeasurement()
            let start = ContinuousClock.now
            for batch in batches[warm...] {
                engine.process(batch, into: &features)
                rows += batch.count
                blackHole(features.values.last)
            }
            let seconds = elapsedSeconds(since: start)
            benchmark.stopMeasurement()
            benchmark.measurement(rowsPerSecond, Int(Double(rows) / seconds))
            benchmark.measurement(batchesMeasured, batches.count - warm)
            if label == nil { benchmark.measurement(bytesPerAccount, Int(engine.statistics.bytesPerAccount.rounded())) }
        }
    }

    // MARK: Decode + Features, end to end on one core.

    Benchmark("Decode+Features", configuration: configuration(extra: [bytesPerAccount]) { inputBytes = BenchmarkData.transactionBytes() }) { benchmark in
        let reader = openReader(inputBytes)
        var batch = TxBatch(capacity: BenchmarkData.batchRows)
        var quarantine: [QuarantineRecord] = []
        var engine = FeatureEngine(configuration: FeatureConfiguration())
        var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
        var count = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        while read(reader, into: &batch, quarantine: &quarantine) {
            engine.process(batch, into: &features)
            count += 1
            blackHole(features.values.last)
        }
        let seconds = elapsedSeconds(since: start)
        benchmark.stopMeasurement()
        benchmark.measurement(rowsPerSecond, Int(Double(reader.rowsDecoded) / seconds))
        benchmark.measurement(batchesMeasured, count)
        benchmark.measurement(bytesPerAccount, Int(engine.statistics.bytesPerAccount.rounded()))
    }
}
