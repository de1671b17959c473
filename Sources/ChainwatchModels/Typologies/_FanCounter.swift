import ChainwatchCore

/// The distinct-counterparty window shared by ``FanOutDetector``, ``FanInDetector`` and ``DustingDetector``.
///
/// For each *hub* account it keeps, in arrival order, the first transfer with each counterparty that
/// counted inside the last `windowSeconds` of block time. A counterparty counts when it is *new*: the
/// pair `hub, counterparty` had no transfer in the `noveltySeconds` before (0 = every distinct
/// counterparty in the window counts). Pair memory is an edge table pruned after `noveltySeconds`.
/// With `distinct == false` (structuring) every transfer counts, whoever the counterparty.
///
/// Alert rule (no storms): a hub alerts on the transfer that brings its count to `minCounterparties`;
/// within the same episode it alerts again only when the count has grown by another `minCounterparties`
/// (10, 20, 30 … by default). The episode ends when the pruned count falls below `minCounterparties`.
///
/// Memory: hubs + edges ≤ `maxTracked` (both tables shrink to half, least recently active first,
/// when the sum passes it); each hub keeps at most `maxWindowEntries` entries (the oldest are dropped, so
/// counts saturate there). Cost per row: two hash lookups plus a scan of the hub's window entries.
struct _FanCounter: Sendable {
    struct Hub: Sendable {
        /// Window entries are `storage[head...]`; dropped entries only advance `head`, and the dead prefix
        /// is compacted away once it is at least half of the storage (amortized O(1) per entry).
        var storage: [_TxRef] = []
        var head = 0
        var lastActive: Int64
        var alertedCount = 0

        var entries: ArraySlice<_TxRef> { storage[head...] }
        var count: Int { storage.count - head }
    }

    let minCounterparties: Int
    let windowSeconds: Int64
    let noveltySeconds: Int64
    let maxTracked: Int
    let maxWindowEntries: Int
    let distinct: Bool
    private(set) var hubs: [_AccountSlot: Hub] = [:]
    private(set) var seen: [_EdgeKey: Int64] = [:]
    private var sweeps: _SweepSchedule

    init(minCounterparties: Int, windowSeconds: Int64, noveltySeconds: Int64, maxTracked: Int, maxWindowEntries: Int, distinct: Bool = true) {
        self.distinct = distinct
        self.minCounterparties = max(1, minCounterparties)
        self.windowSeconds = max(0, windowSeconds)
        self.noveltySeconds = max(0, noveltySeconds)
        self.maxTracked = max(2, maxTracked)
        self.maxWindowEntries = max(self.minCounterparties, maxWindowEntries)
        sweeps = _SweepSchedule(period: max(self.windowSeconds, self.noveltySeconds, 1))
    }

    var trackedEntries: Int { hubs.count + seen.count }

    /// Records row `row` (`hub` paid / was paid by `counterparty`) and returns the hub's window entries
    /// when this row must alert.
    mutating func observe(hub: AccountKey, counterparty: AccountKey, batch: TxBatch, row: Int) -> ArraySlice<_TxRef>? {
        let time = batch.blockTime[row]
        if sweeps.isDue(at: time) { sweep(now: time) }
        if noveltySeconds > 0 {
            let edge = _EdgeKey(from: hub, to: counterparty)
            let previous = seen.updateValue(time, forKey: edge)
            if let previous, time - previous <= noveltySeconds { return nil }
        }
        let alerting = Self.record(
            in: &hubs[_AccountSlot(hub), default: Hub(lastActive: time)], hub: hub, counterparty: counterparty, batch: batch, row: row,
            settings: (minCounterparties, windowSeconds, maxWindowEntries, distinct && noveltySeconds == 0)
        )
        if hubs.count + seen.count > maxTracked { enforceCap() }
        return alerting
    }

    /// Updates one hub in place (a single hash lookup) and returns its entries when the row alerts.
    private static func record(
        in state: inout Hub, hub: AccountKey, counterparty: AccountKey, batch: TxBatch, row: Int,
        settings: (minimum: Int, window: Int64, maxEntries: Int, checkDistinct: Bool)
    ) -> ArraySlice<_TxRef>? {
        let time = batch.blockTime[row]
        state.lastActive = time
        let cutoff = time - settings.window
        if state.head < state.storage.count, state.storage[state.head].time < cutoff {
            var firstKept = state.head + 1
            while firstKept < state.storage.count, state.storage[firstKept].time < cutoff { firstKept += 1 }
            if firstKept == state.storage.count {
                state.storage.removeAll(keepingCapacity: true)
                state.head = 0
            } else {
                state.head = firstKept
            }
        }
        // With novelty tracking the edge table already says the counterparty is new to this hub; without
        // it, a counterparty already in the window does not count twice.
        if settings.checkDistinct,
            state.entries.contains(where: { ($0.from == hub ? $0.to : $0.from) == counterparty })
        {
            return nil
        }
        if state.head >= 32, state.head * 2 >= state.storage.count {
            state.storage.removeFirst(state.head)
            state.head = 0
        }
        state.storage.append(_TxRef(batch: batch, row: row))
        if state.count > settings.maxEntries { state.head += state.count - settings.maxEntries }
        let count = state.count
        if count < settings.minimum {
            state.alertedCount = 0
            return nil
        }
        guard state.alertedCount == 0 || count >= state.alertedCount + settings.minimum else { return nil }
        state.alertedCount = count
        return state.entries
    }

    private mutating func sweep(now: Int64) {
        let windowCutoff = now - windowSeconds
        _RecencyEviction.removeExpired(&hubs) { $0.lastActive < windowCutoff }
        let noveltyCutoff = now - noveltySeconds
        if noveltySeconds > 0 { _RecencyEviction.removeExpired(&seen) { $0 < noveltyCutoff } }
    }

    private mutating func enforceCap() {
        guard hubs.count + seen.count > maxTracked else { return }
        _RecencyEviction.shrink(&hubs, keep: hubs.count / 2) { $0.lastActive }
        _RecencyEviction.shrink(&seen, keep: seen.count / 2) { $0 }
    }
}
