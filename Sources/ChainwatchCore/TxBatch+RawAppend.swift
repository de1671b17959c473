extension TxBatch {
    /// Appends one row whose text columns are given as raw bytes, copying them straight into the arenas.
    ///
    /// Decoders call this once per valid row so that no `String` is built per field. The caller has
    /// already validated the fields and decoded the hash (`canonicalHash`: its bytes when the text is canonical);
    /// `toAddress` is empty for a contract creation (as ``append(_:)`` stores it).
    ///
    /// - Complexity: O(total bytes of the four text fields), amortized; no allocation once capacity is reserved.
    public mutating func appendRow(
        hash: UnsafeRawBufferPointer, canonicalHash: _TxHash?, fromAddress: UnsafeRawBufferPointer, toAddress: UnsafeRawBufferPointer,
        valueRaw: UnsafeRawBufferPointer, blockNumber: Int64, blockTime: Int64, txIndex: Int32, amount: Double,
        gasPrice: Float, flags: TxFlags, from: AccountKey, to: AccountKey, source: String, line: Int64
    ) {
        self.blockNumber.append(blockNumber)
        self.blockTime.append(blockTime)
        self.txIndex.append(txIndex)
        self.amount.append(amount)
        self.gasPrice.append(gasPrice)
        self.flags.append(flags)
        self.from.append(from)
        self.to.append(to)
        self.hash.append(bytes: hash)
        self.canonicalHash.append(canonicalHash)
        self.fromAddress.append(bytes: fromAddress)
        self.toAddress.append(bytes: toAddress)
        self.valueRaw.append(bytes: valueRaw)
        self.sourceIndex.append(UInt16(clamping: rawAppendSourceIndex(for: source)))
        self.sourceLine.append(line)
    }

    /// Index of `name` in ``sources``, adding it if new. The last source is checked first: rows of one
    /// input arrive together, so the common case is one string comparison.
    private mutating func rawAppendSourceIndex(for name: String) -> Int {
        if let last = sources.indices.last, sources[last] == name { return last }
        if let found = sources.firstIndex(of: name) { return found }
        sources.append(name)
        return sources.count - 1
    }
}
