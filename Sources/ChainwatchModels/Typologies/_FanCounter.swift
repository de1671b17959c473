import ChainwatchCore

/// The counted-transfer window per hub shared by ``FanOutDetector``, ``FanInDetector``, ``DustingDetector`` and
/// ``StructuringDetector``.
///
/// For each *hub* account it keeps, in arrival order, the transfers it counted inside the last `windowSeconds`
/// of block time. Which transfers reach it is the caller's business (fan-out and fan-in pass only transfers
/// to or from a counterparty new to the hub: see `_FanDetection`). With `distinct`, a counterparty already in
/// the hub's window does not count twice.
///
/// Alert rule (no storms): a hub alerts on the transfer that brings its count to `minCounterparties`;
/// within the same episode it alerts again only when the count has grown by another `minCounterparties`
/// (10, 20, 30 … by default). The episode ends when the pruned count falls below `minCounterparties`.
///
/// Memory: at most `maxHubs` hubs (the table shrinks to half, least recently active first, when it passes
/// that); each hub keeps at most `maxWindowEntries` entries (the oldest are dropped, so counts saturate
/// there). Cost per row: a hash lookup and an append, plus, with `distinct`, a scan of the hub's window.
///
/// State is kept in arrays indexed by slot (``_SlotTable``): a hub's window is a list of 64-byte entries in
/// one shared ``_ListArena``, each stamped with its block time. An entry holds what the total and the
/// evidence need of the counted transfer (amount, hash bytes, counterparty), since the hub gives the rest:
/// appending it writes one line of the hub's own block, where a handle into a transaction pool cost a cache
/// miss on a cold record at every release and store. The times live apart, eight to a line, because expiry
/// reads only them: with the time inside a 72-byte entry, every expired entry read was a line of its own.
struct _FanCounter: Sendable {
    /// One counted transfer of a hub: what the totals need and what evidence shows of it (its block time is
    /// the entry's stamp in the arena). 64 bytes, one line.
    struct Entry: Sendable {
        var hash: _TxHash
        var amount: Double
        var counterparty: AccountKey
        /// The transaction's handle in `irregular` when its hash is not canonical, else ``Entry/regular``.
        var irregular: UInt32

        static let regular = UInt32.max
    }

    /// What an alert reports about a hub's window.
    struct Evidence {
        var count: Int
        /// Sum of the entries' amounts, oldest first.
        var totalAmount: Double
        var firstTime: Int64?
        /// The most recent ``_Evidence/listCap`` entries, oldest first.
        var shown: [Entry]
        /// The stored transactions of the shown entries whose hash is not canonical, by handle.
        var irregular: [UInt32: _TxRef]

        /// Writes the hash of shown entry `entry` as a JSON string.
        func appendHash(of entry: Entry, to writer: inout _ReasonsWriter) {
            if entry.irregular != Entry.regular, let transaction = irregular[entry.irregular] {
                writer.appendHash(transaction)
            } else {
                writer.appendHash(entry.hash)
            }
        }
    }

    /// A hub's state: when it was last active, the count it last alerted at, its window entries.
    struct Hub: Sendable {
        /// The latest block time of a row counted for the hub (the latest seen, should input be out of order).
        var lastActive: Int64
        /// Time of the window's first entry (its stamp; unused while the window is empty): a row with nothing
        /// to expire then reads no stamp, and the window's first line is not a cache miss on every row.
        var firstTime: Int64 = 0
        var alertedCount = 0
        var window = _ListArena<Entry>.List()
    }

    let minCounterparties: Int
    let windowSeconds: Int64
    let maxHubs: Int
    let maxWindowEntries: Int
    let distinct: Bool
    private var hubs = _SlotTable<AccountKey, Hub>()
    /// The windows' entries, stamped with their block times. Without a distinct check they are read only
    /// by alerts (and moves), so appends write them around the caches.
    private var windows: _ListArena<Entry>
    /// The transactions whose hash ``_TxHash`` cannot hold (none for Ethereum input).
    private var irregular = _TxRefPool()
    private var sweeps: _SweepSchedule

    init(minCounterparties: Int, windowSeconds: Int64, maxHubs: Int, maxWindowEntries: Int, distinct: Bool) {
        self.distinct = distinct
        self.minCounterparties = max(1, minCounterparties)
        self.windowSeconds = max(0, windowSeconds)
        self.maxHubs = max(1, maxHubs)
        self.maxWindowEntries = max(self.minCounterparties, maxWindowEntries)
        sweeps = _SweepSchedule(period: max(self.windowSeconds, 1))
        windows = _ListArena(
            filler: Entry(hash: _TxHash(words: (0, 0, 0, 0)), amount: 0, counterparty: .none, irregular: Entry.regular),
            stamped: true, streamed: !distinct
        )
    }

    /// Makes the hubs' and windows' storage unique: call at the start of each batch, before counting (which
    /// writes on that promise, without a uniqueness check per write; see ``_SlotTable/ensureUnique()``).
    mutating func ensureUnique() {
        hubs.ensureUnique()
        windows.ensureUnique()
    }

    /// Makes the entries counted so far visible to other threads: call at the end of each batch.
    @inline(__always)
    func fenceStores() { windows.fenceStores() }

    var hubCount: Int { hubs.count }

    /// Requests the bucket line of the hub whose `slotHash` is `hash` (a chunk ahead; see
    /// ``prefetchEntry(hash:)``).
    @inline(__always)
    func prefetchBucket(hash: UInt64) { hubs.prefetchBucket(hash: hash) }

    /// Requests the entry line of the hub whose `slotHash` is `hash`, whose bucket was requested a chunk before.
    @inline(__always)
    func prefetchEntry(hash: UInt64) { hubs.prefetchEntry(hash: hash) }

    /// Drops the hubs whose window expired, once per window length of block time (call it for every row the
    /// detector looks at, counted or not, so sweeps do not depend on which rows count).
    @inline(__always)
    mutating func sweepIfDue(at time: Int64) {
        if sweeps.isDue(at: time) { sweep(now: time) }
    }

    /// Sweeps if due, counts row `row` (`hub` paid / was paid by `counterparty`) and returns the hub's slot
    /// when this row must alert (read the window with ``evidence(hub:)``). After ``ensureUnique()``.
    @inline(__always)
    mutating func observe(hub: AccountKey, counterparty: AccountKey, batch: TxBatch, row: Int) -> Int? {
        sweepIfDue(at: batch.blockTime[row])
        return count(hub: hub, hash: hub.slotHash, counterparty: counterparty, batch: batch, row: row)
    }

    /// Counts row `row` for `hub` (whose `slotHash` is `hash`) without a sweep check, and returns the hub's
    /// slot when this row must alert. After ``ensureUnique()``.
    @inline(__always)
    mutating func count(hub: AccountKey, hash: UInt64, counterparty: AccountKey, batch: TxBatch, row: Int) -> Int? {
        let slot = hubs.findOrInsert(hub, hash: hash, value: Hub(lastActive: batch.blockTime[row]), assumingUnique: true)
            .slot
        let alerting = Self.record(
            in: &hubs[assumingUnique: slot], windows: &windows, irregular: &irregular, counterparty: counterparty,
            batch: batch, row: row, settings: (minCounterparties, windowSeconds, maxWindowEntries, distinct)
        )
        if hubs.count > maxHubs { enforceCap() }
        return alerting ? slot : nil
    }

    /// Updates one hub's window with the row; `true` when the row alerts.
    @inline(__always)
    private static func record(
        in state: inout Hub, windows: inout _ListArena<Entry>, irregular: inout _TxRefPool, counterparty: AccountKey,
        batch: TxBatch, row: Int,
        settings: (minimum: Int, window: Int64, maxEntries: Int, checkDistinct: Bool)
    ) -> Bool {
        let time = batch.blockTime[row]
        // No entry is newer than the hub's latest activity (the latest block time it saw, which out-of-order
        // input can make later than this row's): when that is out of the window, so is every entry, and none is
        // read (each one read is a cold line).
        let previousActivity = state.lastActive
        state.lastActive = max(previousActivity, time)
        let cutoff = time - settings.window
        if !state.window.isEmpty, state.firstTime < cutoff {
            var expired = previousActivity < cutoff ? Int(state.window.count) : 1
            while expired < Int(state.window.count), windows.stamp(expired, of: state.window) < cutoff { expired += 1 }
            dropFirst(expired, of: &state, windows: &windows, irregular: &irregular)
        }
        // With novelty tracking the pair memory already says the counterparty is new to this hub; without
        // it, a counterparty already in the window does not count twice.
        if settings.checkDistinct {
            for index in 0 ..< Int(state.window.count) where windows.element(index, of: state.window).counterparty == counterparty {
                return false
            }
        }
        let hash = batch.canonicalHash[row]
        let entry = Entry(
            hash: hash ?? _TxHash(words: (0, 0, 0, 0)), amount: batch.amount[row], counterparty: counterparty,
            irregular: hash == nil ? irregular.store(batch: batch, row: row) : Entry.regular
        )
        if state.window.isEmpty { state.firstTime = time }
        windows.append(entry, stamp: time, to: &state.window, assumingUnique: true)
        if Int(state.window.count) > settings.maxEntries {
            dropFirst(Int(state.window.count) - settings.maxEntries, of: &state, windows: &windows, irregular: &irregular)
        }
        let count = Int(state.window.count)
        if count < settings.minimum {
            state.alertedCount = 0
            return false
        }
        guard state.alertedCount == 0 || count >= state.alertedCount + settings.minimum else { return false }
        state.alertedCount = count
        return true
    }

    /// Drops the `k` oldest entries of a hub's window (and what they hold) and notes the new first time.
    private static func dropFirst(_ k: Int, of state: inout Hub, windows: inout _ListArena<Entry>, irregular: inout _TxRefPool) {
        releaseIrregular(state.window, first: k, windows: windows, from: &irregular)
        windows.removeFirst(k, from: &state.window)
        if !state.window.isEmpty { state.firstTime = windows.stamp(0, of: state.window) }
    }

    /// Releases the pooled transactions of the first `k` entries of `list`; with none pooled (Ethereum
    /// input) the entries are not read, and the check is inlined where entries expire.
    @inline(__always)
    private static func releaseIrregular(
        _ list: _ListArena<Entry>.List, first k: Int, windows: _ListArena<Entry>, from irregular: inout _TxRefPool
    ) {
        guard irregular.count > 0 else { return }
        releasePooled(list, first: k, windows: windows, from: &irregular)
    }

    private static func releasePooled(
        _ list: _ListArena<Entry>.List, first k: Int, windows: _ListArena<Entry>, from irregular: inout _TxRefPool
    ) {
        for index in 0 ..< k where windows.element(index, of: list).irregular != Entry.regular {
            irregular.release(windows.element(index, of: list).irregular)
        }
    }

    /// The window of hub `slot` as an alert reports it.
    func evidence(hub slot: Int) -> Evidence {
        let list = hubs[slot].window
        let count = Int(list.count)
        var total = 0.0
        for index in 0 ..< count { total += windows.element(index, of: list).amount }
        let shown = (max(0, count - _Evidence.listCap) ..< count).map { windows.element($0, of: list) }
        var stored: [UInt32: _TxRef] = [:]
        for entry in shown where entry.irregular != Entry.regular {
            stored[entry.irregular] = irregular[entry.irregular]
        }
        return Evidence(
            count: count, totalAmount: total, firstTime: count > 0 ? windows.stamp(0, of: list) : nil, shown: shown,
            irregular: stored
        )
    }

    /// Drops the hubs in `slots` with their window entries.
    private mutating func removeHubs(_ slots: [Int]) {
        for slot in slots {
            var list = hubs[slot].window
            Self.releaseIrregular(list, first: Int(list.count), windows: windows, from: &irregular)
            windows.release(&list)
        }
        hubs.remove(slots: slots)
    }

    private mutating func sweep(now: Int64) {
        let windowCutoff = now - windowSeconds
        removeHubs(_RecencyEviction.expiredSlots(hubs, isExpired: { $0.lastActive < windowCutoff }))
    }

    private mutating func enforceCap() {
        removeHubs(_RecencyEviction.doomedSlots(hubs, keep: hubs.count / 2, lastActive: { $0.lastActive }))
    }
}
