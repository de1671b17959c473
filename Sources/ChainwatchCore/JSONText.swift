import Foundation

/// Minimal, allocation-light JSON text building for `reasons` columns and JSON-lines output.
///
/// Reasons are written by hand rather than through `JSONEncoder` so key order is fixed (alerts from two
/// runs compare byte for byte) and numbers print the same on every platform.
public struct JSONObjectWriter: Sendable {
    public private(set) var text = "{"
    private var first = true

    public init() {}

    private mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += JSONObjectWriter.quoted(name)
        text += ":"
    }

    public mutating func add(_ name: String, _ value: String) {
        key(name); text += JSONObjectWriter.quoted(value)
    }

    public mutating func add(_ name: String, _ value: Double) {
        key(name); text += JSONObjectWriter.number(value)
    }

    public mutating func add(_ name: String, _ value: Int64) {
        key(name); text += String(value)
    }

    public mutating func add(_ name: String, _ value: Int) {
        key(name); text += String(value)
    }

    public mutating func add(_ name: String, _ value: Bool) {
        key(name); text += value ? "true" : "false"
    }

    public mutating func addNull(_ name: String) {
        key(name); text += "null"
    }

    /// Adds a value that is already JSON text (a nested object or array).
    public mutating func add(_ name: String, rawJSON: String) {
        key(name); text += rawJSON
    }

    public func finished() -> String { text + "}" }

    /// Finite numbers with 6 significant digits (`%.6g`); non-finite as `null`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    public static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON array from already-encoded elements.
    public static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ",") + "]" }
}

