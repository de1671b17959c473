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
    /// Cap on tracked hubs + pairs; the least recently active are dropped beyond it.
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
    private var prefetchSink: UInt64 = 0

    init(configuration: FanConfiguration, hubIsSender: Bool) {
        self.configuration = configuration
        self.hubIsSender = hubIsSender
        counter = _FanCounter(
            minCounterparties: configuration.minCounterparties, windowSeconds: configuration.windowSeconds,
            noveltySeconds: configuration.noveltySeconds, maxTracked: configuration.maxTracked,
            maxWindowEntries: configuration.maxWindowEntries, hubIsSender: hubIsSender
        )
    }

    mutating func process(_ batch: TxBatch, detector: String, pattern: String, alerts: inout [Alert]) {
        var chunk = 0
        while chunk < batch.count {
            let rows = chunk ..< min(chunk + _Prefetch.chunkRows, batch.count)
            chunk = rows.upperBound
            for row in rows where counts(batch, row) {
                let (from, to) = (batch.from[row], batch.to[row])
                prefetchSink &+= hubIsSender ? counter.prefetch(hub: from, counterparty: to) : counter.prefetch(hub: to, counterparty: from)
            }
            for row in rows where counts(batch, row) {
                let from = batch.from[row], to = batch.to[row]
                let (hub, counterparty) = hubIsSender ? (from, to) : (to, from)
                guard let slot = counter.observe(hub: hub, counterparty: counterparty, batch: batch, row: row) else { continue }
                alerts.append(_FanAlert.make(
                    batch: batch, row: row, detector: detector, pattern: pattern,
                    hubRole: hubIsSender ? "sender" : "receiver", evidence: counter.evidence(hub: slot),
                    minCounterparties: counter.minCounterparties, windowSeconds: configuration.windowSeconds,
                    noveltySeconds: configuration.noveltySeconds, extra: [("min_amount_eth", configuration.minAmount)]
                ))
            }
        }
    }

    @inline(__always)
    private func counts(_ batch: TxBatch, _ row: Int) -> Bool {
        batch.from[row] != batch.to[row] && !batch.flags[row].contains(.contractCreation)
            && batch.amount[row] >= configuration.minAmount
    }
}
