import ChainwatchCore
import Foundation

/// The self-contained HTML report of a backtest: one file with inline CSS and inline SVG, no scripts,
/// fonts, images or network references, so it can be mailed or archived as is.
///
/// Sections: a headline row of key numbers; PR and ROC curves (AUC in the titles); score distributions
/// of positives and negatives; alerts over block time; metrics per detector and label category; detection
/// delay; the top alerts with a readable explanation from their `reasons`; the run settings and model id.
/// Every piece of text is HTML-escaped. Element ids for tooling: `pr-curve`, `roc-curve`,
/// `score-distribution`, `alert-timeline`, `headline`, `metrics`, `top-alerts`, `settings`.
public enum BacktestReport {
    /// The report as one HTML document.
    ///
    /// - Parameters:
    ///   - positives: the ground truth per row of `table` (e.g. `table.positives(labels)`).
    ///   - topAlerts: the alerts to list, in the order to show them (usually highest score first).
    ///   - settings: run settings as key/value pairs, shown in order.
    public static func html(
        table: ScoreTable, positives: [Bool], metrics: BacktestMetrics, topAlerts: [Alert],
        settings: [(String, String)], modelID: String?, title: String = "chainwatch backtest"
    ) -> String {
        precondition(positives.count == table.count, "one label per row")
        let e = HTMLText.escape
        var html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += "<title>\(e(title))</title><style>\(stylesheet)</style></head><body>\n"
        html += "<header><h1>\(e(title))</h1><p class=\"sub\">model <code>\(e(modelID ?? "none"))</code>"
        if let first = metrics.firstBlock, let last = metrics.lastBlock {
            html += " · blocks \(first)–\(last)"
        }
        if let first = metrics.firstBlockTime, let last = metrics.lastBlockTime {
            html += " · \(e(HTMLText.date(first))) – \(e(HTMLText.date(last)))"
        }
        html += "</p></header>\n"
        html += headline(metrics)
        html += "<section class=\"plots\">"
        html += prPlot(metrics) + rocPlot(metrics)
        html += distributionPlot(table: table, positives: positives) + timelinePlot(table: table, positives: positives)
        html += "</section>\n"
        html += metricsTable(metrics)
        html += alertsTable(topAlerts, table: table, positives: positives)
        html += settingsTable(settings, modelID: modelID)
        html += "<footer>Unlabelled transactions count as negatives, so precision is a lower bound. "
        html += "PR-AUC is average precision (scikit-learn's definition); ROC-AUC counts ties as ½.</footer>\n"
        return html + "</body></html>\n"
    }

    /// Same, with the ground truth taken from `labels`.
    public static func html(
        table: ScoreTable, labels: LabelSet, metrics: BacktestMetrics, topAlerts: [Alert],
        settings: [(String, String)], modelID: String?, title: String = "chainwatch backtest"
    ) -> String {
        html(
            table: table, positives: table.positives(labels), metrics: metrics, topAlerts: topAlerts,
            settings: settings, modelID: modelID, title: title
        )
    }

    static func headline(_ metrics: BacktestMetrics) -> String {
        let share = metrics.transactions > 0 ? Double(metrics.positives) * 100 / Double(metrics.transactions) : 0
        let cards: [(String, String, String)] = [
            (HTMLText.grouped(metrics.transactions), "transactions", ""),
            (HTMLText.grouped(metrics.positives), "positives", String(format: "%.2f %%", share)),
            (HTMLText.grouped(metrics.alerts), "alerts",
             "\(HTMLText.fixed(metrics.alertsPerThousand, 1)) / 1,000 tx · \(HTMLText.fixed(metrics.alertsPerDay, 0)) / day"),
            (HTMLText.fixed(metrics.overall.rocAUC), "ROC-AUC", "combined score"),
            (HTMLText.fixed(metrics.overall.prAUC), "PR-AUC", "average precision"),
            (HTMLText.fixed(metrics.overall.precisionAtK), "precision@\(metrics.k)", ""),
            (HTMLText.fixed(metrics.overall.recallAtAlerts), "recall at budget",
             "precision \(HTMLText.fixed(metrics.overall.precisionAtAlerts))"),
        ]
        var html = "<section id=\"headline\" class=\"cards\">"
        for (value, key, note) in cards {
            html += "<div class=\"card\"><div class=\"v\">\(HTMLText.escape(value))</div><div class=\"k\">\(HTMLText.escape(key))</div>"
            html += "<div class=\"n\">\(HTMLText.escape(note))</div></div>"
        }
        return html + "</section>\n"
    }

    static let stylesheet = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;margin:24px auto;max-width:1200px;padding:0 16px;background:#fafbfc}
        h1{font-size:22px;margin:0}h2{font-size:16px;margin:28px 0 8px}.sub{color:#5b6573;margin:4px 0 16px}
        code{font:12px ui-monospace,Menlo,Consolas,monospace}
        .cards{display:grid;grid-template-columns:repeat(7,1fr);gap:10px}
        .card{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:10px 12px}
        .card .v{font-size:22px;font-weight:600}.card .k{color:#333;font-weight:500}.card .n{color:#6b7480;font-size:12px;min-height:16px}
        .plots{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin-top:16px}
        svg.plot{background:#fff;border:1px solid #dde2e8;border-radius:6px;width:100%;height:auto}
        .plot-title{font-size:14px;font-weight:600;fill:#1d2430}.tick{font-size:11px;fill:#5b6573}.axis{font-size:12px;fill:#333}
        .legend{font-size:12px;fill:#333}.grid{stroke:#edf0f3}.frame{fill:none;stroke:#b8c0ca}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde2e8}
        th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #edf0f3;vertical-align:top}
        th{background:#f2f4f7;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        td code{white-space:nowrap}td.why{color:#333;font-size:13px}.pos{color:#b42318;font-weight:600}.neg{color:#6b7480}
        p.note{color:#6b7480;font-size:12px;margin:4px 0}footer{color:#6b7480;font-size:12px;margin:24px 0}
        """
}
