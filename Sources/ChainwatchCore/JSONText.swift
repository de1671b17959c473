import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        if let text = _SixSignificantDigits.text(value) { return text }
        // C's own `%.6g` into a stack buffer: the same text as `String(format:)`, at half the cost
        // (every model alert formats a dozen numbers).
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buffer in
            let written = withVaList([value]) { vsnprintf(buffer.baseAddress, 32, "%.6g", $0) }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(max(0, min(written, 31)))), as: UTF8.self)
        }
    }

    public static func quoted(_ string: String) -> String {
        // Most text (keys, hex, names) has nothing to escape: one byte scan, then it is just wrapped.
        var copy = string
        if copy.withUTF8(isPlain) { return "\"" + copy + "\"" }
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

    /// Whether UTF-8 `bytes` go between JSON quotes as they are: no control byte, `"` or `\`.
    @inlinable
    public static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }

    /// A JSON array from already-encoded elements.
    public static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ",") + "]" }
}

