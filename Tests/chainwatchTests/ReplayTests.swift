import ChainwatchCore
import ChainwatchStore
import Foundation
import Testing
import _ChainwatchTestSupport

/// Replay and backtest as a user runs them: the real binary, the shipped samples.
@Suite(.serialized)
struct ReplayTests {
    let directory = Fixtures.makeTemporaryDirectory("cw-replay")
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Alert rows without the columns that belong to the run itself (id, run_id).
    func alerts(in database: String) throws -> [Alert] {
        try AlertReader(path: database).alerts(AlertQuery()).map(\.alert)
    }

    @Test func replayRaisesExactlyTheAlertsOfALiveRun() throws {
        let options = ["--reorder-window", "1024", "--warm-up-rows", "2000", "--budget", "0.005", "--seed", "3", "--quiet"]
        let sample = Fixtures.ethereumUnorderedLZ4
        let live = try CLIRunner.run(
            ["run", "-", "--db", path("live.db")] + options, stdin: try Data(contentsOf: URL(fileURLWithPath: sample)))
        #expect(live.status == 0, "\(live.stderr)")
        // Live: piped through stdin in a different batch size; replay: from the file.
        let replay = try CLIRunner.run(
            ["replay", sample, "--db", path("replay.db"), "--scores", path("scores.csv")] + options + ["--batch-size", "777"])
        #expect(replay.status == 0, "\(replay.stderr)")
        let liveAlerts = try alerts(in: path("live.db")), replayAlerts = try alerts(in: path("replay.db"))
        #expect(liveAlerts.count > 0)
        #expect(liveAlerts.contains { $0.detector == "ensemble" })
        let identical = liveAlerts == replayAlerts
        #expect(identical, "\(liveAlerts.count) live vs \(replayAlerts.count) replayed alerts")

        // The scores file has one row per transaction and ranks every alerted row above every other one.
        let lines = try String(contentsOfFile: path("scores.csv"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 19_999 + 1)
        #expect(lines[0].hasPrefix("tx_hash,block_number,score,amount_zscore,"))
        let alerted = Set(liveAlerts.map(\.txHash))
        let scores = lines.dropFirst().map { line -> (String, Double) in
            let fields = line.split(separator: ",")
            return (String(fields[0]), Double(fields[2])!)
        }
        let lowestAlerted = scores.filter { alerted.contains($0.0) }.map(\.1).min()!
        let highestQuiet = scores.filter { !alerted.contains($0.0) }.map(\.1).max()!
        #expect(lowestAlerted >= 1 && highestQuiet < 1)
    }

    @Test func backtestOnAPlantedStreamWritesMetricsAndAReport() throws {
        let generate = try CLIRunner.run(
            ["generate", Fixtures.ethereumUnorderedLZ4, "--out", path("planted.csv"), "--labels-out", path("labels.csv"), "--seed", "5"])
        #expect(generate.status == 0, "\(generate.stderr)")
        let replay = try CLIRunner.run([
            "replay", path("planted.csv"), "--db", path("bt.db"), "--labels", path("labels.csv"), "--no-models",
            "--metrics", path("metrics.json"), "--report", path("report.html"),
        ])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("ROC-AUC"))

        let metrics = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("metrics.json")))) as? [String: Any])
        #expect(metrics["unlabelled_as_negative"] as? Bool == true)
        let labelled = try String(contentsOfFile: path("labels.csv"), encoding: .utf8).split(separator: "\n").count - 1
        #expect(labelled > 100)

        let html = try String(contentsOfFile: path("report.html"), encoding: .utf8)
        for id in ["pr-curve", "roc-curve", "score-distribution", "alert-timeline", "top-alerts", "settings"] {
            #expect(html.contains("id=\"\(id)\""), "report lacks #\(id)")
        }
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script src"))

        let counts = try AlertReader(path: path("bt.db")).counts()
        #expect(counts.alerts > 0)
    }

    @Test func trainWritesAModelThatRunLoads() throws {
        let train = try CLIRunner.run([
            "train", Fixtures.ethereumCSV2020, Fixtures.ethereumCSV, "--out", path("model"), "--epochs", "3",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        let id = train.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("cw-"))
        #expect(FileManager.default.fileExists(atPath: path("model/model.json")))

        let run = try CLIRunner.run(["run", Fixtures.ethereumCSV, "--db", path("m.db"), "--model", path("model")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("model \(id)"))
        #expect(try AlertReader(path: path("m.db")).runs(limit: 1).first?.modelID == id)

        // A model from another feature catalogue is refused with a clear message and status 78.
        let manifest = path("model/model.json")
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        let hash = try #require(text.range(of: "\"catalogue_hash\" : \"")).upperBound
        try text.replacingCharacters(in: hash ..< text.index(hash, offsetBy: 4), with: "ffff")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let mismatch = try CLIRunner.run(["run", Fixtures.ethereumCSV, "--db", path("m.db"), "--model", path("model")])
        #expect(mismatch.status == 78)
        #expect(mismatch.stderr.contains("catalogue"), "\(mismatch.stderr)")
    }

    @Test func theShippedModelMatchesTheFeatureCatalogue() throws {
        let model = Fixtures.repositoryRoot.appendingPathComponent("Models/default").path
        let run = try CLIRunner.run(["run", Fixtures.ethereumCSV2020, "--db", path("d.db"), "--model", model])
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try String(contentsOfFile: model + "/model.json", encoding: .utf8)
        let modelID = try #require(try AlertReader(path: path("d.db")).runs(limit: 1).first?.modelID)
        #expect(manifest.contains("\"id\" : \"\(modelID)\""))
    }

    @Test func featuresCommandWritesOneRowPerTransaction() throws {
        let result = try CLIRunner.run(["features", Fixtures.ethereumCSV])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 298 + 1)
        let header = lines[0].split(separator: ",")
        #expect(header.first == "tx_hash")
        #expect(header.count == 41)
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 41 })
    }
}
