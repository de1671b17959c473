import ChainwatchCore

/// Stored transactions (``_TxRef``) addressed by a 32-bit handle, so detector state moves 4-byte handles
/// instead of 150-byte references; freed handles are reused (last freed first). Each handle has one holder,
/// which ``release(_:)`` it when done.
///
/// The fan counters keep here the transactions of their window entries whose hash an entry cannot hold
/// (others keep evidence in their own entries). A stored transaction is a 56-byte record (one cache line to write, where a `_TxRef` takes 152 bytes): the hash as
/// its 32 raw bytes (``_TxHash``), block, amount, and which of its two accounts paid. The accounts and the
/// time are what every holder keeps anyway (a remembered counterparty and its owner, a transfer's sender
/// and receiver), so the holder supplies them when reading back. A hash that is not canonical keeps its
/// whole `_TxRef` in a side table (empty for Ethereum input). Releasing a handle reads nothing of its cold
/// record, which is only written again when the handle is reused.
struct _TxRefPool: Sendable {
    private struct Record: Sendable {
        var hash: _TxHash
        var block: Int64
        var amount: Double
        /// The sender is the lesser of the two accounts (`from < to`), so a holder that knows both accounts
        /// but not which one paid can still tell.
        var lesserSent: Bool
    }

    private var records: [Record] = []
    private var freeHandles: [UInt32] = []
    /// The transactions whose hash is not canonical, by handle.
    private var irregular: [UInt32: _TxRef] = [:]

    init() {}

    /// Handles currently in use.
    var count: Int { records.count - freeHandles.count }

    /// Copies row `row` of `batch` into the pool.
    @inline(__always)
    mutating func store(batch: TxBatch, row: Int) -> UInt32 {
        let hash = batch.canonicalHash[row]
        let record = Record(
            hash: hash ?? _TxHash(words: (0, 0, 0, 0)), block: batch.blockNumber[row], amount: batch.amount[row],
            lesserSent: batch.from[row] < batch.to[row]
        )
        let handle: UInt32
        if !freeHandles.isEmpty {
            handle = freeHandles.removeLast()
            records[Int(handle)] = record
        } else {
            precondition(records.count < Int(UInt32.max), "transaction pool is full")
            handle = UInt32(records.count)
            records.reserveOnHugePages(forAppending: 1)
            records.append(record)
        }
        if hash == nil { irregular[handle] = _TxRef(batch: batch, row: row) }
        return handle
    }

    /// Frees `handle`; it must not be used after.
    @inline(__always)
    mutating func release(_ handle: UInt32) {
        freeHandles.append(handle)
        if !irregular.isEmpty { irregular[handle] = nil }
    }

    /// The transaction `handle` holds, given its block time and its two accounts in either order (what the
    /// holder kept of it).
    subscript(handle: UInt32, time time: Int64, accounts accounts: (AccountKey, AccountKey)) -> _TxRef {
        if !irregular.isEmpty, let ref = irregular[handle] { return ref }
        let record = records[Int(handle)]
        let (lesser, greater) = accounts.0 < accounts.1 ? accounts : (accounts.1, accounts.0)
        let (from, to) = record.lesserSent ? (lesser, greater) : (greater, lesser)
        return _TxRef(hash: record.hash, block: record.block, time: time, amount: record.amount, from: from, to: to)
    }
}
