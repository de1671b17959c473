import ChainwatchPipeline
import Foundation

enum Stderr {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// A single self-overwriting progress line on a terminal; silent otherwise.
final class ProgressLine {
    private let enabled: Bool
    private var lastPrint = ContinuousClock.now
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ summary: RunSummary, block: Int64) {
        guard enabled, ContinuousClock.now - lastPrint > .milliseconds(500) else { return }
        lastPrint = ContinuousClock.now
        shown = true
        let rate = Int(summary.rowsPerSecond)
        FileHandle.standardError.write(Data(
            "\r\u{1B}[K\(summary.rowsRead) rows, \(rate) rows/s, block \(block), \(summary.alertsRaised) alerts".utf8))
    }

    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
