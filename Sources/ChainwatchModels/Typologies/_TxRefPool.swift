import ChainwatchCore

/// Transactions kept whole (``_TxRef``) under a 32-bit handle, so state that stores a handle need not hold a
/// 152-byte reference; freed handles are reused (last freed first).
///
/// The fan counters keep here the transactions of their window entries whose hash an entry cannot hold (not
/// canonical: see ``_TxHash``; none for Ethereum input). Every other evidence sits in the detectors' own
/// entries.
struct _TxRefPool: Sendable {
    private var stored: [UInt32: _TxRef] = [:]
    private var freeHandles: [UInt32] = []
    /// Handles ever handed out; `UInt32.max` is never one (callers use it to mean "none").
    private var handedOut: UInt32 = 0

    init() {}

    /// Handles currently in use.
    var count: Int { stored.count }

    /// Copies row `row` of `batch` into the pool.
    mutating func store(batch: TxBatch, row: Int) -> UInt32 {
        let handle: UInt32
        if let reused = freeHandles.popLast() {
            handle = reused
        } else {
            precondition(handedOut < UInt32.max, "transaction pool is full")
            handle = handedOut
            handedOut += 1
        }
        stored[handle] = _TxRef(batch: batch, row: row)
        return handle
    }

    /// Frees `handle`; it must not be used after.
    mutating func release(_ handle: UInt32) {
        stored[handle] = nil
        freeHandles.append(handle)
    }

    /// The transaction `handle` holds.
    subscript(handle: UInt32) -> _TxRef {
        guard let transaction = stored[handle] else { preconditionFailure("transaction handle not in use") }
        return transaction
    }
}
