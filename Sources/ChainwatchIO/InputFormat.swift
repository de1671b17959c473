import ChainwatchCore

/// The input formats chainwatch reads; raw values are what users pass to `--format`.
public enum InputFormat: String, CaseIterable, Sendable {
    /// ethereum-etl `export_blocks_and_transactions --transactions-output *.csv`.
    case ethereumTransactionsCSV = "ethereum-csv"
    /// ethereum-etl transactions as JSON lines: batch export or `ethereumetl stream` output.
    case ethereumTransactionsJSONL = "ethereum-jsonl"

    /// The accepted `--format` values, comma separated (for messages).
    public static var acceptedNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Recognizes a format from the first non-empty line of an input, or returns `nil`.
    ///
    /// A line starting with `{` is JSON lines; a comma-separated line with at least two ethereum-etl
    /// transaction column names is a CSV header (which may still lack required columns: the decoder
    /// reports that as `.badHeader`).
    public static func detect(firstLine: UnsafeRawBufferPointer) -> InputFormat? {
        var index = 0
        if firstLine.count >= 3, firstLine[0] == 0xEF, firstLine[1] == 0xBB, firstLine[2] == 0xBF { index = 3 }
        while index < firstLine.count, firstLine[index] == 0x20 || firstLine[index] == 0x09 { index += 1 }
        if index < firstLine.count, firstLine[index] == UInt8(ascii: "{") { return .ethereumTransactionsJSONL }
        if EthereumCSVDecoder.looksLikeHeader(firstLine) { return .ethereumTransactionsCSV }
        return nil
    }
}
