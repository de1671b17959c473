import ChainwatchCore

/// Restores block order (event time) for rows that parallel exporters deliver out of order.
///
/// Rows are held until the highest block seen is `windowBlocks` ahead of theirs, then emitted sorted by
/// (block_number, transaction_index, arrival order). A row whose block is below the highest block already
/// emitted is **late**: it is emitted at once, flagged ``TxFlags/late``, with its block time raised to the
/// latest emitted block time so event time never runs backwards.
///
/// Rows are processed one at a time in arrival order (releases happen as soon as a row raises the highest
/// block), so the output depends only on the arrival sequence, never on how it was cut into ``push(_:into:)``
/// calls. Consequence for `windowBlocks == 0`: every row is emitted on arrival (arrival order), and rows
/// below an already emitted block are flagged late.
///
///     held:  (block, txIndex, seq) → row in `arena`, in two sorted sources merged on release
///            (at most the rows of `windowBlocks` blocks):
///            inOrder — a queue of the rows that arrived in order (each after the last one queued): O(1)
///            heap    — a min-heap of the rest: O(log held)
///     arena: TxBatch of arrived rows; released and late rows become garbage, compacted when they dominate
///
/// - Complexity: O(1) per row that arrives in order (an export mostly is), O(log held) per other row.
public struct ReorderBuffer: Sendable {
    private struct Entry: Sendable {
        var block: Int64
        var txIndex: Int32
        var sequence: UInt64
        var row: Int

        @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            (block, txIndex, sequence) < (other.block, other.txIndex, other.sequence)
        }
    }

    public let windowBlocks: Int64
    /// Rows flagged late so far.
    public private(set) var lateRows: Int64 = 0
    /// Rows currently held back.
    public var heldRows: Int { inOrder.count - inOrderStart + heap.count }

    /// Held rows that arrived in order, sorted: `inOrder[inOrderStart...]` (the released front is dropped in bulk).
    private var inOrder: [Entry] = []
    private var inOrderStart = 0
    /// The other held rows.
    private var heap: [Entry] = []
    private var arena = TxBatch()
    private var nextSequence: UInt64 = 0
    private var highestSeen = Int64.min
    private var highestEmitted = Int64.min
    private var latestEmittedTime = Int64.min

    /// - Precondition: `windowBlocks >= 0`.
    public init(windowBlocks: Int64) {
        precondition(windowBlocks >= 0, "reorder window must be non-negative")
        self.windowBlocks = windowBlocks
    }

    /// Takes `batch` in arrival order and appends every row that became releasable to `output`.
    public mutating func push(_ batch: TxBatch, into output: inout TxBatch) {
        arena.chain = batch.chain
        // The batch joins the arena with one bulk copy per column (late rows too: they are emitted from
        // there), and released rows leave in runs of consecutive arena rows — for input already in
        // block order, the whole release of a push is one run.
        let base = arena.count
        arena.append(from: batch, rows: 0 ..< batch.count)
        var run = 0 ..< 0
        for row in base ..< arena.count {
            let block = arena.blockNumber[row]
            if block < highestEmitted {
                emit(&run, into: &output)
                output.append(from: arena, at: row, extraFlags: .late)
                let time = max(arena.blockTime[row], latestEmittedTime)
                output.setBlockTime(time, at: output.count - 1)
                latestEmittedTime = time
                lateRows += 1
                continue
            }
            insert(Entry(block: block, txIndex: arena.txIndex[row], sequence: nextSequence, row: row))
            nextSequence += 1
            highestSeen = max(highestSeen, block)
            release(upTo: highestSeen - windowBlocks, run: &run, into: &output)
        }
        emit(&run, into: &output)
        compactIfNeeded()
    }

    /// End of input: emits everything held, sorted.
    public mutating func flush(into output: inout TxBatch) {
        var run = 0 ..< 0
        release(upTo: .max, run: &run, into: &output)
        emit(&run, into: &output)
        arena.removeAll()
        inOrder.removeAll()
        inOrderStart = 0
    }

    /// Releases held rows up to block `threshold` in order, extending `run` while they are consecutive
    /// arena rows and emitting it when they are not.
    private mutating func release(upTo threshold: Int64, run: inout Range<Int>, into output: inout TxBatch) {
        while let top = removeFirstHeld(upTo: threshold) {
            if top.row == run.upperBound, !run.isEmpty {
                run = run.lowerBound ..< run.upperBound + 1
            } else {
                emit(&run, into: &output)
                run = top.row ..< top.row + 1
            }
            highestEmitted = max(highestEmitted, top.block)
            latestEmittedTime = max(latestEmittedTime, arena.blockTime[top.row])
        }
    }

    private func emit(_ run: inout Range<Int>, into output: inout TxBatch) {
        output.append(from: arena, rows: run)
        run = 0 ..< 0
    }

    /// Drops released rows from the arena once they are most of it (keeps memory bounded by the window).
    private mutating func compactIfNeeded() {
        if inOrderStart > 4096, inOrderStart * 2 > inOrder.count {
            inOrder.removeSubrange(0 ..< inOrderStart)
            inOrderStart = 0
        }
        let held = heldRows
        let dead = arena.count - held
        guard dead > 4096, dead > held else { return }
        var compacted = TxBatch(chain: arena.chain, capacity: held)
        var first = arena.count
        updateHeldRows { first = min(first, $0) }
        if arena.count - first == held {
            // The held rows are the arena's tail (input in block order): one bulk copy.
            compacted.append(from: arena, rows: first ..< arena.count)
            updateHeldRows { $0 -= first }
        } else {
            let source = arena
            updateHeldRows { row in
                compacted.append(from: source, at: row)
                row = compacted.count - 1
            }
        }
        arena = compacted
    }

    /// Calls `update` with the arena row of every held row, queued ones first.
    private mutating func updateHeldRows(_ update: (inout Int) -> Void) {
        for position in inOrderStart ..< inOrder.count { update(&inOrder[position].row) }
        for position in heap.indices { update(&heap[position].row) }
    }

    // MARK: Held rows: the in-order queue and the heap, merged

    /// Holds `entry`: queued when it comes after every row queued so far, else in the heap.
    private mutating func insert(_ entry: Entry) {
        if inOrderStart == inOrder.count || !entry.precedes(inOrder[inOrder.count - 1]) {
            inOrder.append(entry)
        } else {
            insertIntoHeap(entry)
        }
    }

    /// Removes and returns the held row that comes first (the earlier of the queue's and the heap's
    /// first), when its block is at most `threshold`.
    private mutating func removeFirstHeld(upTo threshold: Int64) -> Entry? {
        if inOrderStart < inOrder.count, heap.isEmpty || !heap[0].precedes(inOrder[inOrderStart]) {
            let first = inOrder[inOrderStart]
            guard first.block <= threshold else { return nil }
            inOrderStart += 1
            if inOrderStart == inOrder.count {
                inOrder.removeAll(keepingCapacity: true)
                inOrderStart = 0
            }
            return first
        }
        guard let first = heap.first, first.block <= threshold else { return nil }
        removeFirstFromHeap()
        return first
    }

    // MARK: Binary min-heap

    private mutating func insertIntoHeap(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func removeFirstFromHeap() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count && heap[left + 1].precedes(heap[left]) { smallest = left + 1 }
            guard heap[smallest].precedes(heap[parent]) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
