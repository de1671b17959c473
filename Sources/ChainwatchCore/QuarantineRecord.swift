/// A row that could not be decoded: kept with its reason instead of stopping the stream or vanishing.
public struct QuarantineRecord: Sendable, Equatable {
    /// Bytes of the raw row kept; longer rows are cut (a 10 MB line must not bloat the database).
    public static let rawTextLimit = 4096

    public var source: String
    /// 1-based line number within `source`.
    public var line: Int64
    /// The row's text, cut to ``rawTextLimit`` bytes, invalid UTF-8 repaired and NUL bytes shown as `\0`.
    public var raw: String
    public var reason: String

    public init(source: String, line: Int64, raw: String, reason: String) {
        self.source = source
        self.line = line
        self.raw = raw
        self.reason = reason
    }

    /// Builds a record from raw bytes, cutting and sanitizing them.
    public init<Bytes: Collection<UInt8>>(source: String, line: Int64, rawBytes: Bytes, reason: String) {
        var kept = Array(rawBytes.prefix(QuarantineRecord.rawTextLimit))
        if kept.contains(0) {
            kept = kept.flatMap { $0 == 0 ? Array("\\0".utf8) : [$0] }
        }
        var text = String(decoding: kept, as: UTF8.self)
        if rawBytes.count > QuarantineRecord.rawTextLimit {
            text += "…[\(rawBytes.count) bytes]"
        }
        self.init(source: source, line: line, raw: text, reason: reason)
    }
}
