import ChainwatchCore

/// Flags structuring: one account sends several transfers just below round amounts in a short window.
///
/// Rule: a transfer is *just below a threshold* when, for some `T` in ``Configuration/thresholds``,
/// `T × (1 − belowFraction) ≤ amount < T` (defaults: [0.9, 1), [9, 10), [90, 100), [900, 1000) ETH).
/// It alerts when its sender has made ≥ ``Configuration/minTransfers`` such transfers (any receivers,
/// contract creations skipped) within the last ``Configuration/windowSeconds`` of block time (inclusive);
/// within one episode it alerts again only each time the count grows by another `minTransfers`
/// (see `_FanCounter`). `score` = the number of such transfers in the window.
///
/// Memory: ≤ ``Configuration/maxTracked`` senders. Cost: a comparison per threshold for every row, hash
/// work only for the rows that qualify.
public struct StructuringDetector: Detector, Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        /// Round amounts in ETH that structured transfers stay just below.
        public var thresholds: [Double] = [1, 10, 100, 1_000]
        /// How far below a threshold still counts, as a fraction of it (0.1 = within 10 % below).
        public var belowFraction: Double = 0.1
        /// Qualifying transfers needed within the window.
        public var minTransfers: Int = 3
        /// Window length in seconds of block time (one day).
        public var windowSeconds: Int64 = 86_400
        /// Cap on tracked senders; the least recently active are dropped beyond it.
        public var maxTracked: Int = 100_000
        /// Cap on the transfers kept per sender inside one window.
        public var maxWindowEntries: Int = 1_000

        public init() {}
    }

    public let name = "structuring"
    public let configuration: Configuration
    private var counter: _FanCounter
    private let bands: [(low: Double, high: Double)]

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        counter = _FanCounter(
            minCounterparties: configuration.minTransfers, windowSeconds: configuration.windowSeconds,
            maxHubs: configuration.maxTracked, maxWindowEntries: configuration.maxWindowEntries, distinct: false
        )
        bands = configuration.thresholds.sorted().map { ($0 * (1 - configuration.belowFraction), $0) }
    }

    /// Senders currently held in memory.
    public var trackedEntries: Int { counter.hubCount }

    /// The threshold `amount` sits just below, if any.
    func threshold(justAbove amount: Double) -> Double? {
        for band in bands where amount >= band.low && amount < band.high { return band.high }
        return nil
    }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        counter.ensureUnique()
        for row in 0 ..< batch.count {
            guard threshold(justAbove: batch.amount[row]) != nil, !batch.flags[row].contains(.contractCreation)
            else { continue }
            let from = batch.from[row]
            if let slot = counter.observe(hub: from, counterparty: batch.to[row], batch: batch, row: row) {
                alerts.append(alert(batch: batch, row: row, evidence: counter.evidence(hub: slot)))
            }
        }
        counter.fenceStores()
    }

    private func alert(batch: TxBatch, row: Int, evidence: _FanCounter.Evidence) -> Alert {
        let shown = evidence.shown
        var reasons = _ReasonsWriter(capacity: 3_072)
        reasons.add("pattern", "repeated transfers just below round amounts")
        reasons.add("sender", address: batch.from[row])
        reasons.add("transfers", evidence.count)
        reasons.add("total_amount_eth", evidence.totalAmount)
        reasons.addWindow(from: evidence.firstTime ?? 0, to: batch.blockTime[row])
        reasons.addArray("hashes", shown) { evidence.appendHash(of: $1, to: &$0) }
        // The sender is the hub, so each entry's counterparty is the receiver.
        reasons.addArray("receivers", shown) { $0.appendAddress($1.counterparty) }
        reasons.addArray("amounts_eth", shown) { $0.appendNumber($1.amount) }
        reasons.addArray("thresholds_eth", shown) { $0.appendNumber(threshold(justAbove: $1.amount) ?? 0) }
        reasons.addObject("parameters") { parameters in
            parameters.add("min_transfers", configuration.minTransfers)
            parameters.add("window_s", configuration.windowSeconds)
            parameters.add("below_fraction", configuration.belowFraction)
            parameters.addArray("thresholds_eth", configuration.thresholds, keepingLast: .max) { $0.appendNumber($1) }
        }
        return Alert(batch: batch, row: row, detector: name, typology: name, score: Double(evidence.count), reasons: reasons.finished())
    }
}
