import ChainwatchCore

/// Splits a byte stream into lines inside one reusable buffer, at `memchr` speed.
///
/// Shape of a NIO single-step decoder: ``next()`` returns a complete line or `nil` ("need more bytes"),
/// ``fill(from:)`` reads more, ``nextAtEnd()`` flushes a final line without a newline. LF ends a line; a CR
/// before it is dropped (CRLF files). No `String` is made per line: a line is a view into the buffer.
///
/// A line longer than `maxLineBytes` (excluding its terminator) is reported as ``Event/tooLong(prefix:length:number:)``
/// and skipped **without buffering it**: the buffer grows from 1 MiB only up to `maxLineBytes + 2`, then the rest of
/// the line is read and dropped, keeping only the first ``QuarantineRecord/rawTextLimit`` bytes.
///
///     storage: |consumed…|start ── partial line ── end|free…|
///                         scanned: no LF in start ..< scanned
///
/// - Warning: the buffer of a ``Event/line(_:number:)`` is valid only until the next mutating call.
struct LineSplitter: ~Copyable {
    enum Event {
        /// A complete line without its terminator; `number` is 1-based.
        case line(UnsafeRawBufferPointer, number: Int64)
        /// A line over the limit: its first bytes and its full length.
        case tooLong(prefix: [UInt8], length: Int, number: Int64)
    }

    let maxLineBytes: Int
    private let capacityLimit: Int
    private var storage: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var scanned = 0
    /// Set while dropping the rest of an over-long line.
    private var discardPrefix: [UInt8]?
    private var discardLength = 0
    /// The last byte dropped, to exclude a CR before the LF from the reported length.
    private var discardLastByte: UInt8 = 0
    /// Lines returned so far (the number of the last one).
    private(set) var lineNumber: Int64 = 0
    /// Bytes read from sources so far.
    private(set) var bytesRead: Int64 = 0

    init(maxLineBytes: Int, initialCapacity: Int = 1 << 20) {
        precondition(maxLineBytes > 0, "maxLineBytes must be positive")
        self.maxLineBytes = maxLineBytes
        capacityLimit = maxLineBytes + 2
        storage = .allocate(byteCount: max(16, min(initialCapacity, capacityLimit)), alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Bytes currently allocated for the buffer (never above `maxLineBytes + 2` or the initial capacity).
    var capacity: Int { storage.count }

    /// The next complete line in the buffer, or `nil` when more bytes are needed.
    ///
    /// - Complexity: O(bytes scanned); each byte is scanned once.
    mutating func next() -> Event? {
        let view = UnsafeRawBufferPointer(storage)
        if discardPrefix != nil {
            guard let newline = _ByteSearch.firstIndex(of: 0x0A, in: view, from: start, to: end) else {
                if end > start { discardLastByte = view[end - 1] }
                discardLength += end - start
                start = 0; end = 0; scanned = 0
                return nil
            }
            if newline > start { discardLastByte = view[newline - 1] }
            discardLength += newline - start
            start = newline + 1; scanned = start
            return finishDiscard()
        }
        guard let newline = _ByteSearch.firstIndex(of: 0x0A, in: view, from: scanned, to: end) else {
            scanned = end
            if end - start >= capacityLimit {
                // The buffer is full at its limit with one partial line: keep its head, drop the rest.
                discardPrefix = Array(view[start ..< start + min(QuarantineRecord.rawTextLimit, end - start)])
                discardLength = end - start
                discardLastByte = view[end - 1]
                start = 0; end = 0; scanned = 0
            }
            return nil
        }
        var lineEnd = newline
        if lineEnd > start && view[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: view[start ..< lineEnd])
        start = newline + 1; scanned = start
        lineNumber += 1
        if line.count > maxLineBytes {
            return .tooLong(prefix: Array(line.prefix(QuarantineRecord.rawTextLimit)), length: line.count, number: lineNumber)
        }
        return .line(line, number: lineNumber)
    }

    /// At end of input: the final unterminated line (or over-long line), then `nil`.
    mutating func nextAtEnd() -> Event? {
        if let event = next() { return event }
        if discardPrefix != nil { return finishDiscard() }
        guard start < end else { return nil }
        let view = UnsafeRawBufferPointer(storage)
        var lineEnd = end
        if view[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: view[start ..< lineEnd])
        start = end; scanned = end
        lineNumber += 1
        if line.count > maxLineBytes {
            return .tooLong(prefix: Array(line.prefix(QuarantineRecord.rawTextLimit)), length: line.count, number: lineNumber)
        }
        return .line(line, number: lineNumber)
    }

    /// Reads more bytes after ``next()`` returned `nil`. Returns `false` at end of input.
    ///
    /// Makes room first: moves the partial line to the front, or doubles the buffer up to the limit.
    /// - Complexity: one `read` plus at most one copy of the partial line.
    mutating func fill(from source: inout any ByteSource) throws(ChainwatchError) -> Bool {
        if start == end {
            start = 0; end = 0; scanned = 0
        } else if storage.count - end < storage.count / 4 {
            if start > 0 {
                let pending = end - start
                storage.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: pending)
                scanned -= start; end = pending; start = 0
            }
            if end == storage.count && storage.count < capacityLimit {
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: min(storage.count * 2, capacityLimit), alignment: 16)
                grown.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: end)
                storage.deallocate()
                storage = grown
            }
        }
        let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
        end += count
        bytesRead += Int64(count)
        return count > 0
    }

    private mutating func finishDiscard() -> Event {
        let prefix = discardPrefix ?? []
        let length = discardLastByte == 0x0D ? discardLength - 1 : discardLength
        discardPrefix = nil
        discardLength = 0
        discardLastByte = 0
        lineNumber += 1
        return .tooLong(prefix: prefix, length: length, number: lineNumber)
    }
}
