import ChainwatchCore

/// Small builders for the `reasons` JSON of typology alerts.
enum _Evidence {
    /// Evidence lists are capped at this many entries; the full length is reported beside them.
    static let listCap = 20

    /// A JSON array of the last ``listCap`` elements (the most recent ones, which include the alerting row).
    static func array(_ elements: [String]) -> String {
        JSONObjectWriter.array(Array(elements.suffix(listCap)))
    }

    /// A JSON array of the hashes of the last ``listCap`` transactions, each written from the reference's
    /// bytes straight into the array text (a hash needing escapes goes through `JSONObjectWriter.quoted`).
    static func hashes(of refs: [_TxRef]) -> String {
        let shown = refs.suffix(listCap)
        var needsEscaping = false
        let text = String(unsafeUninitializedCapacity: 2 + shown.count * (_TxRef.hashCapacity + 3)) { buffer in
            var end = 0
            buffer[end] = UInt8(ascii: "[")
            end += 1
            for ref in shown {
                if end > 1 {
                    buffer[end] = UInt8(ascii: ",")
                    end += 1
                }
                guard let written = ref.writeQuotedHash(into: UnsafeMutableBufferPointer(rebasing: buffer[end...])) else {
                    needsEscaping = true
                    return 0
                }
                end += written
            }
            buffer[end] = UInt8(ascii: "]")
            return end + 1
        }
        return needsEscaping ? JSONObjectWriter.array(shown.map { JSONObjectWriter.quoted($0.hash) }) : text
    }

    /// A JSON array of account addresses, capped like ``array(_:)``, written into one string.
    static func addresses<C: Collection<AccountKey>>(_ keys: C) -> String {
        let shown = keys.suffix(listCap)
        return String(unsafeUninitializedCapacity: 2 + shown.count * (AccountKey._quotedHexLength + 1)) { buffer in
            var end = 0
            buffer[end] = UInt8(ascii: "[")
            end += 1
            for key in shown {
                if end > 1 {
                    buffer[end] = UInt8(ascii: ",")
                    end += 1
                }
                AccountKey._writeQuotedHex(key, into: buffer, at: end)
                end += AccountKey._quotedHexLength
            }
            buffer[end] = UInt8(ascii: "]")
            return end + 1
        }
    }

    /// `{"from":…,"to":…}` of a window in block-time seconds.
    static func window(from start: Int64, to end: Int64) -> String {
        var writer = JSONObjectWriter()
        writer.add("from_time", start)
        writer.add("to_time", end)
        return writer.finished()
    }
}
