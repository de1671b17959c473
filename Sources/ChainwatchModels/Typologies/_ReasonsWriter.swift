import ChainwatchCore

/// Writes an alert's `reasons` JSON object, nested objects and arrays included, into one byte buffer, with
/// exactly the text `JSONObjectWriter` (and the ``_Evidence`` arrays spliced into it) would give.
///
/// The frequent alerts (fan-out, fan-in, structuring) carry a few dozen values each; built from strings,
/// every key, value and array was a string of its own, concatenated and copied again at each level, which
/// cost more than all the per-row work of those detectors. Here a value is appended once, and numbers are
/// formatted by the same `JSONObjectWriter` functions (their short results need no heap allocation).
struct _ReasonsWriter {
    private var bytes: [UInt8] = []
    /// No member written yet in the innermost open object or array.
    private var first = true

    /// `capacity`: bytes to reserve, enough for the whole object in the usual case.
    init(capacity: Int = 1_024) {
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// The object's text.
    func finished() -> String {
        var text = bytes
        text.append(UInt8(ascii: "}"))
        return String(decoding: text, as: UTF8.self)
    }

    mutating func add(_ name: String, _ value: String) {
        key(name)
        appendQuoted(value)
    }

    mutating func add(_ name: String, _ value: Double) {
        key(name)
        appendNumber(value)
    }

    mutating func add(_ name: String, _ value: Int64) {
        key(name)
        appendInteger(value)
    }

    mutating func add(_ name: String, _ value: Int) { add(name, Int64(value)) }

    /// Adds an address, as ``AccountKey/hexString`` spells it.
    mutating func add(_ name: String, address: AccountKey) {
        key(name)
        appendAddress(address)
    }

    /// Adds a nested object that `members` fills.
    mutating func addObject(_ name: String, _ members: (inout _ReasonsWriter) -> Void) {
        key(name)
        bytes.append(UInt8(ascii: "{"))
        first = true
        members(&self)
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    /// Adds `"window": {"from_time":…,"to_time":…}` (``_Evidence/window(from:to:)``), in block-time seconds.
    mutating func addWindow(from start: Int64, to end: Int64) {
        addObject("window") {
            $0.add("from_time", start)
            $0.add("to_time", end)
        }
    }

    /// Adds an array of the last `limit` elements (by default ``_Evidence/listCap``, like the ``_Evidence``
    /// arrays), each written by `element` with one of the `append` functions.
    mutating func addArray<C: Collection>(
        _ name: String, _ elements: C, keepingLast limit: Int = _Evidence.listCap,
        _ element: (inout _ReasonsWriter, C.Element) -> Void
    ) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        first = true
        for value in elements.suffix(limit) {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// `JSONObjectWriter.number(value)`.
    mutating func appendNumber(_ value: Double) { appendText(JSONObjectWriter.number(value)) }

    mutating func appendInteger(_ value: Int64) { appendText(String(value)) }

    /// `"0x…"`, 40 lowercase hex digits.
    mutating func appendAddress(_ key: AccountKey) {
        appendWritten(capacity: AccountKey._quotedHexLength) { buffer in
            AccountKey._writeQuotedHex(key, into: buffer, at: 0)
            return AccountKey._quotedHexLength
        }
    }

    /// The transaction's hash as a JSON string, as ``_Evidence/hashes(of:)`` writes it.
    mutating func appendHash(_ transaction: _TxRef) {
        let written = appendWritten(capacity: _TxRef.hashCapacity + 2) { transaction.writeQuotedHash(into: $0) }
        if !written { appendQuoted(transaction.hash) }
    }

    /// Appends a string's bytes in one copy (appending its `utf8` view goes byte by byte).
    private mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends what `write` puts at the start of a scratch buffer of `capacity` bytes, or nothing when it
    /// returns `nil`; `true` when it wrote.
    @discardableResult
    private mutating func appendWritten(capacity: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Int?) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            guard let count = write(buffer) else { return false }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0 ..< count]))
            return true
        }
    }

    /// `JSONObjectWriter.quoted(string)`: the bytes between quotes when nothing needs escaping.
    mutating func appendQuoted(_ string: String) {
        var copy = string
        let plain = copy.withUTF8 { text in
            guard JSONObjectWriter.isPlain(text) else { return false }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        if !plain { bytes.append(contentsOf: JSONObjectWriter.quoted(string).utf8) }
    }

    private mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
    }
}
