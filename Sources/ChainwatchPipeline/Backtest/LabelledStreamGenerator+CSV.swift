import ChainwatchCore
import Foundation

extension LabelledStreamGenerator {
    /// The ethereum-etl `transactions` header, exactly as ethereum-etl writes it.
    public static let transactionsHeader =
        "hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,input,"
        + "block_timestamp,max_fee_per_gas,max_priority_fee_per_gas,transaction_type"

    /// The transactions as ethereum-etl CSV (LF line ends).
    ///
    /// `Transaction` does not keep every ethereum-etl column, so some are rebuilt: `nonce` counts each
    /// sender's transactions in this output, `block_hash` is a synthetic hash derived from the block number
    /// (the same for every row of a block), `gas` is 21,000 (100,000 for calls), `input` is `0x` or, for rows
    /// that carried call data, the one-byte marker `0x00`, and `gas_price` is the gwei value in wei.
    public static func csvText(transactions: [Transaction]) -> String {
        var text = transactionsHeader + "\n"
        var nonces: [String: Int] = [:]
        for tx in transactions {
            let nonce = nonces[tx.fromAddress, default: 0]
            nonces[tx.fromAddress] = nonce + 1
            var blockHashRNG = SplitMix64(seed: UInt64(bitPattern: tx.blockNumber) ^ 0x6368_6169_6e77_6174)
            let call = tx.flags.contains(.hasInput)
            let fields: [String] = [
                tx.hash, String(nonce), "0x" + blockHashRNG.hexDigits(64), String(tx.blockNumber), String(tx.txIndex),
                tx.fromAddress, tx.flags.contains(.contractCreation) ? "" : (tx.toAddress ?? ""), tx.valueRaw,
                call ? "100000" : "21000", String(UInt64((Double(tx.gasPrice) * 1e9).rounded())), call ? "0x00" : "0x",
                String(tx.blockTime), "", "", "0",
            ]
            text += fields.joined(separator: ",")
            text += "\n"
        }
        return text
    }

    /// `hash,label,typology`, one line per planted transaction.
    public static func labelsCSVText(_ labels: [PlantedLabel]) -> String {
        labels.reduce(into: "hash,label,typology\n") { $0 += "\($1.hash),\($1.label),\($1.typology)\n" }
    }

    /// Writes ``csvText(transactions:)`` to `path`.
    ///
    /// - Throws: `.unreadableInput` when the file cannot be written.
    public static func writeCSV(transactions: [Transaction], to path: String) throws(ChainwatchError) {
        try write(csvText(transactions: transactions), to: path)
    }

    /// Writes ``labelsCSVText(_:)`` to `path`.
    public static func writeLabelsCSV(_ labels: [PlantedLabel], to path: String) throws(ChainwatchError) {
        try write(labelsCSVText(labels), to: path)
    }

    static func write(_ text: String, to path: String) throws(ChainwatchError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ChainwatchError(.unreadableInput, "cannot write CSV", context: path, cause: error)
        }
    }
}
