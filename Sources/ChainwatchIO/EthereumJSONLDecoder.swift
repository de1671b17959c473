import ChainwatchCore

/// Decodes ethereum-etl transactions as JSON lines: batch export records and `ethereumetl stream` records.
///
/// Keys may come in any order; unknown keys are ignored. Numbers may be unquoted (exact digits are kept)
/// or quoted. `"to_address": null` (or absent/empty) is a contract creation. A stream record whose `"type"`
/// is anything but `"transaction"` (blocks, logs, token transfers) is ``DecodeOutcome/skipped``.
struct EthereumJSONLDecoder {
    init() {}

    /// Decodes one line into `batch`.
    ///
    /// - Complexity: O(line length); no allocation for a valid row beyond the batch's arenas.
    mutating func decode(_ line: UnsafeRawBufferPointer, source: String, line number: Int64, into batch: inout TxBatch) -> DecodeOutcome {
        var fields = EthereumRowBuilder.Fields()
        var isTransaction = true
        let syntaxError = JSONObjectScanner.scan(line) { key, value in
            let text: UnsafeRawBufferPointer?
            switch value {
            case .string(let body, _): text = body
            case .number(let body): text = body
            case .null: text = nil
            case .bool, .nested: text = UnsafeRawBufferPointer(start: nil, count: 0)
            }
            switch key.count {
            case 4 where _ByteSearch.equals(key, "hash"): fields.hash = text
            case 4 where _ByteSearch.equals(key, "type"):
                if case .string(let body, _) = value, _ByteSearch.equals(body, "transaction") { break }
                isTransaction = false
            case 5 where _ByteSearch.equals(key, "value"): fields.value = text
            case 5 where _ByteSearch.equals(key, "input"): fields.input = text
            case 9 where _ByteSearch.equals(key, "gas_price"): fields.gasPrice = text
            case 10 where _ByteSearch.equals(key, "to_address"):
                if case .string(let body, _) = value, body.isEmpty { break }
                fields.toAddress = text
            case 12 where _ByteSearch.equals(key, "block_number"): fields.blockNumber = text
            case 12 where _ByteSearch.equals(key, "from_address"): fields.fromAddress = text
            case 15 where _ByteSearch.equals(key, "block_timestamp"): fields.blockTimestamp = text
            case 17 where _ByteSearch.equals(key, "transaction_index"): fields.transactionIndex = text
            default: break
            }
        }
        if let syntaxError { return .rejected("invalid JSON: \(syntaxError)") }
        guard isTransaction else { return .skipped }
        if let reason = EthereumRowBuilder.append(fields, source: source, line: number, into: &batch) {
            return .rejected(reason)
        }
        return .row
    }
}
