import ChainwatchCore

/// Stored transactions (``_TxRef``) addressed by a 32-bit handle, so detector state moves 4-byte handles
/// instead of 150-byte references; freed handles are reused (last freed first). A handle starts with one
/// holder; ``retain(_:)`` adds one (state that keeps the same transaction twice), ``release(_:)`` drops one
/// and frees the handle with the last.
struct _TxRefPool: Sendable {
    private var refs: [_TxRef] = []
    private var holders: [UInt32] = []
    private var freeHandles: [UInt32] = []

    /// Handles currently in use.
    var count: Int { refs.count - freeHandles.count }

    /// Copies row `row` of `batch` into the pool.
    @inline(__always)
    mutating func store(batch: TxBatch, row: Int) -> UInt32 {
        if !freeHandles.isEmpty {
            let handle = freeHandles.removeLast()
            refs[Int(handle)] = _TxRef(batch: batch, row: row)
            holders[Int(handle)] = 1
            return handle
        }
        precondition(refs.count < Int(UInt32.max), "transaction pool is full")
        refs.append(_TxRef(batch: batch, row: row))
        holders.append(1)
        return UInt32(refs.count - 1)
    }

    /// Adds a holder to `handle`.
    @inline(__always)
    mutating func retain(_ handle: UInt32) { holders[Int(handle)] += 1 }

    /// Drops a holder of `handle`; after its last holder, it must not be used.
    @inline(__always)
    mutating func release(_ handle: UInt32) {
        holders[Int(handle)] -= 1
        if holders[Int(handle)] == 0 { freeHandles.append(handle) }
    }

    @inline(__always)
    subscript(handle: UInt32) -> _TxRef { refs[Int(handle)] }
}
