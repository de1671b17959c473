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
/// Memory: senders plus `A → B` pairs ≤ ``Configuration/maxTracked``. Cost: O(1) hash work per row (a pair
/// lookup and a sender lookup) plus, without a novelty window, a scan of the sender's window (≤
/// ``Configuration/maxWindowEntries``).
public struct FanOutDetector: Detector, Sendable {
    public typealias Configuration = FanConfiguration

    public let name = "fan_out"
    public let configuration: Configuration
    private var detection: _FanDetection

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        detection = _FanDetection(outgoing: configuration, incoming: nil)
    }

    /// Senders and pairs currently held in memory.
    public var trackedEntries: Int { detection.trackedEntries }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        detection.process(input, alerts: &alerts)
    }
}
