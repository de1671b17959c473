import ChainwatchCore

/// Settings of ``FanOutDetector`` and ``FanInDetector``; the *hub* is the sender for fan-out and the
/// receiver for fan-in.
public struct FanConfiguration: Sendable, Codable, Equatable {
    /// New counterparties needed within the window.
    public var minCounterparties: Int = 10
    /// Window length in seconds of block time (one hour).
    public var windowSeconds: Int64 = 3_600
    /// A pair with a transfer in this many seconds of block time before is not new (seven days; 0 = only
    /// distinctness within the window counts).
    public var noveltySeconds: Int64 = 604_800
    /// Transfers below this many ETH are ignored (0 = every transfer, zero-value calls included).
    public var minAmount: Double = 0
    /// Cap on tracked hubs + pairs: the pair memory takes up to ¾ (a power of two), hubs the rest; the least
    /// recently active are dropped beyond them.
    public var maxTracked: Int = 100_000
    /// Cap on the transfers kept per hub inside one window.
    public var maxWindowEntries: Int = 1_000

    public init() {}
}

/// The detection loop both fan detectors share: count new counterparties per hub, alert with the evidence.
struct _FanDetection: Sendable {
    let configuration: FanConfiguration
    var counter: _FanCounter
    /// `true`: the sender is the hub (fan-out); `false`: the receiver is (fan-in).
    let hubIsSender: Bool

    init(configuration: FanConfiguration, hubIsSender: Bool) {
        self.configuration = configuration
        self.hubIsSender = hubIsSender
        counter = _FanCounter(
            minCounterparties: configuration.minCounterparties, windowSeconds: configuration.windowSeconds,
            noveltySeconds: configuration.noveltySeconds, maxTracked: configuration.maxTracked,
            maxWindowEntries: configuration.maxWindowEntries
        )
    }

    mutating func process(_ batch: TxBatch, detector: String, pattern: String, alerts: inout [Alert]) {
        // Rows go in chunks. A chunk's counted rows and their table hashes are gathered (and their bucket
        // lines requested) one chunk before it runs; just before it runs, its entry lines are requested.
        typealias Pending = (row: Int, hashes: _FanCounter.Hashes)
        // Heap scratch rather than `withUnsafeTemporaryAllocation`: inside that closure every call on
        // `counter` copied it (retaining each of its arrays), twice per row.
        let buffer = UnsafeMutableBufferPointer<Pending>.allocate(capacity: 2 * _Prefetch.chunkRows)
        defer { buffer.deallocate() }
        var current = UnsafeMutableBufferPointer(rebasing: buffer[0 ..< _Prefetch.chunkRows])
        var next = UnsafeMutableBufferPointer(rebasing: buffer[_Prefetch.chunkRows...])
        var currentCount = gather(0 ..< min(_Prefetch.chunkRows, batch.count), of: batch, into: current)
        var chunk = min(_Prefetch.chunkRows, batch.count)
        while currentCount > 0 || chunk < batch.count {
            let upcoming = chunk ..< min(chunk + _Prefetch.chunkRows, batch.count)
            chunk = upcoming.upperBound
            let nextCount = gather(upcoming, of: batch, into: next)
            for (_, hashes) in current[0 ..< currentCount] { counter.prefetchEntries(hashes) }
            for (row, hashes) in current[0 ..< currentCount] {
                let (hub, counterparty) = hubIsSender ? (batch.from[row], batch.to[row]) : (batch.to[row], batch.from[row])
                guard let slot = counter.observe(hub: hub, counterparty: counterparty, hashes: hashes, batch: batch, row: row)
                else { continue }
                alerts.append(_FanAlert.make(
                    batch: batch, row: row, detector: detector, pattern: pattern,
                    hubIsSender: hubIsSender, evidence: counter.evidence(hub: slot),
                    minCounterparties: counter.minCounterparties, windowSeconds: configuration.windowSeconds,
                    noveltySeconds: configuration.noveltySeconds, extra: ("min_amount_eth", configuration.minAmount)
                ))
            }
            swap(&current, &next)
            currentCount = nextCount
        }
    }

    /// Writes the counted rows of `rows` with their table hashes into `pending`, requests their buckets,
    /// and returns how many there are.
    @inline(__always)
    private func gather(
        _ rows: Range<Int>, of batch: TxBatch, into pending: UnsafeMutableBufferPointer<(row: Int, hashes: _FanCounter.Hashes)>
    ) -> Int {
        var counted = 0
        for row in rows where counts(batch, row) {
            let (hub, counterparty) = hubIsSender ? (batch.from[row], batch.to[row]) : (batch.to[row], batch.from[row])
            let hashes = counter.hashes(hub: hub, counterparty: counterparty)
            counter.prefetchBuckets(hashes)
            pending[counted] = (row, hashes)
            counted += 1
        }
        return counted
    }

    @inline(__always)
    private func counts(_ batch: TxBatch, _ row: Int) -> Bool {
        batch.from[row] != batch.to[row] && !batch.flags[row].contains(.contractCreation)
            && batch.amount[row] >= configuration.minAmount
    }
}
