import ArgumentParser
import ChainwatchCore
import ChainwatchIO
import ChainwatchPipeline
import ChainwatchStore
import Foundation

extension Chainwatch {
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay history through the same pipeline as `run` and backtest it against labels.",
            discussion: """
                Raises exactly the alerts `run` would raise on the same input with the same settings and model \
                (written to --db, without duplicates), and keeps every transaction's scores to measure them \
                against --labels: ROC-AUC, PR-AUC, precision@k, recall at the alert budget, alerts per 1,000 \
                transactions and per day, and detection delay — overall, per detector and per label category. \
                Unlabelled transactions count as negatives.
                """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var store: StoreOptions
        @OptionGroup var detection: DetectionOptions

        @Option(help: ArgumentHelp(
            "Label CSV (repeatable): `hash,label[,typology]`, `address,label[,category]`, or the Etherscan tag list (`address,…,family,…`). .lz4 works.",
            valueName: "file"))
        var labels: [String] = []

        @Option(help: ArgumentHelp(
            "For label files without a label column (the Etherscan tag list): the categories that count as positive, comma-separated. Default: hack/phish/scam/exploit/heist families.",
            valueName: "list"))
        var positiveCategories: String?

        @Option(help: ArgumentHelp("Write a self-contained HTML report here.", valueName: "file"))
        var report: String?

        @Option(help: ArgumentHelp("Write the metrics as JSON here.", valueName: "file"))
        var metrics: String?

        @Option(help: ArgumentHelp("Write every transaction's scores as CSV here (tx_hash,block_number,score,<one column per detector>).", valueName: "file"))
        var scores: String?

        @Option(help: ArgumentHelp("k for precision@k.", valueName: "k"))
        var k: Int = 100

        @Flag(help: "Print no progress or summary on stderr.")
        var quiet = false

        func validate() throws {
            guard k > 0 else { throw ValidationError("--k must be positive.") }
            for file in labels where !FileManager.default.isReadableFile(atPath: file) {
                throw ValidationError("cannot read label file \(file)")
            }
        }

        func run() throws {
            let labelSet: LabelSet
            do {
                labelSet = try loadLabels()
            } catch {
                throw Stderr.failure(error)
            }
            var settings: [(String, String)] = []
            let pipeline = try execute(quiet: quiet) { () throws(ChainwatchError) in
                var configuration = input.pipelineConfiguration(databasePath: store.db)
                configuration.command = "replay"
                configuration.recordScores = true
                try detection.apply(to: &configuration)
                settings = [("inputs", configuration.inputs.joined(separator: ", ")), ("database", store.db)]
                settings += Self.pairs(fromJSON: configuration.settingsJSON)
                settings.append(("labels", labels.isEmpty ? "none" : labels.joined(separator: ", ")))
                return Pipeline(configuration: configuration)
            }
            guard let table = pipeline.scores else { return }
            do {
                try backtest(table, pipeline: pipeline, labels: labelSet, settings: settings)
            } catch {
                throw Stderr.failure(error)
            }
        }

        private func loadLabels() throws(ChainwatchError) -> LabelSet {
            var set = LabelSet()
            let categories = positiveCategories.map {
                Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            } ?? LabelSet.defaultPositiveCategories
            for file in labels {
                let text = String(decoding: try ByteSources.readAll(path: file), as: UTF8.self)
                set.merge(try LabelSet(csvText: text, source: file, positiveCategories: categories))
            }
            return set
        }

        private func backtest(_ table: ScoreTable, pipeline: Pipeline, labels labelSet: LabelSet, settings: [(String, String)]) throws(ChainwatchError) {
            // Detection delay follows labelled addresses, or the senders of labelled transactions.
            var tracked = labelSet.positiveAddresses
            if tracked.isEmpty {
                let positives = table.positives(labelSet)
                for row in 0 ..< table.count where positives[row] { tracked.insert(table.from[row]) }
            }
            let result = BacktestMetrics(table: table, labels: labelSet, k: k, delayAddresses: tracked)
            if !labels.isEmpty {
                let store = try AlertStore(path: self.store.db)
                try store.add(labels: labelSet.rows.map {
                    LabelRow(subject: $0.subject, kind: $0.kind == .transaction ? "tx" : "address",
                             label: $0.isPositive ? "1" : "0", category: $0.category, source: $0.source)
                })
            }
            if !quiet { for line in result.summaryLines { Stderr.print(line) } }
            if let metrics { try write(result.json, to: metrics) }
            if let scores { try table.writeCSV(to: scores) }
            if let report {
                // Top alerts: rows with the highest combined score first, each row's alerts in detector order.
                var rank: [String: Double] = [:]
                for row in 0 ..< table.count where table.alertedBy[row] != 0 { rank[table.txHash[row]] = table.combined[row] }
                let top = pipeline.raisedAlerts.enumerated()
                    .sorted { (rank[$0.element.txHash] ?? 0, -$0.offset) > (rank[$1.element.txHash] ?? 0, -$1.offset) }
                    .prefix(50).map(\.element)
                let html = BacktestReport.html(
                    table: table, labels: labelSet, metrics: result, topAlerts: Array(top), settings: settings,
                    modelID: pipeline.modelIDs.last)
                try write(html, to: report)
                if !quiet { Stderr.print("chainwatch: report → \(report)") }
            }
        }

        private func write(_ text: String, to path: String) throws(ChainwatchError) {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw ChainwatchError(.invalidArgument, "cannot write \(path)", cause: error)
            }
        }

        /// Flattens the settings JSON object into key/value pairs for the report.
        static func pairs(fromJSON json: String) -> [(String, String)] {
            guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [] }
            return object.keys.sorted().map { key in
                let value = object[key]!
                if let list = value as? [Any] { return (key, list.map { "\($0)" }.joined(separator: ", ")) }
                return (key, "\(value)")
            }
        }
    }
}
