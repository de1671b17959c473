/// A byte-level scanner for one flat JSON object per line: yields each top-level key and its raw value.
///
/// Hand-written rather than `JSONSerialization`/`JSONDecoder` so numbers keep their exact digits
/// (`"value": 32000000000000000000` is beyond `UInt64`) and no `String` or dictionary is built per record.
/// Strings are returned as the bytes between the quotes (escapes not decoded; ``Value/string(_:hasEscapes:)``
/// says whether any are present). Nested objects and arrays are validated for balance and skipped.
enum JSONObjectScanner {
    enum Value {
        case string(UnsafeRawBufferPointer, hasEscapes: Bool)
        /// Number text as written (sign, digits, fraction, exponent).
        case number(UnsafeRawBufferPointer)
        case null
        case bool(Bool)
        case nested
    }

    /// Calls `body` for each top-level member of the object in `line`, in order.
    ///
    /// - Returns: `nil` on success, or a short description of the first syntax error.
    /// - Complexity: O(line length); long strings are skipped with `memchr`.
    static func scan(_ line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Value) -> Void) -> String? {
        var cursor = Cursor(bytes: line)
        cursor.skipSpace()
        guard cursor.take(UInt8(ascii: "{")) else { return "expected '{' at the start of the record" }
        cursor.skipSpace()
        if !cursor.take(UInt8(ascii: "}")) {
            while true {
                cursor.skipSpace()
                guard cursor.take(UInt8(ascii: "\"")), let (key, _) = cursor.stringBody() else { return "expected a quoted key at byte \(cursor.position)" }
                cursor.skipSpace()
                guard cursor.take(UInt8(ascii: ":")) else { return "expected ':' at byte \(cursor.position)" }
                cursor.skipSpace()
                guard let value = cursor.value() else { return "invalid value at byte \(cursor.position)" }
                body(key, value)
                cursor.skipSpace()
                if cursor.take(UInt8(ascii: ",")) { continue }
                if cursor.take(UInt8(ascii: "}")) { break }
                return "expected ',' or '}' at byte \(cursor.position)"
            }
        }
        cursor.skipSpace()
        return cursor.atEnd ? nil : "unexpected bytes after the object at byte \(cursor.position)"
    }

    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        var atEnd: Bool { position >= bytes.count }

        mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// After an opening quote: the string's raw body, leaving the cursor past the closing quote.
        mutating func stringBody() -> (UnsafeRawBufferPointer, Bool)? {
            let start = position
            guard let quote = _ByteSearch.firstIndex(of: UInt8(ascii: "\""), in: bytes, from: start, to: bytes.count) else { return nil }
            if _ByteSearch.firstIndex(of: UInt8(ascii: "\\"), in: bytes, from: start, to: quote) == nil {
                position = quote + 1
                return (UnsafeRawBufferPointer(rebasing: bytes[start ..< quote]), false)
            }
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    position = index + 1
                    return (UnsafeRawBufferPointer(rebasing: bytes[start ..< index]), true)
                default: index += 1
                }
            }
            return nil
        }

        mutating func value() -> Value? {
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                guard let (body, escaped) = stringBody() else { return nil }
                return .string(body, hasEscapes: escaped)
            case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
                let start = position
                while position < bytes.count {
                    switch bytes[position] {
                    case UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                         UInt8(ascii: "e"), UInt8(ascii: "E"):
                        position += 1
                    default:
                        return .number(UnsafeRawBufferPointer(rebasing: bytes[start ..< position]))
                    }
                }
                return .number(UnsafeRawBufferPointer(rebasing: bytes[start ..< position]))
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "{"), UInt8(ascii: "["): return skipNested() ? .nested : nil
            default: return nil
            }
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let end = position + word.utf8CodeUnitCount
            guard end <= bytes.count, _ByteSearch.equals(UnsafeRawBufferPointer(rebasing: bytes[position ..< end]), word) else { return false }
            position = end
            return true
        }

        /// Skips a nested object or array, checking bracket balance and string boundaries.
        private mutating func skipNested() -> Bool {
            var closers: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "{"): closers.append(UInt8(ascii: "}"))
                case UInt8(ascii: "["): closers.append(UInt8(ascii: "]"))
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard closers.popLast() == byte else { return false }
                    if closers.isEmpty { return true }
                case UInt8(ascii: "\""):
                    guard stringBody() != nil else { return false }
                default: break
                }
            }
            return false
        }
    }
}
