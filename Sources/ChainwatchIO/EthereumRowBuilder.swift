import ChainwatchCore

/// Validates the raw fields of one ethereum-etl transaction and appends it to a batch.
///
/// Shared by the CSV and JSON-lines decoders so both formats accept and reject exactly the same rows.
/// Fields are views into the line buffer; text columns are copied straight into the batch arenas.
enum EthereumRowBuilder {
    /// The raw text of the fields a row needs. `nil` = absent (or JSON `null`).
    struct Fields {
        var hash: UnsafeRawBufferPointer?
        var blockNumber: UnsafeRawBufferPointer?
        var fromAddress: UnsafeRawBufferPointer?
        var toAddress: UnsafeRawBufferPointer?
        var value: UnsafeRawBufferPointer?
        var blockTimestamp: UnsafeRawBufferPointer?
        var transactionIndex: UnsafeRawBufferPointer?
        var gasPrice: UnsafeRawBufferPointer?
        var input: UnsafeRawBufferPointer?
    }

    /// Appends the row, or returns why it was rejected (the quarantine reason).
    ///
    /// Rules: `hash` is `0x` + 64 hex digits; `from_address` a 20-byte hex address; `to_address` the same,
    /// or empty/absent for a contract creation; `value` a decimal integer of at most 78 digits (wei);
    /// block number, timestamp and transaction index decimal integers; `gas_price` (wei, optional) becomes
    /// gwei; `input` beyond `0x` sets ``TxFlags/hasInput``.
    ///
    /// - Complexity: O(field bytes), no allocation beyond the batch's arenas.
    static func append(
        _ fields: Fields, source: String, line: Int64, into batch: inout TxBatch
    ) -> String? {
        guard let hash = fields.hash, hash.count > 0 else { return "missing hash" }
        // The canonical form (every Ethereum hash) is decoded and thereby validated; others are only checked.
        let canonicalHash = _TxHash(text: hash)
        guard canonicalHash != nil || _HexDecoding.isHash(hash) else { return "hash is not 0x + 64 hex digits" }
        guard let blockText = fields.blockNumber, blockText.count > 0 else { return "missing block_number" }
        guard let blockNumber = DecimalAmount.parseInt64(blockText) else { return "block_number is not a decimal integer" }
        guard let timeText = fields.blockTimestamp, timeText.count > 0 else { return "missing block_timestamp" }
        guard let blockTime = DecimalAmount.parseInt64(timeText) else { return "block_timestamp is not a decimal integer" }
        guard let fromText = fields.fromAddress, fromText.count > 0 else { return "missing from_address" }
        guard let from = _HexDecoding.accountKey(fromText) else { return "from_address is not a 20-byte hex address" }
        var flags: TxFlags = []
        var to = AccountKey.none
        let toText = fields.toAddress ?? UnsafeRawBufferPointer(start: nil, count: 0)
        if toText.isEmpty {
            flags.insert(.contractCreation)
        } else {
            guard let key = _HexDecoding.accountKey(toText) else { return "to_address is not a 20-byte hex address" }
            to = key
        }
        guard let value = fields.value, value.count > 0 else { return "missing value" }
        guard let amount = DecimalAmount.parse(value, decimals: 18) else {
            return "value is not a decimal integer of at most 78 digits"
        }
        var txIndex: Int32 = 0
        if let text = fields.transactionIndex, text.count > 0 {
            guard let parsed = DecimalAmount.parseInt64(text), let narrow = Int32(exactly: parsed) else {
                return "transaction_index is not a decimal integer"
            }
            txIndex = narrow
        }
        var gasPrice: Float = 0
        if let text = fields.gasPrice, text.count > 0 {
            guard let gwei = DecimalAmount.parse(text, decimals: 9) else { return "gas_price is not a decimal integer" }
            gasPrice = Float(gwei)
        }
        if let input = fields.input, input.count > 2 { flags.insert(.hasInput) }
        batch.appendRow(
            hash: hash, canonicalHash: canonicalHash, fromAddress: fromText, toAddress: toText, valueRaw: value, blockNumber: blockNumber,
            blockTime: blockTime, txIndex: txIndex, amount: amount, gasPrice: gasPrice, flags: flags, from: from, to: to,
            source: source, line: line
        )
        return nil
    }

}
