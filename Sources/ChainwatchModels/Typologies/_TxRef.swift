import ChainwatchCore

/// A compact, string-free reference to one transaction, kept in detector state as evidence.
///
/// A 32-byte hex hash (`0x` + 64 hex digits, or 64 hex digits) is parsed into four words, so keeping a
/// reference costs no heap allocation; any other hash text (generic CSV inputs) is kept as a `String`.
/// Strings are rebuilt only when an alert is written.
struct _TxRef: Sendable, Equatable {
    var hashWords: (UInt64, UInt64, UInt64, UInt64)
    var hashPrefixed: Bool
    var hashText: String?
    var block: Int64
    var time: Int64
    var amount: Double
    var from: AccountKey
    var to: AccountKey

    init(batch: TxBatch, row: Int) {
        block = batch.blockNumber[row]
        time = batch.blockTime[row]
        amount = batch.amount[row]
        from = batch.from[row]
        to = batch.to[row]
        hashWords = (0, 0, 0, 0)
        hashPrefixed = false
        hashText = nil
        let parsed: (UInt64, UInt64, UInt64, UInt64, Bool)? = batch.hash.withBytes(at: row) { bytes in
            var start = 0
            if bytes.count == 66, bytes[0] == UInt8(ascii: "0"), bytes[1] | 0x20 == UInt8(ascii: "x") {
                start = 2
            } else if bytes.count != 64 {
                return nil
            }
            var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
            for index in 0 ..< 64 {
                let byte = bytes[start + index] | 0x20  // lowercase letters; digits are unchanged
                let nibble: UInt64
                switch byte {
                case UInt8(ascii: "0") ... UInt8(ascii: "9"): nibble = UInt64(byte &- UInt8(ascii: "0"))
                case UInt8(ascii: "a") ... UInt8(ascii: "f"): nibble = UInt64(byte &- UInt8(ascii: "a") &+ 10)
                default: return nil
                }
                switch index >> 4 {
                case 0: w0 = w0 &<< 4 | nibble
                case 1: w1 = w1 &<< 4 | nibble
                case 2: w2 = w2 &<< 4 | nibble
                default: w3 = w3 &<< 4 | nibble
                }
            }
            return (w0, w1, w2, w3, start == 2)
        }
        if let parsed {
            hashWords = (parsed.0, parsed.1, parsed.2, parsed.3)
            hashPrefixed = parsed.4
        } else {
            hashText = batch.hash[row]
        }
    }

    static func == (lhs: _TxRef, rhs: _TxRef) -> Bool {
        lhs.hashWords == rhs.hashWords && lhs.hashPrefixed == rhs.hashPrefixed && lhs.hashText == rhs.hashText
            && lhs.block == rhs.block && lhs.time == rhs.time && lhs.amount == rhs.amount && lhs.from == rhs.from
            && lhs.to == rhs.to
    }

    /// The hash as it appeared in the input (hex digits in lowercase).
    var hash: String {
        if let hashText { return hashText }
        func hex(_ word: UInt64) -> String {
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        let body = hex(hashWords.0) + hex(hashWords.1) + hex(hashWords.2) + hex(hashWords.3)
        return hashPrefixed ? "0x" + body : body
    }

    /// `{"hash":…,"block":…,"time":…,"from":…,"to":…,"amount_eth":…}`
    var json: String {
        var writer = JSONObjectWriter()
        writer.add("hash", hash)
        writer.add("block", block)
        writer.add("time", time)
        writer.add("from", from.hexString)
        writer.add("to", to.hexString)
        writer.add("amount_eth", amount)
        return writer.finished()
    }
}
