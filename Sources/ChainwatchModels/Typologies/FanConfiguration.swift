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
        for row in 0 ..< batch.count {
            let from = batch.from[row], to = batch.to[row]
            guard from != to, !batch.flags[row].contains(.contractCreation), batch.amount[row] >= configuration.minAmount
            else { continue }
            let (hub, counterparty) = hubIsSender ? (from, to) : (to, from)
            if let entries = counter.observe(hub: hub, counterparty: counterparty, batch: batch, row: row) {
                alerts.append(_FanAlert.make(
                    batch: batch, row: row, detector: detector, pattern: pattern,
                    hubRole: hubIsSender ? "sender" : "receiver", entries: entries,
                    counterparty: hubIsSender ? { $0.to } : { $0.from },
                    minCounterparties: counter.minCounterparties, windowSeconds: configuration.windowSeconds,
                    noveltySeconds: configuration.noveltySeconds, extra: [("min_amount_eth", configuration.minAmount)]
                ))
            }
        }
    }
}
