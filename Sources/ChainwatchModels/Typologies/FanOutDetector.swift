import ChainwatchCore

/// Flags distribution (smurfing): one account pays many counterparties it has not paid recently, in a
/// short window of block time.
///
/// Rule: a transfer `A → B` with amount ≥ ``Configuration/minAmount`` ETH (self-transfers and contract
/// creations skipped) counts when `A` has not paid `B` in the previous ``Configuration/noveltySeconds``.
/// The transfer alerts when `A` has paid ≥ ``Configuration/minCounterparties`` such new counterparties within
/// the last ``Configuration/windowSeconds`` (inclusive of both ends); within one episode it alerts again
/// only each time the count grows by another `minCounterparties` (see `_FanCounter`).
/// `score` = the number of new counterparties in the window.
///
/// Memory: senders plus `A → B` pairs ≤ ``Configuration/maxTracked``. Cost: O(1) hash work per row plus a
/// scan of the sender's window (≤ ``Configuration/maxWindowEntries``).
public struct FanOutDetector: Detector, Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// New counterparties needed within the window.
        public var minCounterparties: Int = 10
        /// Window length in seconds of block time (one hour).
        public var windowSeconds: Int64 = 3_600
        /// A pair with a transfer in this many seconds of block time before is not new (seven days; 0 = only
        /// distinctness within the window counts).
        public var noveltySeconds: Int64 = 604_800
        /// Transfers below this many ETH are ignored (0 = every transfer, zero-value calls included).
        public var minAmount: Double = 0
        /// Cap on tracked senders + pairs; the least recently active are dropped beyond it.
        public var maxTracked: Int = 100_000
        /// Cap on the transfers kept per sender inside one window.
        public var maxWindowEntries: Int = 1_000

        public init() {}
    }

    public let name = "fan_out"
    public let configuration: Configuration
    private var counter: _FanCounter

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        counter = _FanCounter(
            minCounterparties: configuration.minCounterparties, windowSeconds: configuration.windowSeconds,
            noveltySeconds: configuration.noveltySeconds, maxTracked: configuration.maxTracked,
            maxWindowEntries: configuration.maxWindowEntries
        )
    }

    /// Senders and pairs currently held in memory.
    public var trackedEntries: Int { counter.trackedEntries }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        for row in 0 ..< batch.count {
            let from = batch.from[row], to = batch.to[row]
            guard from != to, !batch.flags[row].contains(.contractCreation), batch.amount[row] >= configuration.minAmount
            else { continue }
            if let entries = counter.observe(hub: from, counterparty: to, batch: batch, row: row) {
                alerts.append(_FanAlert.make(
                    batch: batch, row: row, detector: name, pattern: "one sender paid many new counterparties",
                    hubRole: "sender", entries: entries, counterparty: { $0.to },
                    minCounterparties: counter.minCounterparties, windowSeconds: configuration.windowSeconds,
                    noveltySeconds: configuration.noveltySeconds, extra: [("min_amount_eth", configuration.minAmount)]
                ))
            }
        }
    }
}
