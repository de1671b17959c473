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
        array(elements.map(JSONObjectWriter.quoted))
    }

    /// `{"from":…,"to":…}` of a window in block-time seconds.
    static func window(from start: Int64, to end: Int64) -> String {
        var writer = JSONObjectWriter()
        writer.add("from_time", start)
        writer.add("to_time", end)
        return writer.finished()
    }
}
