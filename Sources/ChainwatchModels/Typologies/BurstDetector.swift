import ChainwatchCore
import Foundation

/// Flags bursts: one account sends far more transactions in a short run of blocks than its own history.
///
/// Rule: for each sender we count its transactions in the last ``Configuration/windowBlocks`` blocks
/// (`block − windowBlocks < b ≤ block`) and keep a decayed count `D` of all its transactions (half-life
/// ``Configuration/halfLifeBlocks`` blocks). Its usual rate per window is
/// `baseline = max(minBaseline, max(0, D − windowCount) × ln 2 × windowBlocks / halfLifeBlocks)`,
/// i.e. its history *before* the current window. A transaction alerts when `windowCount ≥ minCount` and
/// `windowCount ≥ minRatio × baseline`; within one episode it alerts again only each time the count has
/// grown by another `minCount`, and the episode ends when the window count falls below `minCount`.
/// `score` = windowCount / baseline.
///
/// Memory: ≤ ``Configuration/maxTracked`` senders, each with ≤ `windowBlocks` (block, count) pairs;
/// a sender is dropped once it has been idle for 5 half-lives (`D` < 4 %). Cost: one hash lookup, one
/// `exp2` and an amortized O(1) window update per row.
public struct BurstDetector: Detector, Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// Transactions in the window needed to alert.
        public var minCount: Int = 20
        /// Window length in blocks.
        public var windowBlocks: Int64 = 10
        /// The window count must be at least this many times the sender's usual count per window.
        public var minRatio: Double = 10
        /// Floor on the usual count per window, so a brand-new sender is compared with this many.
        public var minBaseline: Double = 1
        /// Half-life of the sender history in blocks (about a day of Ethereum blocks).
        public var halfLifeBlocks: Double = 7_200
        /// Cap on tracked senders; the least recently active are dropped beyond it.
        public var maxTracked: Int = 100_000

        public init() {}
    }

    /// Transactions of a sender in one block.
    struct BlockCount: Sendable {
        var block: Int64
        var count: Int32
    }

    struct Sender: Sendable {
        /// The blocks of the current window, oldest first.
        var blocks = _ListArena<BlockCount>.List()
        /// The first of `blocks` (unused while it is empty), so a row with nothing to expire reads no list
        /// entry; the last one is `lastBlock`.
        var firstBlock: Int64 = 0
        var windowCount = 0
        var decayed: Double = 0
        var lastBlock: Int64
        var alertedCount: Int32 = 0
        /// The count of the last of `blocks` (the block `lastBlock`), so a second transaction in that block
        /// writes it without reading the list.
        var lastCount: Int32 = 0
    }

    public let name = "burst"
    public let configuration: Configuration
    private var senders = _SlotTable<AccountKey, Sender>()
    private var lists = _ListArena<BlockCount>(filler: BlockCount(block: 0, count: 0))
    private var sweeps: _SweepSchedule

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        sweeps = _SweepSchedule(period: Int64(max(1, configuration.halfLifeBlocks)))
    }

    /// Senders currently held in memory.
    public var trackedEntries: Int { senders.count }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch, hashes = input.fromHashes
        senders.ensureUnique()
        lists.ensureUnique()
        var chunk = 0
        for row in 0 ..< min(_Prefetch.chunkRows, batch.count) { senders.prefetchBucket(hash: hashes[row]) }
        while chunk < batch.count {
            let rows = chunk ..< min(chunk + _Prefetch.chunkRows, batch.count)
            chunk = rows.upperBound
            for row in chunk ..< min(chunk + _Prefetch.chunkRows, batch.count) {
                senders.prefetchBucket(hash: hashes[row])
            }
            for row in rows { senders.prefetchEntry(hash: hashes[row]) }
            for row in rows {
                let from = batch.from[row], block = batch.blockNumber[row]
                if sweeps.isDue(at: block) { sweep(now: block) }
                let slot = senders.findOrInsert(from, hash: hashes[row], value: Sender(lastBlock: block), assumingUnique: true)
                    .slot
                if let baseline = Self.count(
                    block: block, in: &senders[assumingUnique: slot], lists: &lists, configuration
                ) {
                    alerts.append(alert(batch: batch, row: row, state: senders[slot], baseline: baseline))
                }
                if senders.count > configuration.maxTracked { enforceCap(now: block) }
            }
        }
    }

    /// Counts one transaction of a sender at `block` (in place, one hash lookup); returns the baseline when
    /// it alerts. Writes `lists` on the promise of `lists.ensureUnique()` at the batch's start.
    @inline(__always)
    private static func count(
        block: Int64, in state: inout Sender, lists: inout _ListArena<BlockCount>, _ configuration: Configuration
    ) -> Double? {
        let window = max(1, configuration.windowBlocks)
        if !state.blocks.isEmpty, state.firstBlock <= block - window {
            var drop = 0
            while drop < Int(state.blocks.count), lists.element(drop, of: state.blocks).block <= block - window {
                state.windowCount -= Int(lists.element(drop, of: state.blocks).count)
                drop += 1
            }
            lists.removeFirst(drop, from: &state.blocks)
            if !state.blocks.isEmpty { state.firstBlock = lists.element(0, of: state.blocks).block }
        }
        // The last entry is the block of the sender's previous transaction.
        if !state.blocks.isEmpty, state.lastBlock == block {
            state.lastCount += 1
            let last = BlockCount(block: block, count: state.lastCount)
            lists.set(Int(state.blocks.count) - 1, of: state.blocks, to: last, assumingUnique: true)
        } else {
            if state.blocks.isEmpty { state.firstBlock = block }
            state.lastCount = 1
            lists.append(BlockCount(block: block, count: 1), to: &state.blocks, assumingUnique: true)
        }
        state.windowCount += 1
        let elapsed = Double(max(0, block - state.lastBlock))
        state.decayed = state.decayed * exp2(-elapsed / configuration.halfLifeBlocks) + 1
        state.lastBlock = block
        let count = state.windowCount
        guard count >= configuration.minCount else {
            state.alertedCount = 0
            return nil
        }
        let history = max(0, state.decayed - Double(count)) * M_LN2 * Double(window) / configuration.halfLifeBlocks
        let baseline = max(configuration.minBaseline, history)
        guard Double(count) >= configuration.minRatio * baseline,
            state.alertedCount == 0 || count >= Int(state.alertedCount) + configuration.minCount
        else { return nil }
        state.alertedCount = Int32(clamping: count)
        return baseline
    }

    private mutating func sweep(now: Int64) {
        let cutoff = now - Int64(5 * configuration.halfLifeBlocks)
        remove(_RecencyEviction.expiredSlots(senders) { $0.lastBlock < cutoff })
    }

    private mutating func enforceCap(now: Int64) {
        sweep(now: now)
        remove(_RecencyEviction.doomedSlots(senders, keep: _RecencyEviction.target(cap: configuration.maxTracked)) { $0.lastBlock })
    }

    private mutating func remove(_ slots: [Int]) {
        for slot in slots {
            var list = senders[slot].blocks
            lists.release(&list)
        }
        senders.remove(slots: slots)
    }

    private func alert(batch: TxBatch, row: Int, state: Sender, baseline: Double) -> Alert {
        let window = max(1, configuration.windowBlocks)
        var reasons = _ReasonsWriter()
        reasons.add("pattern", "sender emitted far more transactions in a few blocks than its history")
        reasons.add("sender", address: batch.from[row])
        reasons.add("window_count", state.windowCount)
        reasons.add("usual_count_per_window", baseline)
        reasons.add("ratio", Double(state.windowCount) / baseline)
        reasons.add("from_block", batch.blockNumber[row] - window + 1)
        reasons.add("to_block", batch.blockNumber[row])
        let blocks = (0 ..< Int(state.blocks.count)).map { lists.element($0, of: state.blocks) }
        reasons.addArray("blocks", blocks) { $0.appendInteger($1.block) }
        reasons.addArray("counts_per_block", blocks) { $0.appendInteger(Int64($1.count)) }
        reasons.addObject("parameters") { parameters in
            parameters.add("min_count", configuration.minCount)
            parameters.add("window_blocks", window)
            parameters.add("min_ratio", configuration.minRatio)
            parameters.add("min_baseline", configuration.minBaseline)
            parameters.add("half_life_blocks", configuration.halfLifeBlocks)
        }
        return Alert(
            batch: batch, row: row, detector: name, typology: name, score: Double(state.windowCount) / baseline,
            reasons: reasons.finished()
        )
    }
}
