import ChainwatchCore

/// Stored transactions (``_TxRef``) addressed by a 32-bit handle, so detector state moves 4-byte handles
/// instead of 150-byte references; freed handles are reused (last freed first).
struct _TxRefPool: Sendable {
    private var refs: [_TxRef] = []
    private var freeHandles: [UInt32] = []

    /// Handles currently in use.
    var count: Int { refs.count - freeHandles.count }

    /// Copies row `row` of `batch` into the pool.
    @inline(__always)
    mutating func store(batch: TxBatch, row: Int) -> UInt32 {
        if let handle = freeHandles.popLast() {
            refs[Int(handle)] = _TxRef(batch: batch, row: row)
            return handle
        }
        precondition(refs.count < Int(UInt32.max), "transaction pool is full")
        refs.append(_TxRef(batch: batch, row: row))
        return UInt32(refs.count - 1)
    }

    /// Returns `handle` to the pool; it must not be used afterwards.
    @inline(__always)
    mutating func release(_ handle: UInt32) { freeHandles.append(handle) }

    @inline(__always)
    subscript(handle: UInt32) -> _TxRef { refs[Int(handle)] }
}
