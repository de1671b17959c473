import ArgumentParser
import ChainwatchCore
import ChainwatchPipeline
import ChainwatchStore
import Foundation

extension Chainwatch {
    struct Alerts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print alerts from the database, optionally following new ones as they are committed.",
            discussion: """
                Reads with a read-only connection: it never blocks a running `chainwatch run`. With --follow it \
                prints the newest --limit alerts (if given) and then every new alert, like tail -f; Ctrl-C stops.
                """
        )

        @OptionGroup var store: StoreOptions

        @Flag(name: [.short, .long], help: "Keep printing new alerts as they are committed.")
        var follow = false

        @Flag(help: "One JSON object per line instead of readable text.")
        var json = false

        @Option(help: ArgumentHelp("Print at most this many (oldest first); with --follow, how many of the newest to show first (default 10).", valueName: "n"))
        var limit: Int?

        @Option(help: ArgumentHelp("Only alerts with at least this score.", valueName: "x"))
        var minScore: Double?

        @Option(help: ArgumentHelp("Only alerts of this detector (amount_zscore, isolation_forest, …).", valueName: "name"))
        var detector: String?

        @Option(help: ArgumentHelp("Seconds between polls with --follow.", valueName: "s"))
        var interval: Double = 0.5

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more.") }
            guard interval > 0 else { throw ValidationError("--interval must be positive.") }
        }

        func run() throws {
            InterruptFlag.install()
            do {
                let reader = try openReader()
                var query = AlertQuery()
                query.minScore = minScore
                query.detector = detector
                var lastID: Int64 = 0
                if follow {
                    // Show the newest few for context, then everything after them.
                    let startID = try reader.maxAlertID()
                    query.limit = limit ?? 10
                    query.newestFirst = true
                    let newest = Array(try reader.alerts(query).reversed())
                    try print(newest)
                    lastID = max(startID, newest.last?.id ?? 0)
                } else {
                    query.limit = limit
                    try print(try reader.alerts(query))
                }
                guard follow else { return }
                query.limit = 1000
                query.newestFirst = false
                while !InterruptFlag.isRaised {
                    query.afterID = lastID
                    let rows = try reader.alerts(query)
                    try print(rows)
                    if let last = rows.last { lastID = last.id } else { Thread.sleep(forTimeInterval: interval) }
                }
            } catch let error as ChainwatchError {
                throw Stderr.failure(error)
            }
        }

        /// Opens the database; with --follow, waits for a run to create it and give it its schema.
        private func openReader() throws(ChainwatchError) -> AlertReader {
            while true {
                do {
                    return try AlertReader(path: store.db)
                } catch {
                    let notCreatedYet = !FileManager.default.fileExists(atPath: store.db)
                        || (error.code == .schemaMismatch && error.message.contains("schema version 0"))
                    guard follow, notCreatedYet, !InterruptFlag.isRaised else { throw error }
                    Thread.sleep(forTimeInterval: interval)
                }
            }
        }

        /// Writes rows to stdout; a closed pipe (`| head`) ends the command quietly.
        private func print(_ rows: [AlertRow]) throws {
            guard !rows.isEmpty else { return }
            var text = ""
            for row in rows {
                text += json ? row.jsonLine : row.humanLine
                text += "\n"
            }
            do {
                try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
            } catch {
                throw ExitCode.success
            }
        }
    }
}
