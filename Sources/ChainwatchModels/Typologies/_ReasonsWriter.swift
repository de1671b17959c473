import ChainwatchCore

/// Writes a typology alert's `reasons` JSON object, nested objects and arrays included, into one byte buffer,
/// with exactly the text `JSONObjectWriter` would give for the same members (every typology alert uses it).
///
/// The frequent alerts (fan-out, fan-in, structuring) carry a few dozen values each; built from strings,
/// every key, value and array was a string of its own, concatenated and copied again at each level, which
/// cost more than all the per-row work of those detectors. Here a value is written once, straight into the
/// writer's buffer, numbers by the same `JSONObjectWriter` code that formats them as strings.
struct _ReasonsWriter: ~Copyable {
    /// The text so far, in a buffer this writer owns (values are written straight into it, with no
    /// intermediate string or array per value).
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    /// No member written yet in the innermost open object or array.
    private var first = true

    /// `capacity`: bytes to reserve, enough for the whole object in the usual case.
    init(capacity: Int = 1_024) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
        put(UInt8(ascii: "{"))
    }

    deinit { base.deallocate() }

    /// The object's text.
    consuming func finished() -> String {
        put(UInt8(ascii: "}"))
        return String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    mutating func add(_ name: StaticString, _ value: String) {
        key(name)
        appendQuoted(value)
    }

    mutating func add(_ name: StaticString, _ value: Double) {
        key(name)
        appendNumber(value)
    }

    mutating func add(_ name: StaticString, _ value: Int64) {
        key(name)
        appendInteger(value)
    }

    mutating func add(_ name: StaticString, _ value: Int) { add(name, Int64(value)) }

    /// Adds an address, as ``AccountKey/hexString`` spells it.
    mutating func add(_ name: StaticString, address: AccountKey) {
        key(name)
        appendAddress(address)
    }

    /// Adds a nested object that `members` fills.
    mutating func addObject(_ name: StaticString, _ members: (inout _ReasonsWriter) -> Void) {
        key(name)
        put(UInt8(ascii: "{"))
        first = true
        members(&self)
        put(UInt8(ascii: "}"))
        first = false
    }

    /// Adds `"window": {"from_time":…,"to_time":…}`, in block-time seconds.
    mutating func addWindow(from start: Int64, to end: Int64) {
        addObject("window") {
            $0.add("from_time", start)
            $0.add("to_time", end)
        }
    }

    /// Adds a transaction as `{"hash":…,"block":…,"time":…,"from":…,"to":…,"amount_eth":…}`.
    mutating func add(_ name: StaticString, transaction: _TxRef) {
        addObject(name) {
            $0.add("hash", transaction.hash)
            $0.add("block", transaction.block)
            $0.add("time", transaction.time)
            $0.add("from", address: transaction.from)
            $0.add("to", address: transaction.to)
            $0.add("amount_eth", transaction.amount)
        }
    }

    /// Adds the evidence of a chain of hops (peel chain, wash cycle), each hop paying the next account: its
    /// `window` (first hop to `end`), the `addresses` along it, and each hop's `hashes`, `amounts_eth` and
    /// `blocks`, the lists capped like every evidence list.
    mutating func addHops(_ hops: [_TxRef], windowEnd end: Int64) {
        precondition(!hops.isEmpty, "a chain has at least one hop")
        addWindow(from: hops[0].time, to: end)
        addArray("addresses", [hops[0].from] + hops.map(\.to)) { $0.appendAddress($1) }
        addArray("hashes", hops) { $0.appendHash($1) }
        addArray("amounts_eth", hops) { $0.appendNumber($1.amount) }
        addArray("blocks", hops) { $0.appendInteger($1.block) }
    }

    /// Adds an array of the last `limit` elements (by default ``_Evidence/listCap``), each written by `element`
    /// with one of the `append` functions.
    mutating func addArray<C: Collection>(_ name: StaticString, _ elements: C, keepingLast limit: Int = _Evidence.listCap,
        _ element: (inout _ReasonsWriter, C.Element) -> Void
    ) {
        key(name)
        put(UInt8(ascii: "["))
        first = true
        for value in elements.suffix(limit) {
            if !first { put(UInt8(ascii: ",")) }
            first = false
            element(&self, value)
        }
        put(UInt8(ascii: "]"))
        first = false
    }

    /// `JSONObjectWriter.number(value)`.
    mutating func appendNumber(_ value: Double) {
        reserve(JSONObjectWriter._numberCapacity)
        count += JSONObjectWriter._writeNumber(value, into: base + count)
    }

    /// `String(value)`.
    mutating func appendInteger(_ value: Int64) {
        reserve(JSONObjectWriter._numberCapacity)
        count += JSONObjectWriter._writeInteger(value, into: base + count)
    }

    /// `"0x…"`, 40 lowercase hex digits.
    mutating func appendAddress(_ key: AccountKey) {
        reserve(AccountKey._quotedHexLength)
        AccountKey._writeQuotedHex(key, into: UnsafeMutableBufferPointer(start: base + count, count: AccountKey._quotedHexLength), at: 0)
        count += AccountKey._quotedHexLength
    }

    /// The canonical hash text as a JSON string (hex never needs escaping).
    mutating func appendHash(_ hash: _TxHash) {
        reserve(_TxHash.textLength + 2)
        base[count] = UInt8(ascii: "\"")
        hash.write(into: UnsafeMutableRawBufferPointer(start: base + count + 1, count: _TxHash.textLength))
        base[count + 1 + _TxHash.textLength] = UInt8(ascii: "\"")
        count += _TxHash.textLength + 2
    }

    /// The transaction's hash as a JSON string: straight from its bytes when nothing needs escaping, else as
    /// `JSONObjectWriter.quoted` writes it.
    mutating func appendHash(_ transaction: _TxRef) {
        reserve(_TxRef.hashCapacity + 2)
        if let written = transaction.writeQuotedHash(into: UnsafeMutableBufferPointer(start: base + count, count: _TxRef.hashCapacity + 2)) {
            count += written
        } else {
            appendQuoted(transaction.hash)
        }
    }

    /// `JSONObjectWriter.quoted(string)`: the bytes between quotes when nothing needs escaping.
    mutating func appendQuoted(_ string: String) {
        var copy = string
        let plain = copy.withUTF8 { text in
            guard JSONObjectWriter.isPlain(text) else { return false }
            reserve(text.count + 2)
            put(UInt8(ascii: "\""))
            if text.count > 0 { (base + count).update(from: text.baseAddress!, count: text.count) }
            count += text.count
            put(UInt8(ascii: "\""))
            return true
        }
        if !plain { appendBytes(JSONObjectWriter.quoted(string)) }
    }

    private mutating func appendBytes(_ text: String) {
        var text = text
        text.withUTF8 { text in
            reserve(text.count)
            if text.count > 0 { (base + count).update(from: text.baseAddress!, count: text.count) }
            count += text.count
        }
    }

    /// Writes `"name":` — member names are literals, written without the escape check a value needs.
    private mutating func key(_ name: StaticString) {
        assert(name.hasPointerRepresentation && JSONObjectWriter.isPlain(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)))
        let length = name.utf8CodeUnitCount
        reserve(length + 4)
        if !first {
            base[count] = UInt8(ascii: ",")
            count += 1
        }
        first = false
        base[count] = UInt8(ascii: "\"")
        (base + count + 1).update(from: name.utf8Start, count: length)
        base[count + 1 + length] = UInt8(ascii: "\"")
        base[count + 2 + length] = UInt8(ascii: ":")
        count += length + 3
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}
