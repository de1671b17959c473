import ChainwatchCore

/// Small builders for the `reasons` JSON of typology alerts.
enum _Evidence {
    /// Evidence lists are capped at this many entries; the full length is reported beside them.
    static let listCap = 20

    /// A JSON array of the last ``listCap`` elements (the most recent ones, which include the alerting row).
    static func array(_ elements: [String]) -> String {
        JSONObjectWriter.array(Array(elements.suffix(listCap)))
    }

    /// A JSON array of quoted strings, capped like ``array(_:)``.
    static func strings(_ elements: [String]) -> String {
        array(elements.suffix(listCap).map(quoted))
    }

    /// A JSON array of account addresses, capped like ``array(_:)``.
    static func addresses<C: Collection<AccountKey>>(_ keys: C) -> String {
        JSONObjectWriter.array(keys.suffix(listCap).map(\._quotedHex))
    }

    /// `JSONObjectWriter.quoted`, with a byte scan first: text with nothing to escape is just wrapped.
    static func quoted(_ string: String) -> String {
        var copy = string
        let plain = copy.withUTF8 { bytes in
            !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        }
        return plain ? "\"" + copy + "\"" : JSONObjectWriter.quoted(copy)
    }

    /// `{"from":…,"to":…}` of a window in block-time seconds.
    static func window(from start: Int64, to end: Int64) -> String {
        var writer = JSONObjectWriter()
        writer.add("from_time", start)
        writer.add("to_time", end)
        return writer.finished()
    }
}
