// AlertStore insert throughput: 100,000 alerts in batches of 4096 into a fresh SQLite file (WAL, the
// store's own pragmas and indexes), committing when due as the pipeline does, plus a final commit.
import Benchmark
import BenchmarkData
import ChainwatchCore
import ChainwatchStore
import Foundation

let alertsPerSecond = BenchmarkMetric.custom("alerts/s", polarity: .prefersLarger, useScalingFactor: false)
let alertCount = 100_000

func elapsedSeconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

nonisolated(unsafe) var alertBatches: [[Alert]] = []

let benchmarks = {
    var configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .syscalls, alertsPerSecond],
        timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 5
    )
    configuration.setup = {
        let alerts = BenchmarkData.alerts(count: alertCount, seed: 1)
        alertBatches = stride(from: 0, to: alerts.count, by: BenchmarkData.batchRows).map {
            Array(alerts[$0 ..< min($0 + BenchmarkData.batchRows, alerts.count)])
        }
    }

    Benchmark("AlertStore insert 100k", configuration: configuration) { benchmark in
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chainwatch-bench-\(UInt64.random(in: 0 ... .max))")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("alerts.db").path
            let store = try AlertStore(path: path)
            let runID = try store.beginRun(command: "bench", inputs: ["bench"], settingsJSON: "{}", modelID: nil)
            var added = 0
            benchmark.startMeasurement()
            let start = ContinuousClock.now
            for batch in alertBatches {
                added += try store.add(alerts: batch, runID: runID)
                try store.commitIfDue()
            }
            try store.commit()
            let seconds = elapsedSeconds(since: start)
            benchmark.stopMeasurement()
            precondition(added == alertCount, "inserted \(added) of \(alertCount) alerts")
            benchmark.measurement(alertsPerSecond, Int(Double(added) / seconds))
        } catch {
            benchmark.error("\(error)")
        }
    }
}
