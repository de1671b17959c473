import ChainwatchCore
import ChainwatchStore
import Foundation
import Testing
import _ChainwatchTestSupport

/// The walking skeleton as a user meets it: the real binary on the shipped samples.
@Suite(.serialized)
struct EndToEndTests {
    let directory = Fixtures.makeTemporaryDirectory("cw-e2e")
    var database: String { directory.appendingPathComponent("alerts.db").path }

    func alertHashes(detector: String = "amount_zscore") throws -> [String] {
        var query = AlertQuery()
        query.detector = detector
        return try AlertReader(path: database).alerts(query).map(\.alert.txHash)
    }

    @Test func alertsMatchTheRuleAndRerunAddsNothing() throws {
        let sample = Fixtures.ethereumUnorderedLZ4
        let expected = AmountZScoreReference.alerts(
            AmountZScoreReference.rows(csv: String(decoding: try CLIRunner.decompress(sample), as: UTF8.self)))
        #expect(expected.count > 10, "the sample should exercise the rule")

        let first = try CLIRunner.run(["run", sample, "--db", database, "--reorder-window", "1024", "--quiet", "--no-models"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(Set(try alertHashes()) == Set(expected))
        #expect(try alertHashes().count == expected.count)

        let second = try CLIRunner.run(["run", sample, "--db", database, "--reorder-window", "1024", "--no-models"])
        #expect(second.status == 0)
        #expect(second.stderr.contains(" alerts (0 new)"), "\(second.stderr)")
        #expect(try alertHashes().count == expected.count)
        let runs = try AlertReader(path: database).runs(limit: 10)
        #expect(runs.count == 2)
    }

    /// The summary reports the account table: held, evicted under the cap, memory per account.
    @Test func runReportsTrackedAndEvictedAccounts() throws {
        let result = try CLIRunner.run(
            ["run", Fixtures.ethereumUnorderedLZ4, "--db", database, "--reorder-window", "1024", "--no-models", "--max-accounts", "500"])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("chainwatch: accounts: ") })
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        try #require(numbers.count == 3, "\(line)")
        #expect(numbers[0] <= 500 && numbers[0] > 400, "\(line)") // tracked: at most the cap, ⅞ of it after a pass
        #expect(numbers[1] > 1_000, "\(line)") // evicted: the sample has thousands of accounts
        #expect(numbers[2] > 100 && numbers[2] < 1_000, "\(line)") // bytes per tracked account
    }

    @Test func stdinAndLZ4OnStdinGiveTheSameAlertsAsTheFile() throws {
        let sample = Fixtures.ethereumUnorderedLZ4
        let viaFile = try CLIRunner.run(["run", sample, "--db", database, "--reorder-window", "1024", "--quiet", "--no-models"])
        #expect(viaFile.status == 0)
        let fileAlerts = try alertHashes()

        let other = directory.appendingPathComponent("stdin.db").path
        let compressed = try Data(contentsOf: URL(fileURLWithPath: sample))
        let viaStdin = try CLIRunner.run(["run", "-", "--db", other, "--reorder-window", "1024", "--quiet", "--no-models"], stdin: compressed)
        #expect(viaStdin.status == 0, "\(viaStdin.stderr)")
        var query = AlertQuery()
        query.detector = "amount_zscore"
        #expect(try AlertReader(path: other).alerts(query).map(\.alert.txHash) == fileAlerts)

        let plain = directory.appendingPathComponent("plain.db").path
        let viaPlainStdin = try CLIRunner.run(
            ["run", "--db", plain, "--reorder-window", "1024", "--quiet", "--no-models"], stdin: try CLIRunner.decompress(sample))
        #expect(viaPlainStdin.status == 0)
        #expect(try AlertReader(path: plain).alerts(query).map(\.alert.txHash) == fileAlerts)
    }

    @Test func badRowsAreQuarantinedAndTheRunGoesOn() throws {
        let good = try String(contentsOfFile: Fixtures.ethereumCSV, encoding: .utf8)
        var lines = good.split(separator: "\n").map(String.init)
        lines.insert("not,enough,fields", at: 5)
        lines.insert(lines[7].replacingOccurrences(of: ",0x", with: ",0xZZ"), at: 8)
        let input = directory.appendingPathComponent("bad.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)

        let result = try CLIRunner.run(["run", input.path, "--db", database, "--no-models"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("298 rows"), "\(result.stderr)")
        #expect(result.stderr.contains("2 quarantined"), "\(result.stderr)")
        let counts = try AlertReader(path: database).counts()
        #expect(counts.quarantined == 2)
    }

    @Test func fatalProblemsAreOneLineAndNonZero() throws {
        let missingDirectory = try CLIRunner.run(["run", Fixtures.ethereumCSV, "--db", "/nonexistent/dir/alerts.db"])
        #expect(missingDirectory.status == 74)
        #expect(missingDirectory.stderr.split(separator: "\n").count == 1, "\(missingDirectory.stderr)")

        let notAnExport = directory.appendingPathComponent("notes.txt")
        try "hello world\nsecond line\n".write(to: notAnExport, atomically: true, encoding: .utf8)
        let unknown = try CLIRunner.run(["run", notAnExport.path, "--db", database])
        #expect(unknown.status == 66)
        #expect(unknown.stderr.contains("format"), "\(unknown.stderr)")

        let missingFile = try CLIRunner.run(["run", "/nonexistent.csv", "--db", database])
        #expect(missingFile.status == 64)
        #expect(missingFile.stderr.contains("no such input file"))
    }

    @Test func alertsCommandPrintsTextAndJSON() throws {
        let run = try CLIRunner.run(
            ["run", Fixtures.ethereumUnorderedLZ4, "--db", database, "--reorder-window", "1024", "--quiet", "--no-models"])
        #expect(run.status == 0)
        let total = try alertHashes().count

        let text = try CLIRunner.run(["alerts", "--db", database, "--detector", "amount_zscore"])
        #expect(text.status == 0)
        #expect(text.stdout.split(separator: "\n").count == total)
        #expect(text.stdout.contains("amount_zscore"))

        let json = try CLIRunner.run(["alerts", "--db", database, "--json", "--limit", "3", "--detector", "amount_zscore"])
        let lines = json.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["detector"] as? String == "amount_zscore")
            #expect(object["reasons"] is [String: Any])
            #expect((object["value_wei"] as? String)?.allSatisfy(\.isNumber) == true)
        }
    }
}

@Suite(.serialized)
struct FollowTests {
    @Test func followPrintsAlertsCommittedByAnotherProcess() throws {
        let directory = Fixtures.makeTemporaryDirectory("cw-follow")
        let database = directory.appendingPathComponent("alerts.db").path

        // Start tailing before the database exists, as a user would in a second terminal.
        let follower = Process()
        follower.executableURL = CLIRunner.binary
        follower.arguments = ["alerts", "--follow", "--json", "--db", database, "--interval", "0.05"]
        let output = Pipe()
        follower.standardOutput = output
        follower.standardError = FileHandle.nullDevice
        try follower.run()

        let run = try CLIRunner.run(
            ["run", Fixtures.ethereumUnorderedLZ4, "--db", database, "--reorder-window", "1024", "--quiet", "--no-models"])
        #expect(run.status == 0)
        let expected = try AlertReader(path: database).counts().alerts
        #expect(expected > 0)

        // Read until every committed alert has been printed (or give up after 20 s).
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        let handle = output.fileHandleForReading
        let collector = TextCollector()
        handle.readabilityHandler = { collector.append($0.availableData) }
        while Date() < deadline {
            text = collector.text
            if text.split(separator: "\n").count >= expected { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        follower.interrupt()
        follower.waitUntilExit()
        handle.readabilityHandler = nil

        let lines = text.split(separator: "\n")
        #expect(Int64(lines.count) == expected)
        let ids = try lines.map { line -> Int in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["id"] as? Int)
        }
        #expect(ids == Array(1 ... Int(expected)), "each alert once, in commit order")
        #expect(follower.terminationStatus == 0)
    }
}

/// Collects bytes from a readability handler thread.
final class TextCollector: @unchecked Sendable {
    // Guarded by `lock`; the handler runs on a Foundation-owned thread.
    private let lock = NSLock()
    private var data = Data()
    func append(_ chunk: Data) { lock.lock(); data.append(chunk); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}
