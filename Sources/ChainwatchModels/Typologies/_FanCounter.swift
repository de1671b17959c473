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
/// Memory: hubs + edges ≤ `maxTracked` (both tables shrink to three quarters, least recently active first,
/// when the sum passes it); each hub keeps at most `maxWindowEntries` entries (the oldest are dropped, so
/// counts saturate there). Cost per row: two hash lookups plus a scan of the hub's window entries.
struct _FanCounter: Sendable {
    struct Hub: Sendable {
        var entries: [_TxRef] = []
        var lastActive: Int64
        var alertedCount = 0
    }

    let minCounterparties: Int
    let windowSeconds: Int64
    let noveltySeconds: Int64
    let maxTracked: Int
    let maxWindowEntries: Int
    let distinct: Bool
    private(set) var hubs: [AccountKey: Hub] = [:]
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
    mutating func observe(hub: AccountKey, counterparty: AccountKey, batch: TxBatch, row: Int) -> [_TxRef]? {
        let time = batch.blockTime[row]
        if sweeps.isDue(at: time) { sweep(now: time) }
        if noveltySeconds > 0 {
            let edge = _EdgeKey(from: hub, to: counterparty)
            let previous = seen.updateValue(time, forKey: edge)
            if let previous, time - previous <= noveltySeconds { return nil }
        }
        var state = hubs.removeValue(forKey: hub) ?? Hub(lastActive: time)
        defer {
            hubs[hub] = state
            enforceCap()
        }
        state.lastActive = time
        let cutoff = time - windowSeconds
        if let firstKept = state.entries.firstIndex(where: { $0.time >= cutoff }) {
            if firstKept > 0 { state.entries.removeFirst(firstKept) }
        } else {
            state.entries.removeAll(keepingCapacity: true)
        }
        // With novelty tracking the edge table already says the counterparty is new to this hub; without
        // it, a counterparty already in the window does not count twice.
        if distinct, noveltySeconds == 0, state.entries.contains(where: { counterpartyOf($0, hub: hub) == counterparty }) {
            return nil
        }
        state.entries.append(_TxRef(batch: batch, row: row))
        if state.entries.count > maxWindowEntries { state.entries.removeFirst(state.entries.count - maxWindowEntries) }
        let count = state.entries.count
        if count < minCounterparties {
            state.alertedCount = 0
            return nil
        }
        guard state.alertedCount == 0 || count >= state.alertedCount + minCounterparties else { return nil }
        state.alertedCount = count
        return state.entries
    }

    func counterpartyOf(_ ref: _TxRef, hub: AccountKey) -> AccountKey {
        ref.from == hub ? ref.to : ref.from
    }

    private mutating func sweep(now: Int64) {
        let windowCutoff = now - windowSeconds
        hubs = hubs.filter { $0.value.lastActive >= windowCutoff }
        let noveltyCutoff = now - noveltySeconds
        if noveltySeconds > 0 { seen = seen.filter { $0.value >= noveltyCutoff } }
    }

    private mutating func enforceCap() {
        guard hubs.count + seen.count > maxTracked else { return }
        _RecencyEviction.shrink(&hubs, keep: hubs.count - hubs.count / 4) { $0.lastActive }
        _RecencyEviction.shrink(&seen, keep: seen.count - seen.count / 4) { $0 }
    }
}
