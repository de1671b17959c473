import ChainwatchCore
import Foundation

/// The typology detectors as one configurable set: which ones run and with which parameters.
///
///     let suite = try TypologySuite.Configuration(jsonFile: "typologies.json")
///     var detectors = TypologySuite.makeDetectors(suite)
///
/// A configuration file is a JSON object holding only what differs from the defaults, e.g.
/// `{"enabled": ["peel_chain", "fan_out"], "fanOut": {"minCounterparties": 25}}`; keys use the Swift
/// property names, durations are seconds of block time, amounts ETH.
public enum TypologySuite {
    /// Every typology detector name, in the order ``makeDetectors(_:)`` creates them.
    public static let detectorNames = [
        "peel_chain", "fan_out", "fan_in", "structuring", "pass_through", "dusting", "address_poisoning", "burst",
        "wash_cycle",
    ]

    public struct Configuration: Sendable, Codable, Equatable {
        /// Names of the detectors to run (default: all of ``TypologySuite/detectorNames``).
        public var enabled: [String] = TypologySuite.detectorNames
        public var peelChain = PeelChainDetector.Configuration()
        public var fanOut = FanOutDetector.Configuration()
        public var fanIn = FanInDetector.Configuration()
        public var structuring = StructuringDetector.Configuration()
        public var passThrough = PassThroughDetector.Configuration()
        public var dusting = DustingDetector.Configuration()
        public var addressPoisoning = AddressPoisoningDetector.Configuration()
        public var burst = BurstDetector.Configuration()
        public var washCycle = WashCycleDetector.Configuration()

        public init() {}

        /// The enabled detectors' names in ``TypologySuite/detectorNames`` order (the order
        /// ``TypologySuite/makeDetectors(_:)`` creates them in).
        public var enabledInOrder: [String] {
            let enabled = Set(enabled)
            return TypologySuite.detectorNames.filter(enabled.contains)
        }
    }

    /// The enabled detectors, in ``detectorNames`` order. Fan-out and fan-in, when both are enabled and
    /// their settings allow it, come as one ``FanOutInDetector`` (named `fan_out+fan_in`) in fan-out's place:
    /// the same alerts, for one pair memory and one pass.
    public static func makeDetectors(_ configuration: Configuration) -> [any Detector] {
        var detectors: [any Detector] = []
        let enabled = configuration.enabledInOrder
        let fused = enabled.contains("fan_out") && enabled.contains("fan_in")
            ? FanOutInDetector(fanOut: configuration.fanOut, fanIn: configuration.fanIn) : nil
        for name in enabled {
            switch name {
            case "peel_chain": detectors.append(PeelChainDetector(configuration: configuration.peelChain))
            case "fan_out":
                if let fused { detectors.append(fused) } else { detectors.append(FanOutDetector(configuration: configuration.fanOut)) }
            case "fan_in":
                if fused == nil { detectors.append(FanInDetector(configuration: configuration.fanIn)) }
            case "structuring": detectors.append(StructuringDetector(configuration: configuration.structuring))
            case "pass_through": detectors.append(PassThroughDetector(configuration: configuration.passThrough))
            case "dusting": detectors.append(DustingDetector(configuration: configuration.dusting))
            case "address_poisoning":
                detectors.append(AddressPoisoningDetector(configuration: configuration.addressPoisoning))
            case "burst": detectors.append(BurstDetector(configuration: configuration.burst))
            default: detectors.append(WashCycleDetector(configuration: configuration.washCycle))
            }
        }
        return detectors
    }
}
