import ChainwatchCore

/// Flags dusting: one sender spreads tiny amounts over many distinct accounts in a short window.
///
/// Rule: a transfer `A → B` is *dust* when `0 < amount < maxDustAmount` ETH (self-transfers and contract
/// creations skipped). It alerts when `A` has sent dust to ≥ ``Configuration/minRecipients`` distinct
/// recipients within the last ``Configuration/windowSeconds`` of block time (inclusive); within one episode
/// it alerts again only each time the count grows by another `minRecipients` (see `_FanCounter`).
/// `score` = the number of distinct dust recipients in the window.
///
/// Memory: ≤ ``Configuration/maxTracked`` senders of dust. Cost: one hash lookup plus a scan of the sender's
/// window (≤ ``Configuration/maxWindowEntries``), and only for dust rows.
public struct DustingDetector: Detector, Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// Dust is strictly below this many ETH (and strictly above 0).
        public var maxDustAmount: Double = 0.000_1
        /// Distinct dust recipients needed within the window.
        public var minRecipients: Int = 20
        /// Window length in seconds of block time (one hour).
        public var windowSeconds: Int64 = 3_600
        /// Cap on tracked senders; the least recently active are dropped beyond it.
        public var maxTracked: Int = 100_000
        /// Cap on the dust transfers kept per sender inside one window.
        public var maxWindowEntries: Int = 1_000

        public init() {}
    }

    public let name = "dusting"
    public let configuration: Configuration
    private var counter: _FanCounter

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        counter = _FanCounter(
            minCounterparties: configuration.minRecipients, windowSeconds: configuration.windowSeconds,
            maxHubs: configuration.maxTracked, maxWindowEntries: configuration.maxWindowEntries, distinct: true
        )
    }

    /// Senders currently held in memory.
    public var trackedEntries: Int { counter.hubCount }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        counter.ensureUnique()
        for row in 0 ..< batch.count {
            let amount = batch.amount[row]
            guard amount > 0, amount < configuration.maxDustAmount else { continue }
            let from = batch.from[row], to = batch.to[row]
            guard from != to, !batch.flags[row].contains(.contractCreation) else { continue }
            if let slot = counter.observe(hub: from, counterparty: to, batch: batch, row: row) {
                alerts.append(_FanAlert.make(
                    batch: batch, row: row, detector: name, pattern: "one sender sent dust to many distinct accounts",
                    hubIsSender: true, evidence: counter.evidence(hub: slot),
                    minCounterparties: counter.minCounterparties, windowSeconds: configuration.windowSeconds,
                    noveltySeconds: nil, extra: ("max_dust_amount_eth", configuration.maxDustAmount)
                ))
            }
        }
        counter.fenceStores()
    }
}
