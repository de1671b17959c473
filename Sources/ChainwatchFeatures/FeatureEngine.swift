import ChainwatchCore
import CProcessor
import Foundation

/// Turns batches of transactions into feature rows, keeping bounded per-account and sketch state.
///
/// Each row is computed from the state left by strictly earlier rows (in batch order, which must be
/// event order), then the state is updated with that row, so the features of a stream do not depend
/// on how it is cut into batches. Time is the block timestamp (seconds) and the block number; the same
/// input always gives bit-identical features.
///
///     var engine = FeatureEngine()
///     var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
///     engine.process(batch, into: &features)
///
/// `FeatureEngine` is `~Copyable`: it holds ~200 bytes per account (hundreds of MB at the cap), and an
/// accidental copy (a closure capture, a struct assignment) followed by a mutation would duplicate all of
/// it through copy-on-write (a benchmark closure capture did exactly that: ≈ 1.8 × slower). It is
/// `Sendable` because ownership moves whole: the stage that owns it may take it to its own thread; it is
/// never shared.
///
/// - Complexity: O(rows) per batch, plus an O(n log n) eviction pass every maxAccounts/8 new accounts.
public struct FeatureEngine: ~Copyable, Sendable {
    public let configuration: FeatureConfiguration
    public let catalogue: FeatureCatalogue
    let layout: FeatureLayout
    var table: AccountTable
    var accounts: AccountColumns
    var bursts: BurstChannels
    /// The current chunk's values that need vector math before they are features (done once per chunk).
    var chunkMath = _ChunkMath(rows: FeatureEngine.chunkRows)
    /// Which build of the chunk's vector passes runs (same bits either way).
    var simdKernel = SIMDKernel.selected
    /// Key hashes of the current and the next chunk (row `r` at `r % (2 · chunkRows)`), computed once by
    /// `prefetchSlots` and used again by `prefetchAccounts` and the row.
    var chunkHashes = _Column<RowHashes>(capacity: 2 * FeatureEngine.chunkRows)
    /// Burst-sketch counter positions of the current chunk, computed once by `prefetchAccounts`.
    var chunkCounters = _Column<Int32>()

    struct RowHashes {
        var from: UInt64 = 0, to: UInt64 = 0
    }
    /// 1 / half-life (s) per lane: the configured half-lives, padded, with the history half-life in lane 3.
    let inverseHalfLives: SIMD4<Float>
    var gasCount = 0.0
    var gasMean = 0.0
    var gasTime: Int64 = .min
    /// Dense sender ids of the last processed batch, one per row.
    ///
    /// An id names the account it had *at that row*: when the cap forces an eviction inside a batch
    /// (only if a batch holds more distinct accounts than ⅞ of `maxAccounts`), a freed id can be reused by
    /// a later row of the same batch.
    public private(set) var lastFromIDs: [UInt32] = []
    /// Dense receiver ids of the last processed batch; `UInt32.max` where the transaction has no receiver
    /// (contract creation).
    public private(set) var lastToIDs: [UInt32] = []
    var rowsProcessed = 0

    public init(configuration: FeatureConfiguration = .init()) {
        configuration.validate()
        self.configuration = configuration
        catalogue = FeatureCatalogue(configuration: configuration)
        layout = FeatureLayout(halfLifeCount: configuration.halfLives.count)
        table = AccountTable(capacity: configuration.maxAccounts)
        accounts = AccountColumns(registerCount: configuration.hyperLogLogRegisters, maxAccounts: configuration.maxAccounts)
        bursts = BurstChannels(configuration: configuration)
        chunkHashes.append(repeating: RowHashes(), count: 2 * Self.chunkRows)
        chunkCounters.append(repeating: 0, count: Self.chunkRows * bursts.counterCount)
        var lanes = SIMD4<Float>(repeating: Float(1 / configuration.halfLives.last!))
        for (lane, halfLife) in configuration.halfLives.enumerated() { lanes[lane] = Float(1 / halfLife) }
        lanes[3] = Float(1 / configuration.historyHalfLife)
        inverseHalfLives = lanes
    }

    public var statistics: FeatureStatistics {
        let tracked = table.count
        let bytes = table.memoryBytes + accounts.memoryBytes
        return FeatureStatistics(
            trackedAccounts: tracked, evictions: table.evictions,
            bytesPerAccount: tracked == 0 ? 0 : Double(bytes) / Double(tracked),
            sketchBytes: bursts.memoryBytes, rowsProcessed: rowsProcessed
        )
    }

    /// Computes one feature row per transaction of `batch` into `features` (resized to `batch.count` rows),
    /// updating state after each row so each row sees only strictly earlier transactions.
    ///
    /// - Precondition: `features.dimensions == catalogue.names.count`; rows in event order.
    public mutating func process(_ batch: TxBatch, into features: inout FeatureMatrix) {
        precondition(features.dimensions == layout.dimensions, "feature matrix has the wrong number of columns")
        features.resize(rows: batch.count) // every value of every row is written below
        // Subnormals count as zero while the batch runs (x86-64; see CProcessor): decayed state on its way
        // to zero otherwise costs a microcode assist per operation.
        let floatMode = cw_subnormals_as_zero()
        defer { cw_restore_float_mode(floatMode) }
        let rows = batch.count
        // The id arrays are filled in place through pointers (an append per row paid a uniqueness check
        // and a capacity test); their storage is reused unless the caller still holds the last batch's.
        var fromIDs = Self.recycled(&lastFromIDs, count: rows)
        var toIDs = Self.recycled(&lastToIDs, count: rows)
        Self.withPointers(&fromIDs, &toIDs) { fromIDs, toIDs in
            features.values.withUnsafeMutableBufferPointer { buffer in
                let writer = _RowWriter(buffer)
                // Rows go in chunks, with the account lines they need requested ahead (see `prefetchSlots`
                // and `prefetchAccounts`): a chunk's home slots one chunk before it runs, its keys and state
                // just before, so the rows find their lines in cache. Prefetching changes no state.
                var start = 0
                prefetchSlots(0 ..< min(Self.chunkRows, rows), of: batch)
                while start < rows {
                    let end = min(start + Self.chunkRows, rows)
                    prefetchSlots(end ..< min(end + Self.chunkRows, rows), of: batch)
                    prefetchAccounts(start ..< end)
                    chunkMath.logInputs(of: batch, rows: start ..< end, kernel: simdKernel)
                    for row in start ..< end {
                        (fromIDs[row], toIDs[row]) = processRow(row, of: batch, chunkRow: row &- start, into: writer)
                    }
                    writeChunkFeatures(start ..< end, into: writer)
                    start = end
                }
            }
        }
        lastFromIDs = fromIDs
        lastToIDs = toIDs
        rowsProcessed += batch.count
    }

    /// `array`'s storage, taken out of it, emptied and refilled with `count` zeros: no allocation when
    /// nothing else holds it.
    private static func recycled(_ array: inout [UInt32], count: Int) -> [UInt32] {
        var taken: [UInt32] = []
        swap(&taken, &array)
        taken.removeAll(keepingCapacity: true)
        taken.append(contentsOf: repeatElement(0, count: count))
        return taken
    }

    @inline(__always)
    private static func withPointers(
        _ a: inout [UInt32], _ b: inout [UInt32],
        _ body: (UnsafeMutableBufferPointer<UInt32>, UnsafeMutableBufferPointer<UInt32>) -> Void
    ) {
        a.withUnsafeMutableBufferPointer { a in b.withUnsafeMutableBufferPointer { b in body(a, b) } }
    }

    /// Writes the features of row `row` (number `chunkRow` of its chunk) that need no chunk vector pass,
    /// puts the inputs of the others in the chunk's math buffers (`chunkMath`), and updates state; returns
    /// the row's sender and receiver ids.
    @inline(__always)
    private mutating func processRow(
        _ row: Int, of batch: TxBatch, chunkRow: Int, into values: _RowWriter
    ) -> (from: UInt32, to: UInt32) {
        let now = batch.blockTime[row]
        let block = batch.blockNumber[row]
        let flags = batch.flags[row]
        let amount = batch.amount[row]
        let fromKey = batch.from[row], toKey = batch.to[row]
        let hasTo = !flags.contains(.contractCreation)
        bursts.advance(to: block)

        let hashes = chunkHashes[row % (2 * Self.chunkRows)]
        let (fromID, fromBefore) = intern(fromKey, hash: hashes.from, now: now, pinned: .max)
        var (toID, toBefore) = hasTo ? intern(toKey, hash: hashes.to, now: now, pinned: fromID) : (UInt32.max, fromBefore)
        // A self-transfer's second intern saw the first one's update; both sides see the account as it was.
        let isSelfTransfer = toID == fromID
        if isSelfTransfer { toBefore = fromBefore }

        let x = chunkMath.amountLog(chunkRow)
        let logs = chunkMath.logs(chunkRow), moments = chunkMath.moments(chunkRow)
        let base = row &* layout.dimensions
        // Each account's state is read in place (no copy) before any of it is updated below.
        let fromState = accounts.states.pointer(Int(fromID))
        let fromDecay = gatherSide(fromState, side: 0, before: fromBefore, now: now, chunkRow: chunkRow, logs: logs, moments: moments)
        var toDecay = SIMD4<Float>(repeating: 1)
        // Stable for the whole row: the columns grow only when an account is interned.
        let toState = hasTo ? accounts.states.pointer(Int(toID)) : nil
        if let toState {
            toDecay = gatherSide(toState, side: 1, before: toBefore, now: now, chunkRow: chunkRow, logs: logs, moments: moments)
        } else {
            // A contract creation has no receiver: its receiver-side features are 0.
            gatherNoReceiver(chunkRow: chunkRow, logs: logs, moments: moments)
        }

        // Per-transaction block.
        let t = base &+ layout.txBase
        values[t &+ FeatureLayout.logAmount] = x
        values[t &+ FeatureLayout.roundness] = batch.valueRaw.withBytes(at: row) { AmountShape.roundness($0) }
        values[t &+ FeatureLayout.belowThreshold] = AmountShape.belowRoundThreshold(amount, band: configuration.thresholdBand)
        values[t &+ FeatureLayout.passThrough] = passThrough(
            received: fromState.pointee.passAmount, at: fromState.pointee.passBlock, amount: Float(amount), block: block
        )
        // log1p(gas) − log1p(mean gas before this row); the mean's log is taken with the chunk's.
        let meanGas = observeGas(Double(batch.gasPrice[row]), now: now)
        values[t &+ FeatureLayout.gasRatio] = meanGas == nil ? 0 : chunkMath.gasLog(chunkRow)
        logs[_ChunkMath.gasMean] = meanGas ?? 0
        values[t &+ FeatureLayout.contractCreation] = hasTo ? 0 : 1
        values[t &+ FeatureLayout.hasInput] = flags.contains(.hasInput) ? 1 : 0

        let active: SIMD4<Float> = hasTo ? SIMD4(1, 1, 1, 1) : SIMD4(0, 1, 0, 0)
        let weights = active * SIMD4(1, 1, 1, x)
        let (a, s) = bursts.observe(chunkCounters.pointer(chunkRow &* bursts.counterCount), lanes: active, weights: weights)
        values[t &+ FeatureLayout.edgeNew] = hasTo && s[0] == 0 ? 1 : 0
        UnsafeMutableRawPointer(logs + _ChunkMath.burst).storeBytes(
            of: bursts.scores(current: a, total: s, weights: weights), as: SIMD4<Float>.self
        )

        // State updates, after every feature of the row is written. The receiver is updated after the
        // sender, so a self-transfer sees its own send.
        // The state decays by the factors its gather used, when time moved since its last transaction; a
        // self-transfer's receiver side is then already at `now` (the sender side decayed it).
        let sample = Float(amount)
        update(fromState, side: 0, sample: x, amount: sample, decay: now > fromBefore.last ? fromDecay : nil)
        if let toState {
            insertCounterparty(hashes.to, into: fromID, state: fromState)
            update(toState, side: 1, sample: x, amount: sample, decay: !isSelfTransfer && now > toBefore.last ? toDecay : nil)
            insertCounterparty(hashes.from, into: toID, state: toState)
            Self.recordReceived(toState, amount: sample, block: block)
        }
        return (fromID, toID)
    }

    /// Rows per prefetch chunk: enough independent misses in flight, few enough lines to stay in L1.
    static let chunkRows = 16

    /// Hints the cache to load the table slot each account of rows `range` (a chunk) probes first, and keeps
    /// the key hashes in `chunkHashes`. (A receiver-less row prefetches the slot of the empty key: harmless.)
    @inline(__always)
    private func prefetchSlots(_ range: Range<Int>, of batch: TxBatch) {
        batch.from.withUnsafeBufferPointer { from in
            batch.to.withUnsafeBufferPointer { to in
                for row in range {
                    let hashes = RowHashes(from: from[row].mixedHash, to: to[row].mixedHash)
                    chunkHashes[row % (2 * Self.chunkRows)] = hashes
                    table.prefetchHomeSlot(hash: hashes.from)
                    table.prefetchHomeSlot(hash: hashes.to)
                }
            }
        }
    }

    /// Hints the cache to load the key, state and registers of the id in each account's home slot (its
    /// own id whenever it sits there, as most keys do), and the burst sketch counters of each row; keeps
    /// the counter positions for the rows (`range` is the chunk about to run, its hashes already kept by
    /// `prefetchSlots`).
    @inline(__always)
    private func prefetchAccounts(_ range: Range<Int>) {
        for row in range {
            let hashes = chunkHashes[row % (2 * Self.chunkRows)]
            if let id = table.prefetchHomeKey(hash: hashes.from) { accounts.prefetch(Int(id)) }
            if let id = table.prefetchHomeKey(hash: hashes.to) { accounts.prefetch(Int(id)) }
            bursts.locate(
                BurstChannels.mixed(BurstChannels.hashes(from: hashes.from, to: hashes.to)),
                into: chunkCounters.pointer((row &- range.lowerBound) &* bursts.counterCount)
            )
        }
    }

    /// The account's id and its activity before this row, with fresh state when the id is new.
    @inline(__always)
    private mutating func intern(
        _ key: AccountKey, hash: UInt64, now: Int64, pinned: UInt32
    ) -> (id: UInt32, before: AccountTable.Activity) {
        let (id, isNew, before) = table.intern(key, hash: hash, now: now, pinned: pinned)
        if isNew { accounts.reset(id) }
        return (id, before)
    }

    /// The decayed mean gas price of earlier transactions as log1p's input (max(mean, 0) as `Float`), or
    /// `nil` before the first; then folds `gas` into the mean.
    @inline(__always)
    private mutating func observeGas(_ gas: Double, now: Int64) -> Float? {
        let before = gasCount > 0 ? Float(max(gasMean, 0)) : nil
        if gasTime != .min, now > gasTime {
            gasCount *= exp2(-Double(now - gasTime) / configuration.gasHalfLife)
        }
        gasTime = max(gasTime, now)
        gasCount += 1
        gasMean += (gas - gasMean) / gasCount
        return before
    }

    /// Transforms the chunk's pending math and writes the features that come from it.
    @inline(__always)
    private func writeChunkFeatures(_ rows: Range<Int>, into values: _RowWriter) {
        chunkMath.transform(rows: rows.count, shrinkWeight: Self.shrinkWeight, kernel: simdKernel)
        for row in rows {
            let chunkRow = row &- rows.lowerBound
            let logs = chunkMath.logs(chunkRow)
            let base = row &* layout.dimensions
            writeSideMath(chunkRow, side: 0, into: values, at: base &+ layout.fromBase)
            writeSideMath(chunkRow, side: 1, into: values, at: base &+ layout.toBase)
            let t = base &+ layout.txBase
            values[t &+ FeatureLayout.gasRatio] -= logs[_ChunkMath.gasMean]
            for k in 0 ..< 4 { values[t &+ FeatureLayout.burst &+ k] = logs[_ChunkMath.burst &+ k] }
        }
    }
}
