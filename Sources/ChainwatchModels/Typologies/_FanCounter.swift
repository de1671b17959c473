import ChainwatchCore

/// The distinct-counterparty window shared by ``FanOutDetector``, ``FanInDetector`` and ``DustingDetector``.
///
/// For each *hub* account it keeps, in arrival order, the first transfer with each counterparty that
/// counted inside the last `windowSeconds` of block time. A counterparty counts when it is *new*: the
/// pair `hub, counterparty` had no transfer in the `noveltySeconds` before (0 = every distinct
/// counterparty in the window counts). The pairs' last transfer times live in a ``_RecencyCache``.
/// With `distinct == false` (structuring) every transfer counts, whoever the counterparty.
///
/// Alert rule (no storms): a hub alerts on the transfer that brings its count to `minCounterparties`;
/// within the same episode it alerts again only when the count has grown by another `minCounterparties`
/// (10, 20, 30 … by default). The episode ends when the pruned count falls below `minCounterparties`.
///
/// Memory: hubs + pairs ≤ `maxTracked`. With novelty tracking the pair memory takes the largest
/// power-of-two share up to ¾ of it (65,536 pairs of 100,000; a full set of four forgets its least recently
/// seen pair) and hubs get the rest (their table shrinks to half, least recently active first, when it
/// passes that); each hub keeps at most `maxWindowEntries` entries (the oldest are dropped, so counts
/// saturate there). Cost per row: a hash lookup and a pair-memory line, plus, for distinct counting
/// without novelty, a scan of the hub's window entries.
///
/// State is kept in arrays indexed by slot (``_SlotTable``): a hub's window is a list of 72-byte entries in
/// one shared ``_ListArena``. An entry holds what the count, the total and the evidence need of the counted
/// transfer (time, amount, hash bytes, counterparty), since the hub gives the rest: appending it writes into
/// the hub's own block, where a handle into a transaction pool cost a cache miss on a cold record at every
/// release and store.
struct _FanCounter: Sendable {
    /// One counted transfer of a hub: what the window and the totals need, and what evidence shows of it.
    struct Entry: Sendable {
        var time: Int64
        var amount: Double
        var hash: _TxHash
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
        var lastActive: Int64
        /// Time of the window's first entry (unused while it is empty): a row with nothing to expire then
        /// reads no entry, and the window's first line is not a cache miss on every row.
        var firstTime: Int64 = 0
        var alertedCount = 0
        var window = _ListArena<Entry>.List()
    }

    let minCounterparties: Int
    let windowSeconds: Int64
    let noveltySeconds: Int64
    let maxTracked: Int
    let maxWindowEntries: Int
    let distinct: Bool
    private var hubs = _SlotTable<AccountKey, Hub>()
    private var windows = _ListArena<Entry>(
        filler: Entry(
            time: 0, amount: 0, hash: _TxHash(words: (0, 0, 0, 0)), counterparty: .none, irregular: Entry.regular
        )
    )
    /// The transactions whose hash ``_TxHash`` cannot hold (none for Ethereum input).
    private var irregular = _TxRefPool(singleHolder: true)
    /// Last transfer time of recent `hub → counterparty` pairs (with novelty tracking).
    private var pairs: _RecencyCache<Void>
    /// Cap on hubs: `maxTracked` less what the pair memory holds.
    private let maxHubs: Int
    private var sweeps: _SweepSchedule

    init(
        minCounterparties: Int, windowSeconds: Int64, noveltySeconds: Int64, maxTracked: Int, maxWindowEntries: Int,
        distinct: Bool = true
    ) {
        self.distinct = distinct
        self.minCounterparties = max(1, minCounterparties)
        self.windowSeconds = max(0, windowSeconds)
        self.noveltySeconds = max(0, noveltySeconds)
        self.maxTracked = max(2, maxTracked)
        self.maxWindowEntries = max(self.minCounterparties, maxWindowEntries)
        sweeps = _SweepSchedule(period: max(self.windowSeconds, 1))
        pairs = _RecencyCache(capacity: self.noveltySeconds > 0 ? self.maxTracked * 3 / 4 : 0)
        maxHubs = max(1, self.maxTracked - (self.noveltySeconds > 0 ? pairs.capacity : 0))
    }

    var trackedEntries: Int { hubs.count + pairs.count }

    /// A row's hub table hash and pair-memory fingerprint, computed once for both the prefetch and the lookups.
    struct Hashes {
        var hub: UInt64
        /// 0 without novelty tracking.
        var pair: UInt64
    }

    @inline(__always)
    func hashes(hub: AccountKey, counterparty: AccountKey) -> Hashes {
        Hashes(hub: hub.slotHash, pair: noveltySeconds > 0 ? hub.pairFingerprint(to: counterparty) : 0)
    }

    /// Requests the hub's bucket line and the pair's set line of a row with `hashes` (a chunk ahead; see
    /// ``prefetchEntries(_:)``).
    @inline(__always)
    func prefetchBuckets(_ hashes: Hashes) {
        hubs.prefetchBucket(hash: hashes.hub)
        if noveltySeconds > 0 { pairs.prefetch(hashes.pair) }
    }

    /// Requests the hub's entry line of a row with `hashes`, whose bucket was requested a chunk before.
    @inline(__always)
    func prefetchEntries(_ hashes: Hashes) {
        hubs.prefetchEntry(hash: hashes.hub)
    }

    /// Records row `row` (`hub` paid / was paid by `counterparty`) and returns the hub's slot when this row
    /// must alert (read the window with ``evidence(hub:)``).
    @inline(__always)
    mutating func observe(hub: AccountKey, counterparty: AccountKey, batch: TxBatch, row: Int) -> Int? {
        observe(hub: hub, counterparty: counterparty, hashes: hashes(hub: hub, counterparty: counterparty), batch: batch, row: row)
    }

    /// ``observe(hub:counterparty:batch:row:)`` with the pair's ``hashes(hub:counterparty:)`` at hand.
    @inline(__always)
    mutating func observe(hub: AccountKey, counterparty: AccountKey, hashes: Hashes, batch: TxBatch, row: Int) -> Int? {
        let time = batch.blockTime[row]
        if sweeps.isDue(at: time) { sweep(now: time) }
        if noveltySeconds > 0, let previous = pairs.exchange(hashes.pair, time: time), time - previous <= noveltySeconds {
            return nil
        }
        let slot = hubs.findOrInsert(hub, hash: hashes.hub, value: Hub(lastActive: time)).slot
        let alerting = Self.record(
            in: &hubs[slot], windows: &windows, irregular: &irregular, counterparty: counterparty, batch: batch, row: row,
            settings: (minCounterparties, windowSeconds, maxWindowEntries, distinct && noveltySeconds == 0)
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
        state.lastActive = time
        let cutoff = time - settings.window
        if !state.window.isEmpty, state.firstTime < cutoff {
            var expired = 1
            while expired < Int(state.window.count), windows.element(expired, of: state.window).time < cutoff { expired += 1 }
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
            time: time, amount: batch.amount[row], hash: hash ?? _TxHash(words: (0, 0, 0, 0)),
            counterparty: counterparty, irregular: hash == nil ? irregular.store(batch: batch, row: row) : Entry.regular
        )
        if state.window.isEmpty { state.firstTime = time }
        windows.append(entry, to: &state.window)
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
        if !state.window.isEmpty { state.firstTime = windows.element(0, of: state.window).time }
    }

    /// Releases the pooled transactions of the first `k` entries of `list`; with none pooled (Ethereum
    /// input) the entries are not read.
    private static func releaseIrregular(
        _ list: _ListArena<Entry>.List, first k: Int, windows: _ListArena<Entry>, from irregular: inout _TxRefPool
    ) {
        guard irregular.count > 0 else { return }
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
            stored[entry.irregular] = irregular[entry.irregular, time: entry.time, accounts: (hubs.key(slot), entry.counterparty)]
        }
        return Evidence(
            count: count, totalAmount: total, firstTime: count > 0 ? windows.element(0, of: list).time : nil, shown: shown,
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
