import ArgumentParser
import ChainwatchCore
import ChainwatchPipeline
import Foundation

enum Stderr {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints `error` as the one-line failure message every command gives and returns the exit status its code
    /// maps to: `throw Stderr.failure(error)`.
    static func failure(_ error: ChainwatchError) -> ExitCode {
        print("chainwatch: error: \(error)")
        return ExitCode(error.code.exitStatus)
    }
}

/// A single self-overwriting progress line on a terminal; silent otherwise.
final class ProgressLine {
    private let enabled: Bool
    private var lastPrint = ContinuousClock.now
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ summary: RunSummary, block: Int64, fractionRead: Double?) {
        guard enabled, ContinuousClock.now - lastPrint > .milliseconds(500) else { return }
        lastPrint = ContinuousClock.now
        shown = true
        var line = "\r\u{1B}[K\(summary.rowsRead) rows, \(Int(summary.rowsPerSecond)) rows/s, block \(block), \(summary.alertsRaised) alerts"
        if let fraction = fractionRead, fraction > 0.001 {
            let remaining = summary.elapsedSeconds * (1 - min(fraction, 1)) / fraction
            line += ", \(Int(fraction * 100)) % read, ETA \(Int(remaining.rounded()))s"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
