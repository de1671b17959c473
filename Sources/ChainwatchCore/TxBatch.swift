/// Per-row flags of a transaction.
public struct TxFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    // Inlinable computed constants, not stored `static let`s: a stored one is reached through a
    // lazy-initialisation accessor call from other modules, several times per row in the hot loops.

    /// `to_address` was empty: the transaction deploys a contract and has no receiver.
    @inlinable public static var contractCreation: TxFlags { TxFlags(rawValue: 1 << 0) }
    /// `input` carries call data (anything beyond `0x`).
    @inlinable public static var hasInput: TxFlags { TxFlags(rawValue: 1 << 1) }
    /// Arrived after the reorder window had already passed its block; processed at the watermark's time.
    @inlinable public static var late: TxFlags { TxFlags(rawValue: 1 << 2) }
}

/// A batch of transactions as columns (struct of arrays): the unit every stage passes on.
///
/// Numeric columns are plain arrays that SIMD kernels read directly; text columns are ``StringColumn``
/// arenas, materialized as `String` only for alerts. All columns always have `count` rows.
///
///     row:          0        1        2   …
///     blockNumber  [17173049 17173049 17173050 …]   Int64
///     blockTime    [1683029999 …]                   Unix seconds, UTC
///     amount       [1.64e-9  7.4     0.0 …]         ETH / BTC (Double, from the exact string)
///     from, to     [AccountKey …]                   20-byte keys; `to` = .none on contract creation
///     hash, fromAddress, toAddress, valueRaw        StringColumn (exact text from the input)
///     canonicalHash [_TxHash? …]                    the hash's 32 bytes when its text is canonical
///
/// - Warning: Columns must stay in step: append only through ``append(_:)`` or ``append(from:at:)``.
public struct TxBatch: Sendable, Equatable {
    public var chain: Chain
    public internal(set) var blockNumber: [Int64] = []
    public internal(set) var blockTime: [Int64] = []
    public internal(set) var txIndex: [Int32] = []
    public internal(set) var amount: [Double] = []
    /// Gas price in gwei (0 where the chain has none).
    public internal(set) var gasPrice: [Float] = []
    public internal(set) var flags: [TxFlags] = []
    public internal(set) var from: [AccountKey] = []
    public internal(set) var to: [AccountKey] = []
    public internal(set) var hash: StringColumn = .init()
    /// Each row's hash as its 32 bytes when the text is canonical (`0x` + 64 lowercase hex digits), else `nil`:
    /// decoded once here, as addresses are, rather than by each detector that keeps hashes.
    public internal(set) var canonicalHash: [_TxHash?] = []
    public internal(set) var fromAddress: StringColumn = .init()
    public internal(set) var toAddress: StringColumn = .init()
    /// The exact integer amount in base units (wei, satoshi) as it appeared in the input.
    public internal(set) var valueRaw: StringColumn = .init()
    /// Where each row came from: index into ``sources`` and 1-based line number.
    public internal(set) var sourceIndex: [UInt16] = []
    public internal(set) var sourceLine: [Int64] = []
    /// The names of the inputs rows came from (file paths, `-` for stdin).
    public var sources: [String] = []

    public init(chain: Chain = .ethereum, capacity: Int = 0) {
        self.chain = chain
        if capacity > 0 { reserveCapacity(capacity) }
    }

    @inlinable public var count: Int { blockNumber.count }
    @inlinable public var isEmpty: Bool { blockNumber.isEmpty }

    public mutating func reserveCapacity(_ rows: Int) {
        blockNumber.reserveCapacity(rows)
        blockTime.reserveCapacity(rows)
        txIndex.reserveCapacity(rows)
        amount.reserveCapacity(rows)
        gasPrice.reserveCapacity(rows)
        flags.reserveCapacity(rows)
        from.reserveCapacity(rows)
        to.reserveCapacity(rows)
        sourceIndex.reserveCapacity(rows)
        sourceLine.reserveCapacity(rows)
        hash.reserveCapacity(rows: rows, bytesPerRow: 66)
        canonicalHash.reserveCapacity(rows)
        fromAddress.reserveCapacity(rows: rows, bytesPerRow: 42)
        toAddress.reserveCapacity(rows: rows, bytesPerRow: 42)
        valueRaw.reserveCapacity(rows: rows, bytesPerRow: 20)
    }

    public mutating func removeAll() {
        blockNumber.removeAll(keepingCapacity: true)
        blockTime.removeAll(keepingCapacity: true)
        txIndex.removeAll(keepingCapacity: true)
        amount.removeAll(keepingCapacity: true)
        gasPrice.removeAll(keepingCapacity: true)
        flags.removeAll(keepingCapacity: true)
        from.removeAll(keepingCapacity: true)
        to.removeAll(keepingCapacity: true)
        sourceIndex.removeAll(keepingCapacity: true)
        sourceLine.removeAll(keepingCapacity: true)
        hash.removeAll()
        canonicalHash.removeAll(keepingCapacity: true)
        fromAddress.removeAll()
        toAddress.removeAll()
        valueRaw.removeAll()
    }

    /// Appends one decoded transaction.
    public mutating func append(_ tx: Transaction) {
        blockNumber.append(tx.blockNumber)
        blockTime.append(tx.blockTime)
        txIndex.append(tx.txIndex)
        amount.append(tx.amount)
        gasPrice.append(tx.gasPrice)
        flags.append(tx.flags)
        from.append(tx.from)
        to.append(tx.to)
        hash.append(tx.hash)
        var text = tx.hash
        canonicalHash.append(text.withUTF8 { _TxHash(text: UnsafeRawBufferPointer($0)) })
        fromAddress.append(tx.fromAddress)
        toAddress.append(tx.toAddress ?? "")
        valueRaw.append(tx.valueRaw)
        sourceIndex.append(UInt16(clamping: sourceIndex(for: tx.source)))
        sourceLine.append(tx.line)
        checkInvariants()
    }

    /// Appends row `index` of `other` (used by the reorder buffer to emit rows in event-time order).
    public mutating func append(from other: TxBatch, at index: Int, extraFlags: TxFlags = []) {
        blockNumber.append(other.blockNumber[index])
        blockTime.append(other.blockTime[index])
        txIndex.append(other.txIndex[index])
        amount.append(other.amount[index])
        gasPrice.append(other.gasPrice[index])
        flags.append(other.flags[index].union(extraFlags))
        from.append(other.from[index])
        to.append(other.to[index])
        hash.append(from: other.hash, at: index)
        canonicalHash.append(other.canonicalHash[index])
        fromAddress.append(from: other.fromAddress, at: index)
        toAddress.append(from: other.toAddress, at: index)
        valueRaw.append(from: other.valueRaw, at: index)
        let name = other.sources.isEmpty ? "" : other.sources[Int(other.sourceIndex[index])]
        sourceIndex.append(UInt16(clamping: sourceIndex(for: name)))
        sourceLine.append(other.sourceLine[index])
        checkInvariants()
    }

    /// Appends rows `rows` of `other`, each column with one bulk copy (the reorder buffer's common case:
    /// rows that arrive in block order pass through in runs).
    public mutating func append(from other: TxBatch, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        blockNumber.append(contentsOf: other.blockNumber[rows])
        blockTime.append(contentsOf: other.blockTime[rows])
        txIndex.append(contentsOf: other.txIndex[rows])
        amount.append(contentsOf: other.amount[rows])
        gasPrice.append(contentsOf: other.gasPrice[rows])
        flags.append(contentsOf: other.flags[rows])
        from.append(contentsOf: other.from[rows])
        to.append(contentsOf: other.to[rows])
        hash.append(from: other.hash, rows: rows)
        canonicalHash.append(contentsOf: other.canonicalHash[rows])
        fromAddress.append(from: other.fromAddress, rows: rows)
        toAddress.append(from: other.toAddress, rows: rows)
        valueRaw.append(from: other.valueRaw, rows: rows)
        // Source names map through a table built once per call (a batch names one or a few inputs).
        let mapping = other.sources.map { UInt16(clamping: sourceIndex(for: $0)) }
        if mapping.isEmpty {
            let none = UInt16(clamping: sourceIndex(for: ""))
            sourceIndex.append(contentsOf: repeatElement(none, count: rows.count))
        } else {
            sourceIndex.append(contentsOf: other.sourceIndex[rows].lazy.map { mapping[Int($0)] })
        }
        sourceLine.append(contentsOf: other.sourceLine[rows])
        checkInvariants()
    }

    /// Overrides the event time of row `index` (late rows are processed at the watermark's time).
    public mutating func setBlockTime(_ time: Int64, at index: Int) {
        blockTime[index] = time
    }

    /// Row `index` as a value (for alerts, reports and tests; not for hot loops).
    public subscript(index: Int) -> Transaction {
        Transaction(
            hash: hash[index], blockNumber: blockNumber[index], blockTime: blockTime[index], txIndex: txIndex[index],
            fromAddress: fromAddress[index], toAddress: flags[index].contains(.contractCreation) ? nil : toAddress[index],
            valueRaw: valueRaw[index], amount: amount[index], gasPrice: gasPrice[index], flags: flags[index],
            from: from[index], to: to[index],
            source: sources.isEmpty ? "" : sources[Int(sourceIndex[index])], line: sourceLine[index]
        )
    }

    private mutating func sourceIndex(for name: String) -> Int {
        if let last = sources.indices.last, sources[last] == name { return last }
        if let found = sources.firstIndex(of: name) { return found }
        sources.append(name)
        return sources.count - 1
    }

    @inline(__always)
    private func checkInvariants() {
        #if CHAINWATCH_INTERNAL_CHECKS
        let n = blockNumber.count
        precondition(
            blockTime.count == n && txIndex.count == n && amount.count == n && gasPrice.count == n && flags.count == n
                && from.count == n && to.count == n && hash.count == n && canonicalHash.count == n && fromAddress.count == n && toAddress.count == n
                && valueRaw.count == n && sourceIndex.count == n && sourceLine.count == n,
            "TxBatch columns out of step"
        )
        #endif
    }
}

/// One transaction as a value: what decoders produce row by row and what alerts are made from.
public struct Transaction: Sendable, Equatable {
    public var hash: String
    public var blockNumber: Int64
    /// Unix seconds, UTC.
    public var blockTime: Int64
    public var txIndex: Int32
    public var fromAddress: String
    /// `nil` for a contract creation.
    public var toAddress: String?
    /// Exact integer amount in base units (wei, satoshi).
    public var valueRaw: String
    /// Amount in the display unit (ETH, BTC).
    public var amount: Double
    /// Gas price in gwei.
    public var gasPrice: Float
    public var flags: TxFlags
    public var from: AccountKey
    public var to: AccountKey
    public var source: String
    /// 1-based line number in `source`.
    public var line: Int64

    public init(
        hash: String, blockNumber: Int64, blockTime: Int64, txIndex: Int32, fromAddress: String, toAddress: String?,
        valueRaw: String, amount: Double, gasPrice: Float, flags: TxFlags, from: AccountKey, to: AccountKey,
        source: String = "", line: Int64 = 0
    ) {
        self.hash = hash
        self.blockNumber = blockNumber
        self.blockTime = blockTime
        self.txIndex = txIndex
        self.fromAddress = fromAddress
        self.toAddress = toAddress
        self.valueRaw = valueRaw
        self.amount = amount
        self.gasPrice = gasPrice
        self.flags = flags
        self.from = from
        self.to = to
        self.source = source
        self.line = line
    }
}
