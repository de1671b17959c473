// Decode and feature throughput over the whole benchmark input (1 M rows by default), one core.
//
// Each iteration is one full pass; "rows/s" is rows of that pass over its wall time. The "steady" variants
// measure only the second half of the pass (after the reader's buffers, the batch columns and the feature
// engine's account arrays have grown), so their mallocCountTotal divided by their batch count is the
// steady-state allocations per 4096-row batch.
import Benchmark
import BenchmarkData
import ChainwatchCore
import ChainwatchFeatures
import ChainwatchIO

let rowsPerSecond = BenchmarkMetric.custom("rows/s", polarity: .prefersLarger, useScalingFactor: false)
let batchesMeasured = BenchmarkMetric.custom("batches measured", polarity: .prefersSmaller, useScalingFactor: false)
let bytesPerAccount = BenchmarkMetric.custom("bytes/account", polarity: .prefersSmaller, useScalingFactor: false)

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
    // MARK: Parse: decode only.

    Benchmark("Parse", configuration: configuration { inputBytes = BenchmarkData.transactionBytes() }) { benchmark in
        let reader = openReader(inputBytes)
        var batch = TxBatch(capacity: BenchmarkData.batchRows)
        var quarantine: [QuarantineRecord] = []
        var count = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        while read(reader, into: &batch, quarantine: &quarantine) {
            count += 1
            blackHole(batch.count)
        }
        let seconds = elapsedSeconds(since: start)
        benchmark.stopMeasurement()
        benchmark.measurement(rowsPerSecond, Int(Double(reader.rowsDecoded) / seconds))
        benchmark.measurement(batchesMeasured, count)
    }

    Benchmark("Parse steady (2nd half)", configuration: configuration { inputBytes = BenchmarkData.transactionBytes() }) { benchmark in
        let reader = openReader(inputBytes)
        var batch = TxBatch(capacity: BenchmarkData.batchRows)
        var quarantine: [QuarantineRecord] = []
        let halfBytes = Int64(inputBytes.count / 2)
        while reader.bytesConsumed < halfBytes, read(reader, into: &batch, quarantine: &quarantine) {}
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

    // MARK: Features: the feature engine alone over pre-decoded batches.

    let decoded: Benchmark.BenchmarkSetupHook = {
        batches = BenchmarkData.decodedBatches()
        BenchmarkData.releaseBytes()
    }

    Benchmark("Features", configuration: configuration(extra: [bytesPerAccount], setup: decoded)) { benchmark in
        var engine = FeatureEngine(configuration: FeatureConfiguration())
        var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
        var rows = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for batch in batches {
            engine.process(batch, into: &features)
            rows += batch.count
            blackHole(features.values.last)
        }
        let seconds = elapsedSeconds(since: start)
        benchmark.stopMeasurement()
        benchmark.measurement(rowsPerSecond, Int(Double(rows) / seconds))
        benchmark.measurement(batchesMeasured, batches.count)
        benchmark.measurement(bytesPerAccount, Int(engine.statistics.bytesPerAccount.rounded()))
    }

    Benchmark("Features steady (2nd half)", configuration: configuration(setup: decoded)) { benchmark in
        var engine = FeatureEngine(configuration: FeatureConfiguration())
        var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
        let half = batches.count / 2
        for batch in batches[..<half] { engine.process(batch, into: &features) }
        var rows = 0
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        for batch in batches[half...] {
            engine.process(batch, into: &features)
            rows += batch.count
            blackHole(features.values.last)
        }
        let seconds = elapsedSeconds(since: start)
        benchmark.stopMeasurement()
        benchmark.measurement(rowsPerSecond, Int(Double(rows) / seconds))
        benchmark.measurement(batchesMeasured, batches.count - half)
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
