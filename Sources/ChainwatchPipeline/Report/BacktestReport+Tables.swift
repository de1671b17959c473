import ChainwatchCore

extension BacktestReport {
    /// One row per ranking (overall, detectors, label categories) plus the detection delay.
    static func metricsTable(_ metrics: BacktestMetrics) -> String {
        let e = HTMLText.escape
        var html = "<section><h2>By detector and label category</h2><table id=\"metrics\"><thead><tr>"
        for (title, numeric) in [
            ("scope", false), ("name", false), ("positives", true), ("ROC-AUC", true), ("PR-AUC", true),
            ("precision@\(metrics.k)", true), ("alerts", true), ("recall at alerts", true), ("precision at alerts", true),
        ] {
            html += numeric ? "<th class=\"num\">\(e(title))</th>" : "<th>\(e(title))</th>"
        }
        html += "</tr></thead><tbody>"
        let rows = [("overall", metrics.overall)] + metrics.detectors.map { ("detector", $0) } + metrics.categories.map { ("category", $0) }
        for (scope, ranking) in rows {
            html += "<tr><td>\(scope)</td><td>\(e(ranking.name))</td><td class=\"num\">\(HTMLText.grouped(ranking.positives))</td>"
            for value in [ranking.rocAUC, ranking.prAUC, ranking.precisionAtK] { html += "<td class=\"num\">\(HTMLText.fixed(value))</td>" }
            html += "<td class=\"num\">\(HTMLText.grouped(ranking.alerts))</td>"
            html += "<td class=\"num\">\(HTMLText.fixed(ranking.recallAtAlerts))</td><td class=\"num\">\(HTMLText.fixed(ranking.precisionAtAlerts))</td></tr>"
        }
        html += "</tbody></table><p class=\"note\">A category row ranks that category's positives against all negatives; "
        html += "its alerts are the alerts among those rows. A detector row uses the detector's own score and alerts.</p>"
        let delay = metrics.delay
        html += "<p id=\"detection-delay\">Detection delay (blocks from a labelled address's first transaction to its first alert): "
        html += "\(delay.detected) detected, \(delay.undetected) undetected; median \(HTMLText.fixed(delay.medianBlocks, 1)), "
        html += "mean \(HTMLText.fixed(delay.meanBlocks, 1)), max \(delay.maxBlocks.map(String.init) ?? "n/a") blocks.</p></section>\n"
        return html
    }

    /// The top alerts with a readable explanation; `labelled` says whether the transaction is a positive.
    static func alertsTable(_ alerts: [Alert], table: ScoreTable, positives: [Bool]) -> String {
        let e = HTMLText.escape
        let wanted = Set(alerts.map { $0.txHash.lowercased() })
        var positiveHashes: Set<String> = []
        var scored: Set<String> = []
        for row in 0 ..< table.count {
            let hash = table.txHash[row].lowercased()
            guard wanted.contains(hash) else { continue }
            scored.insert(hash)
            if positives[row] { positiveHashes.insert(hash) }
        }
        var html = "<section><h2>Top \(alerts.count) alerts</h2><table id=\"top-alerts\"><thead><tr><th class=\"num\">#</th>"
        html += "<th>detector</th><th class=\"num\">score</th><th class=\"num\">block</th><th>transaction</th><th>from → to</th>"
        html += "<th class=\"num\">amount (ETH)</th><th>label</th><th>why</th></tr></thead><tbody>"
        for (rank, alert) in alerts.enumerated() {
            let hash = alert.txHash.lowercased()
            let label = positiveHashes.contains(hash) ? "<span class=\"pos\">positive</span>"
                : scored.contains(hash) ? "<span class=\"neg\">negative</span>" : "<span class=\"neg\">—</span>"
            let detector = alert.typology.map { "\(alert.detector) (\($0))" } ?? alert.detector
            let score = alert.calibrated.map { "\(HTMLText.compact(alert.score)) <span class=\"neg\">(\(HTMLText.fixed($0)))</span>" }
                ?? HTMLText.compact(alert.score)
            html += "<tr class=\"alert\"><td class=\"num\">\(rank + 1)</td><td>\(e(detector))</td><td class=\"num\">\(score)</td>"
            html += "<td class=\"num\">\(alert.blockNumber)</td>"
            html += "<td><code title=\"\(e(alert.txHash))\">\(e(HTMLText.short(alert.txHash)))</code></td>"
            html += "<td><code title=\"\(e(alert.fromAddress))\">\(e(HTMLText.short(alert.fromAddress)))</code> → "
            html += "<code title=\"\(e(alert.toAddress ?? "contract creation"))\">\(e(alert.toAddress.map(HTMLText.short) ?? "new contract"))</code></td>"
            html += "<td class=\"num\">\(e(HTMLText.compact(alert.amount)))</td><td>\(label)</td>"
            html += "<td class=\"why\">\(AlertExplanation.facts(fromReasons: alert.reasons).map(e).joined(separator: "<br>"))</td></tr>"
        }
        return html + "</tbody></table></section>\n"
    }

    /// The run settings as a key/value table, the model id first.
    static func settingsTable(_ settings: [(String, String)], modelID: String?) -> String {
        let e = HTMLText.escape
        var html = "<section><h2>Run settings</h2><table id=\"settings\"><tbody>"
        html += "<tr><th>model id</th><td><code>\(e(modelID ?? "none"))</code></td></tr>"
        for (key, value) in settings {
            html += "<tr><th>\(e(key))</th><td>\(e(value))</td></tr>"
        }
        return html + "</tbody></table></section>\n"
    }
}
