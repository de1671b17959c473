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
        let written = array(shown, elementCapacity: _TxRef.hashCapacity + 2) { ref, buffer in ref.writeQuotedHash(into: buffer) }
        return written ?? JSONObjectWriter.array(shown.map { JSONObjectWriter.quoted($0.hash) })
    }

    /// A JSON array of account addresses, capped like ``array(_:)``, written into one string.
    static func addresses<C: Collection<AccountKey>>(_ keys: C) -> String {
        // Hex never gives up, so the array is always written.
        array(keys.suffix(listCap), elementCapacity: AccountKey._quotedHexLength) { key, buffer in
            AccountKey._writeQuotedHex(key, into: buffer, at: 0)
            return AccountKey._quotedHexLength
        }!
    }

    /// A JSON array written into one string: `write` puts an element's JSON text at the start of the buffer
    /// it gets (room for `elementCapacity` bytes) and returns its length, or `nil` to give up on the array.
    private static func array<C: Collection>(
        _ elements: C, elementCapacity: Int, write: (C.Element, UnsafeMutableBufferPointer<UInt8>) -> Int?
    ) -> String? {
        var complete = true
        let text = String(unsafeUninitializedCapacity: 2 + elements.count * (elementCapacity + 1)) { buffer in
            var end = 0
            buffer[end] = UInt8(ascii: "[")
            end += 1
            for element in elements {
                if end > 1 {
                    buffer[end] = UInt8(ascii: ",")
                    end += 1
                }
                guard let written = write(element, UnsafeMutableBufferPointer(rebasing: buffer[end...])) else {
                    complete = false
                    return 0
                }
                end += written
            }
            buffer[end] = UInt8(ascii: "]")
            return end + 1
        }
        return complete ? text : nil
    }

    /// `{"from":…,"to":…}` of a window in block-time seconds.
    static func window(from start: Int64, to end: Int64) -> String {
        var writer = JSONObjectWriter()
        writer.add("from_time", start)
        writer.add("to_time", end)
        return writer.finished()
    }
}
