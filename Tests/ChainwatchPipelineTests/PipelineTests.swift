import ChainwatchCore
import ChainwatchModels
import ChainwatchPipeline
import ChainwatchStore
import Foundation
import Testing
import _ChainwatchTestSupport

struct PipelineTests {
    let directory = Fixtures.makeTemporaryDirectory("cw-pipeline")

    func run(_ inputs: [String], database: String, configure: (inout PipelineConfiguration) -> Void = { _ in })
        throws -> (RunSummary, [Alert])
    {
        var configuration = PipelineConfiguration(inputs: inputs, databasePath: database)
        configuration.reorderWindowBlocks = 1024
        configuration.useModels = false
        configure(&configuration)
        let summary = try Pipeline(configuration: configuration).run()
        let rows = try AlertReader(path: database).alerts(AlertQuery())
        return (summary, rows.map(\.alert))
    }

    @Test func sameInputGivesIdenticalAlertsWhateverTheBatchSize() throws {
        let input = [Fixtures.ethereumUnorderedLZ4]
        let (first, alertsA) = try run(input, database: directory.appendingPathComponent("a.db").path)
        let (_, alertsB) = try run(input, database: directory.appendingPathComponent("b.db").path) { $0.batchSize = 333 }
        #expect(first.rowsRead == 19_999)
        #expect(first.rowsLate == 0)
        #expect(!alertsA.isEmpty)
        let identical = alertsA == alertsB
        #expect(identical, "\(alertsA.count) vs \(alertsB.count) alerts")
    }

    @Test func detectorsOnASecondThreadRaiseTheSameAlertsInTheSameOrder() throws {
        // Models on, warm-up included, and a batch size that splits blocks: every detector kind alerts.
        let input = [Fixtures.ethereumUnorderedLZ4]
        func alerts(parallel: Bool) throws -> [Alert] {
            try run(input, database: directory.appendingPathComponent("parallel-\(parallel).db").path) {
                $0.parallelDetectors = parallel
                $0.useModels = true
                $0.warmUpRows = 3_000
                $0.batchSize = 777
            }.1
        }
        let sequential = try alerts(parallel: false), parallel = try alerts(parallel: true)
        let detectors = Set(sequential.map(\.detector))
        #expect(detectors.isSuperset(of: ["ensemble", "fan_out", "fan_in", "burst", "amount_zscore"]), "\(detectors)")
        #expect(sequential == parallel, "\(sequential.count) vs \(parallel.count) alerts")
    }

    @Test func aSmallWindowProcessesLateRowsInsteadOfDroppingThem() throws {
        let (summary, _) = try run([Fixtures.ethereumUnorderedLZ4], database: directory.appendingPathComponent("w.db").path) {
            $0.reorderWindowBlocks = 8
        }
        #expect(summary.rowsRead == 19_999)
        #expect(summary.rowsLate > 0)
        let runs = try AlertReader(path: directory.appendingPathComponent("w.db").path).runs(limit: 1)
        #expect(runs.first?.stats.rowsLate == summary.rowsLate)
    }

    @Test func interruptCommitsAndRecordsTheRun() throws {
        let database = directory.appendingPathComponent("i.db").path
        var configuration = PipelineConfiguration(inputs: [Fixtures.ethereumUnorderedLZ4], databasePath: database)
        configuration.batchSize = 512
        configuration.reorderWindowBlocks = 0
        configuration.useModels = false
        let pipeline = Pipeline(configuration: configuration)
        var batches = 0
        pipeline.onProgress = { _, _, _ in batches += 1 }
        pipeline.isInterrupted = { batches >= 3 }
        let summary = try pipeline.run()
        #expect(summary.status == "interrupted")
        #expect(summary.rowsRead > 0 && summary.rowsRead < 19_999)
        let reader = try AlertReader(path: database)
        #expect(try reader.runs(limit: 1).first?.status == "interrupted")
        #expect(Int64(try reader.alerts(AlertQuery()).count) == summary.alertsNew)
    }

    @Test func ensembleWarmsUpAndAlertsAtItsBudgetWhateverTheBatchSize() throws {
        func configure(_ configuration: inout PipelineConfiguration) {
            configuration.useModels = true
            configuration.modelPath = nil
            configuration.warmUpRows = 3000
            configuration.model.budget = 0.01
            configuration.model.training = .init(seed: 7, epochs: 5)
            configuration.typologies.enabled = []
        }
        let input = [Fixtures.ethereumUnorderedLZ4]
        let (summary, alertsA) = try run(input, database: directory.appendingPathComponent("m1.db").path, configure: configure)
        let (_, alertsB) = try run(input, database: directory.appendingPathComponent("m2.db").path) {
            configure(&$0)
            $0.batchSize = 1000
        }
        let ensemble = alertsA.filter { $0.detector == "ensemble" }
        #expect(summary.rowsRead == 19_999)
        // A 1 % budget on 19,999 rows is ≈ 200 alerts. This stream starts cold (no account history), so
        // features drift away from the 3,000-row warm-up window; the streaming calibration absorbs the drift
        // and keeps the realized rate within a factor of two of the budget (331 measured).
        #expect((100 ... 400).contains(ensemble.count), "\(ensemble.count) ensemble alerts")
        #expect(ensemble.allSatisfy { $0.modelID != nil && ($0.calibrated ?? 0) > 0.99 })
        #expect(ensemble.allSatisfy { $0.reasons.contains("top_features") })
        let identical = alertsA == alertsB
        #expect(identical, "\(alertsA.count) vs \(alertsB.count) alerts")
    }
}
