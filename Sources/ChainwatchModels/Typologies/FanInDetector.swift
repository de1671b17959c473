import ChainwatchCore

/// Flags collection: one account is paid by many counterparties that have not paid it recently, in a
/// short window of block time.
///
/// Rule: a transfer `A → B` with amount ≥ ``Configuration/minAmount`` ETH (self-transfers and contract
/// creations skipped) counts when `A` has not paid `B` in the previous ``Configuration/noveltySeconds``.
/// The transfer alerts when `B` has been paid by ≥ ``Configuration/minCounterparties`` such new payers within
/// the last ``Configuration/windowSeconds`` (inclusive of both ends); within one episode it alerts again
/// only each time the count grows by another `minCounterparties` (see `_FanCounter`).
/// `score` = the number of new payers in the window.
///
/// Memory: receivers plus `A → B` pairs ≤ ``Configuration/maxTracked``. Cost: O(1) hash work per row (a pair
/// lookup and a receiver lookup) plus, without a novelty window, a scan of the receiver's window (≤
/// ``Configuration/maxWindowEntries``).
public struct FanInDetector: Detector, Sendable {
    public typealias Configuration = FanConfiguration

    public let name = "fan_in"
    public let configuration: Configuration
    private var detection: _FanDetection

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        detection = _FanDetection(outgoing: nil, incoming: configuration)
    }

    /// Receivers and pairs currently held in memory.
    public var trackedEntries: Int { detection.trackedEntries }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        detection.process(input, alerts: &alerts)
    }
}
