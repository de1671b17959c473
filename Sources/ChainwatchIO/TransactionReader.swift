import ChainwatchCore

/// Reads one input (file, stdin, LZ4) into ``TxBatch``es: the IO module's entry point for the pipeline.
///
/// Bytes flow source → ``LineSplitter`` (1 MiB buffer, `memchr`) → format decoder → batch arenas, with no
/// `String` per line or field. The format is detected from the first non-empty line unless given. Bad rows
/// become ``QuarantineRecord``s (1-based line numbers) and reading goes on; only unreadable, unrecognizable or
/// corrupt *inputs* throw.
///
///     let reader = try TransactionReader(path: "-")
///     var batch = TxBatch(capacity: 4096), quarantine: [QuarantineRecord] = []
///     while try reader.readBatch(into: &batch, maxRows: 4096, quarantine: &quarantine) {
///         process(batch, quarantine); batch.removeAll(); quarantine.removeAll()
///     }
///
/// A class because it owns a descriptor and a buffer; use it from one task at a time (not `Sendable`).
public final class TransactionReader {
    /// Input name as given (`-` for stdin); recorded as each row's source.
    public let name: String
    /// The input format; `nil` until the first non-empty line has been read (unless given).
    public private(set) var format: InputFormat?
    /// Lines read so far, including the header, blank and quarantined lines.
    public private(set) var linesRead: Int64 = 0
    public private(set) var rowsDecoded: Int64 = 0
    public private(set) var rowsQuarantined: Int64 = 0
    /// Valid records that are not transactions (stream block/log records).
    public private(set) var recordsSkipped: Int64 = 0
    /// Bytes of (decompressed) input read so far.
    public var bytesConsumed: Int64 { splitter.bytesRead }

    private var source: any ByteSource
    private var splitter: LineSplitter
    private var csv: EthereumCSVDecoder?
    private var jsonl: EthereumJSONLDecoder?
    private var sourceAtEnd = false
    private var exhausted = false

    /// Opens `path` (`-` = stdin; `.lz4` names and inputs starting with the LZ4 magic are decompressed).
    ///
    /// - Throws: `.unreadableInput` naming the path.
    public convenience init(path: String, format: InputFormat? = nil, maxLineBytes: Int = 4 << 20) throws(ChainwatchError) {
        try self.init(source: ByteSources.open(path: path), name: path, format: format, maxLineBytes: maxLineBytes)
    }

    /// Reads from any source; `name` is used for row sources, quarantine records and messages.
    public init(source: any ByteSource, name: String, format: InputFormat? = nil, maxLineBytes: Int = 4 << 20) throws(ChainwatchError) {
        guard maxLineBytes > 0 else {
            throw ChainwatchError(.invalidArgument, "maximum line length must be positive, got \(maxLineBytes)")
        }
        self.source = source
        self.name = name
        self.format = format
        splitter = LineSplitter(maxLineBytes: maxLineBytes)
        if format == .ethereumTransactionsJSONL { jsonl = EthereumJSONLDecoder() }
    }

    /// Buffer bytes currently allocated (bounded by `max(1 MiB, maxLineBytes + 2)`).
    var bufferCapacity: Int { splitter.capacity }

    /// Appends up to `maxRows` transactions to `batch` and bad rows to `quarantine`.
    ///
    /// - Returns: `false` once the input is exhausted and this call appended nothing (no row, no quarantine
    ///   record), so `while try reader.readBatch(…) { … }` never drops data.
    /// - Throws: `.unknownFormat`, `.badHeader` (first line), `.unreadableInput`, `.truncatedInput`,
    ///   `.corruptCompressedInput`.
    ///   Rows appended before an error was thrown stay in `batch`.
    /// - Precondition: `maxRows > 0`.
    /// - Complexity: O(bytes read).
    public func readBatch(into batch: inout TxBatch, maxRows: Int, quarantine: inout [QuarantineRecord]) throws(ChainwatchError) -> Bool {
        precondition(maxRows > 0, "maxRows must be positive")
        guard !exhausted else { return false }
        let quarantinedBefore = quarantine.count
        var appended = 0
        while appended < maxRows {
            let event: LineSplitter.Event
            if let next = splitter.next() {
                event = next
            } else if !sourceAtEnd {
                sourceAtEnd = try !splitter.fill(from: &source)
                continue
            } else if let last = splitter.nextAtEnd() {
                event = last
            } else {
                exhausted = true
                break
            }
            linesRead += 1
            switch event {
            case .tooLong(let prefix, let length, let number):
                var record = QuarantineRecord(
                    source: name, line: number, rawBytes: prefix,
                    reason: "line longer than \(splitter.maxLineBytes) bytes"
                )
                if length > prefix.count { record.raw += "…[\(length) bytes]" }
                quarantine.append(record)
                rowsQuarantined += 1
            case .line(let line, let number):
                if try handle(line, number: number, batch: &batch, quarantine: &quarantine) { appended += 1 }
            }
        }
        return appended > 0 || quarantine.count > quarantinedBefore || !exhausted
    }

    /// Decodes one line; returns `true` when it became a row.
    private func handle(
        _ rawLine: UnsafeRawBufferPointer, number: Int64, batch: inout TxBatch, quarantine: inout [QuarantineRecord]
    ) throws(ChainwatchError) -> Bool {
        var line = rawLine
        if number == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
            line = UnsafeRawBufferPointer(rebasing: line[3...])  // UTF-8 byte order mark
        }
        if line.isEmpty { return false }
        if csv == nil && jsonl == nil {
            try start(with: line)
            if csv != nil { return false }  // the header line
        }
        if _ByteSearch.firstIndex(of: 0, in: line, from: 0, to: line.count) != nil {
            reject(line, number: number, reason: "NUL byte in row", quarantine: &quarantine)
            return false
        }
        let outcome = csv != nil
            ? csv!.decode(line, source: name, line: number, into: &batch)
            : jsonl!.decode(line, source: name, line: number, into: &batch)
        switch outcome {
        case .row:
            rowsDecoded += 1
            return true
        case .skipped:
            recordsSkipped += 1
        case .rejected(let reason):
            reject(line, number: number, reason: reason, quarantine: &quarantine)
        }
        return false
    }

    /// Settles the format from the first non-empty line and builds the decoder.
    private func start(with line: UnsafeRawBufferPointer) throws(ChainwatchError) {
        if format == nil {
            guard let detected = InputFormat.detect(firstLine: line) else {
                let head = String(decoding: line.prefix(80), as: UTF8.self)
                throw ChainwatchError(
                    .unknownFormat,
                    "cannot recognize the format of \(name) from its first line (\"\(head)\"); accepted formats: \(InputFormat.acceptedNames)",
                    context: name
                )
            }
            format = detected
        }
        switch format! {
        case .ethereumTransactionsCSV: csv = try EthereumCSVDecoder(header: line, source: name)
        case .ethereumTransactionsJSONL: jsonl = EthereumJSONLDecoder()
        }
    }

    private func reject(_ line: UnsafeRawBufferPointer, number: Int64, reason: String, quarantine: inout [QuarantineRecord]) {
        quarantine.append(QuarantineRecord(source: name, line: number, rawBytes: line, reason: reason))
        rowsQuarantined += 1
    }
}

@available(*, unavailable, message: "a reader belongs to one task")
extension TransactionReader: Sendable {}
