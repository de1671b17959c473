import Foundation
import ChainwatchCore

/// What happened to one input line.
enum DecodeOutcome: Equatable {
    /// A transaction was appended to the batch.
    case row
    /// A valid record that is not a transaction (an `ethereumetl stream` block or log record).
    case skipped
    /// A bad row, with the reason to quarantine it under.
    case rejected(String)
}

/// Decodes ethereum-etl `transactions` CSV rows (any column order or subset that has the required columns).
///
/// Built from the header line; then ``decode(_:source:line:into:)`` turns each data line into a batch row.
/// Required: `hash, block_number, from_address, to_address, value, block_timestamp`; optional:
/// `transaction_index` (default 0), `gas_price` (wei, stored as gwei), `input`; other columns are ignored.
struct EthereumCSVDecoder {
    static let requiredColumns = ["hash", "block_number", "from_address", "to_address", "value", "block_timestamp"]
    static let optionalColumns = ["transaction_index", "gas_price", "input"]
    /// Every column name ethereum-etl writes for transactions (used to recognize a header).
    static let knownColumns: Set<String> = Set(requiredColumns + optionalColumns + [
        "nonce", "block_hash", "gas", "max_fee_per_gas", "max_priority_fee_per_gas", "transaction_type",
        "receipt_cumulative_gas_used", "receipt_gas_used", "receipt_contract_address", "receipt_root",
        "receipt_status", "receipt_effective_gas_price",
    ])

    let columnCount: Int
    private let hash: Int, blockNumber: Int, fromAddress: Int, toAddress: Int, value: Int, blockTimestamp: Int
    private let transactionIndex: Int?, gasPrice: Int?, input: Int?
    private var splitter = CSVFieldSplitter()

    /// The column names of a header line, trimmed of spaces and quotes (a UTF-8 BOM is dropped).
    static func columnNames(_ line: UnsafeRawBufferPointer) -> [String]? {
        var splitter = CSVFieldSplitter()
        guard splitter.split(line) else { return nil }
        return (0 ..< splitter.count).map { index in
            var name = String(decoding: splitter.field(index, in: line), as: UTF8.self)
            if name.hasPrefix("\u{FEFF}") { name.removeFirst() }
            return name.trimmingCharacters(in: CharacterSet(charactersIn: " \t\""))
        }
    }

    /// `true` when the line looks like an ethereum-etl transactions header (two or more known column names).
    static func looksLikeHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let names = columnNames(line) else { return false }
        return names.filter { knownColumns.contains($0) }.count >= 2
    }

    /// - Throws: `.badHeader` naming every missing required column.
    init(header: UnsafeRawBufferPointer, source: String) throws(ChainwatchError) {
        let names = EthereumCSVDecoder.columnNames(header) ?? []
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        let missing = EthereumCSVDecoder.requiredColumns.filter { column($0) == nil }
        guard missing.isEmpty else {
            throw ChainwatchError(
                .badHeader,
                "CSV header of \(source) lacks required column(s): \(missing.joined(separator: ", "))",
                context: source
            )
        }
        columnCount = names.count
        hash = column("hash")!
        blockNumber = column("block_number")!
        fromAddress = column("from_address")!
        toAddress = column("to_address")!
        value = column("value")!
        blockTimestamp = column("block_timestamp")!
        transactionIndex = column("transaction_index")
        gasPrice = column("gas_price")
        input = column("input")
    }

    /// Decodes one data line into `batch`.
    ///
    /// - Complexity: O(line length); no allocation for a valid row beyond the batch's arenas.
    mutating func decode(_ line: UnsafeRawBufferPointer, source: String, line number: Int64, into batch: inout TxBatch) -> DecodeOutcome {
        guard splitter.split(line) else { return .rejected("malformed quoted field") }
        guard splitter.count == columnCount else {
            return .rejected("wrong field count: expected \(columnCount), got \(splitter.count)")
        }
        var fields = EthereumRowBuilder.Fields()
        fields.hash = splitter.field(hash, in: line)
        fields.blockNumber = splitter.field(blockNumber, in: line)
        fields.fromAddress = splitter.field(fromAddress, in: line)
        fields.toAddress = splitter.field(toAddress, in: line)
        fields.value = splitter.field(value, in: line)
        fields.blockTimestamp = splitter.field(blockTimestamp, in: line)
        if let transactionIndex { fields.transactionIndex = splitter.field(transactionIndex, in: line) }
        if let gasPrice { fields.gasPrice = splitter.field(gasPrice, in: line) }
        if let input { fields.input = splitter.field(input, in: line) }
        if let reason = EthereumRowBuilder.append(fields, source: source, line: number, into: &batch) {
            return .rejected(reason)
        }
        return .row
    }
}
