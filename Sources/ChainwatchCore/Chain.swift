/// Which chain a stream comes from; decides units and how addresses are keyed.
public enum Chain: String, Sendable, CaseIterable, Codable {
    case ethereum
    case bitcoin

    /// Decimal places between the integer base unit (wei, satoshi) and the display unit (ETH, BTC).
    public var decimals: Int {
        switch self {
        case .ethereum: 18
        case .bitcoin: 8
        }
    }
}
