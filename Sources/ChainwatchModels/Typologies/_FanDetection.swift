import ChainwatchCore

/// The detection loop of the fan detectors: which transfers count, the hubs' windows of each direction that
/// runs, and the alerts.
///
/// A transfer `A → B` counts when it is no self-transfer or contract creation, moves at least `minAmount`,
/// and — with a novelty window — is *new*: the pair `A → B` had no transfer in the `noveltySeconds` before.
/// New to `A` as a payee and new to `B` as a payer are the same fact, so novelty lives in one pair memory
/// (a ``_RecencyCache`` keyed by the directed pair) that fan-out and fan-in, run together, ask once per
/// transfer (``FanOutInDetector``).
///
/// Memory per direction: hubs + pairs ≤ `maxTracked`. The pair memory takes the largest power-of-two share
/// up to ¾ of it (65,536 pairs of 100,000; a full set of four forgets its least recently seen pair) and each
/// direction's hubs get the rest.
struct _FanDetection: Sendable {
    /// One direction: its settings, how its alerts read, its hubs.
    struct Side: Sendable {
        let configuration: FanConfiguration
        let detector: String
        let pattern: String
        /// `true`: the sender is the hub (fan-out); `false`: the receiver is (fan-in).
        let hubIsSender: Bool
        var counter: _FanCounter

        func alert(batch: TxBatch, row: Int, hub slot: Int) -> Alert {
            _FanAlert.make(
                batch: batch, row: row, detector: detector, pattern: pattern, hubIsSender: hubIsSender,
                evidence: counter.evidence(hub: slot), minCounterparties: counter.minCounterparties,
                windowSeconds: configuration.windowSeconds, noveltySeconds: configuration.noveltySeconds,
                extra: ("min_amount_eth", configuration.minAmount)
            )
        }
    }

    /// Fan-out; it runs when `runsOutgoing` (else it stays empty).
    private var outgoing: Side
    /// Fan-in; it runs when `runsIncoming`.
    private var incoming: Side
    // Flags rather than optional sides: testing an optional of a large struct cost an outlined call per test.
    private let runsOutgoing: Bool
    private let runsIncoming: Bool
    /// Last transfer time of recent `sender → receiver` pairs (with a novelty window).
    private var pairs: _RecencyCache<Void>
    private let noveltySeconds: Int64
    private let minAmount: Double

    /// The loop for fan-out (`outgoing`), fan-in (`incoming`) or both; settings of both must satisfy
    /// ``FanConfiguration/sharesPairMemory(with:)``.
    init(outgoing: FanConfiguration?, incoming: FanConfiguration?) {
        guard let shared = outgoing ?? incoming else { preconditionFailure("a fan detection runs at least one direction") }
        if let outgoing, let incoming { precondition(outgoing.sharesPairMemory(with: incoming), "fan settings differ") }
        let noveltySeconds = max(0, shared.noveltySeconds)
        self.noveltySeconds = noveltySeconds
        minAmount = shared.minAmount
        let maxTracked = max(2, shared.maxTracked)
        pairs = _RecencyCache(capacity: noveltySeconds > 0 ? maxTracked * 3 / 4 : 0)
        let maxHubs = max(1, maxTracked - (noveltySeconds > 0 ? pairs.capacity : 0))
        // With a novelty window the pair memory already says the counterparty is new to the hub; without
        // one, a counterparty already in the window does not count twice.
        func side(_ configuration: FanConfiguration, hubIsSender: Bool) -> Side {
            Side(
                configuration: configuration, detector: hubIsSender ? "fan_out" : "fan_in",
                pattern: hubIsSender ? "one sender paid many new counterparties" : "one receiver was paid by many new counterparties",
                hubIsSender: hubIsSender,
                counter: _FanCounter(
                    minCounterparties: configuration.minCounterparties, windowSeconds: configuration.windowSeconds,
                    maxHubs: maxHubs, maxWindowEntries: configuration.maxWindowEntries, distinct: noveltySeconds == 0
                )
            )
        }
        runsOutgoing = outgoing != nil
        runsIncoming = incoming != nil
        self.outgoing = side(outgoing ?? shared, hubIsSender: true)
        self.incoming = side(incoming ?? shared, hubIsSender: false)
    }

    /// Hubs of every direction plus pairs currently held in memory.
    var trackedEntries: Int { outgoing.counter.hubCount + incoming.counter.hubCount + pairs.count }

    /// A counted row and its table hashes: the sender's and receiver's hub hashes (0 for a direction that
    /// does not run) and the pair's fingerprint (0 without a novelty window).
    private typealias Pending = (row: Int, sender: UInt64, receiver: UInt64, pair: UInt64)

    mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        // Rows go in chunks. A chunk's counted rows and their table hashes are gathered (and their bucket
        // lines requested) one chunk before it runs; just before it runs, its entry lines are requested.
        // Heap scratch rather than `withUnsafeTemporaryAllocation`: inside that closure every call on a
        // counter copied it (retaining each of its arrays), twice per row.
        if runsOutgoing { outgoing.counter.ensureUnique() }
        if runsIncoming { incoming.counter.ensureUnique() }
        if noveltySeconds > 0 { pairs.ensureUnique() }
        let buffer = UnsafeMutableBufferPointer<Pending>.allocate(capacity: 2 * _Prefetch.chunkRows)
        defer { buffer.deallocate() }
        var current = UnsafeMutableBufferPointer(rebasing: buffer[0 ..< _Prefetch.chunkRows])
        var next = UnsafeMutableBufferPointer(rebasing: buffer[_Prefetch.chunkRows...])
        var currentCount = gather(0 ..< min(_Prefetch.chunkRows, batch.count), of: input, into: current)
        var chunk = min(_Prefetch.chunkRows, batch.count)
        while currentCount > 0 || chunk < batch.count {
            let upcoming = chunk ..< min(chunk + _Prefetch.chunkRows, batch.count)
            chunk = upcoming.upperBound
            let nextCount = gather(upcoming, of: input, into: next)
            for pending in current[0 ..< currentCount] {
                if runsOutgoing { outgoing.counter.prefetchEntry(hash: pending.sender) }
                if runsIncoming { incoming.counter.prefetchEntry(hash: pending.receiver) }
            }
            for pending in current[0 ..< currentCount] { process(pending, of: batch, alerts: &alerts) }
            swap(&current, &next)
            currentCount = nextCount
        }
        outgoing.counter.fenceStores()
        incoming.counter.fenceStores()
    }

    @inline(__always)
    private mutating func process(_ pending: Pending, of batch: TxBatch, alerts: inout [Alert]) {
        let row = pending.row, time = batch.blockTime[row]
        if runsOutgoing { outgoing.counter.sweepIfDue(at: time) }
        if runsIncoming { incoming.counter.sweepIfDue(at: time) }
        if noveltySeconds > 0, let previous = pairs.exchange(pending.pair, time: time, assumingUnique: true),
            time - previous <= noveltySeconds
        {
            return
        }
        let from = batch.from[row], to = batch.to[row]
        if runsOutgoing, let slot = outgoing.counter.count(hub: from, hash: pending.sender, counterparty: to, batch: batch, row: row) {
            alerts.append(outgoing.alert(batch: batch, row: row, hub: slot))
        }
        if runsIncoming, let slot = incoming.counter.count(hub: to, hash: pending.receiver, counterparty: from, batch: batch, row: row) {
            alerts.append(incoming.alert(batch: batch, row: row, hub: slot))
        }
    }

    /// Writes the counted rows of `rows` with their table hashes into `pending`, requests their bucket and
    /// pair-set lines, and returns how many there are.
    @inline(__always)
    private func gather(
        _ rows: Range<Int>, of input: DetectionInput, into pending: UnsafeMutableBufferPointer<Pending>
    ) -> Int {
        var counted = 0
        for row in rows where counts(input.batch, row) {
            let fromHash = input.fromHashes[row], toHash = input.toHashes[row]
            let sender = runsOutgoing ? fromHash : 0
            let receiver = runsIncoming ? toHash : 0
            let pair = noveltySeconds > 0 ? _RecencyCache<Void>.pairFingerprint(from: fromHash, to: toHash) : 0
            if runsOutgoing { outgoing.counter.prefetchBucket(hash: sender) }
            if runsIncoming { incoming.counter.prefetchBucket(hash: receiver) }
            if noveltySeconds > 0 { pairs.prefetch(pair) }
            pending[counted] = (row, sender, receiver, pair)
            counted += 1
        }
        return counted
    }

    @inline(__always)
    private func counts(_ batch: TxBatch, _ row: Int) -> Bool {
        batch.from[row] != batch.to[row] && !batch.flags[row].contains(.contractCreation) && batch.amount[row] >= minAmount
    }
}
