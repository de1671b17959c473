import ChainwatchCore
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
        #expect(alertsA == alertsB)
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
        let pipeline = Pipeline(configuration: configuration)
        var batches = 0
        pipeline.onProgress = { _, _ in batches += 1 }
        pipeline.isInterrupted = { batches >= 3 }
        let summary = try pipeline.run()
        #expect(summary.status == "interrupted")
        #expect(summary.rowsRead > 0 && summary.rowsRead < 19_999)
        let reader = try AlertReader(path: database)
        #expect(try reader.runs(limit: 1).first?.status == "interrupted")
        #expect(Int64(try reader.alerts(AlertQuery()).count) == summary.alertsNew)
    }
}
