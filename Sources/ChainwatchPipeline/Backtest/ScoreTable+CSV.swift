import ChainwatchCore
import Foundation

extension ScoreTable {
    /// `tx_hash,block_number,score,<detector>…`: one line per row, `score` = combined (higher = more
    /// anomalous), numbers in Swift's shortest round-trip form (`0.1`, `1e-05`), NaN as an empty cell.
    public func csvText() -> String {
        var text = (["tx_hash", "block_number", "score"] + detectorNames.map(Self.csvField)).joined(separator: ",") + "\n"
        text.reserveCapacity(count * (100 + 12 * detectorNames.count))
        for row in 0 ..< count {
            text += txHash[row]
            text += ","
            text += String(blockNumber[row])
            text += ","
            text += Self.number(combined[row])
            for column in detectorScores.indices {
                text += ","
                text += Self.number(detectorScores[column][row])
            }
            text += "\n"
        }
        return text
    }

    /// Writes ``csvText()`` to `path` atomically.
    ///
    /// - Throws: `.unreadableInput` when the file cannot be written.
    public func writeCSV(to path: String) throws(ChainwatchError) {
        do {
            try Data(csvText().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ChainwatchError(.unreadableInput, "cannot write scores CSV", context: path, cause: error)
        }
    }

    static func number(_ value: Double) -> String {
        value.isNaN ? "" : "\(value)"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
