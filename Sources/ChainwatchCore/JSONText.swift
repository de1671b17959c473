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
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: _numberCapacity) { buffer in
            // Short results become small strings, with no heap allocation.
            String(decoding: UnsafeBufferPointer(start: buffer.baseAddress!, count: _writeNumber(value, into: buffer.baseAddress!)), as: UTF8.self)
        }
    }

    /// The most bytes ``_writeNumber(_:into:)`` and ``_writeInteger(_:into:)`` write.
    public static let _numberCapacity = 32

    /// Writes ``number(_:)``'s text of `value` at `start` (room for ``_numberCapacity`` bytes) and returns its
    /// length: writers of long reasons texts append numbers without making a string of each. Not API.
    public static func _writeNumber(_ value: Double, into start: UnsafeMutablePointer<UInt8>) -> Int {
        guard value.isFinite else {
            for (index, byte) in "null".utf8.enumerated() { start[index] = byte }
            return 4
        }
        if value == value.rounded(), abs(value) < 1e15 { return _writeInteger(Int64(value), into: start) }
        let written = _SixSignificantDigits.write(value, into: start)
        if written > 0 { return written }
        // C's own `%.6g`: the same text as `String(format:)`, at half the cost.
        return start.withMemoryRebound(to: CChar.self, capacity: _numberCapacity) { text in
            let written = withVaList([value]) { vsnprintf(text, _numberCapacity, "%.6g", $0) }
            return Int(max(0, min(written, Int32(_numberCapacity) - 1)))
        }
    }

    /// Writes the decimal text of `value` (as `String(value)`) at `start` (room for ``_numberCapacity``
    /// bytes) and returns its length. Not API.
    public static func _writeInteger(_ value: Int64, into start: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = value.magnitude
        var digits = 0
        repeat {
            digits += 1
        } while digits < 20 && magnitude >= _decimalPowers[digits]
        let length = digits + (value < 0 ? 1 : 0)
        if value < 0 { start[0] = UInt8(ascii: "-") }
        var end = length
        repeat {
            end -= 1
            start[end] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return length
    }

    /// 10⁰ … 10¹⁹.
    private static let _decimalPowers: [UInt64] = (0 ..< 20).map { power in (0 ..< power).reduce(1) { product, _ in product * 10 } }

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

