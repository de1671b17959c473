import ChainwatchCore
import ChainwatchModels
import Foundation
import Testing
import _ChainwatchTestSupport

struct TypologySuiteTests {
    func load(_ json: String) throws(ChainwatchError) -> TypologySuite.Configuration {
        try TypologySuite.Configuration(json: Data(json.utf8))
    }

    @Test func defaultsEnableEveryDetectorWithFanOutAndFanInInOnePass() {
        let detectors = TypologySuite.makeDetectors(.init())
        #expect(detectors.map(\.name) == [
            "peel_chain", "fan_out+fan_in", "structuring", "pass_through", "dusting", "address_poisoning", "burst",
            "wash_cycle",
        ])
        #expect(detectors[1] is FanOutInDetector)
    }

    @Test func fanOutAndFanInRunApartWhenTheyCannotShareTheirPairMemory() {
        for change in [
            { (c: inout FanConfiguration) in c.noveltySeconds = 0 },
            { (c: inout FanConfiguration) in c.minAmount = 1 },
            { (c: inout FanConfiguration) in c.maxTracked = 5_000 },
        ] {
            var configuration = TypologySuite.Configuration()
            change(&configuration.fanIn)
            #expect(FanOutInDetector(fanOut: configuration.fanOut, fanIn: configuration.fanIn) == nil)
            let names = TypologySuite.makeDetectors(configuration).map(\.name)
            #expect(names == TypologySuite.detectorNames)
        }
        // Settings the pair memory does not depend on may differ.
        var configuration = TypologySuite.Configuration()
        configuration.fanIn.minCounterparties = 25
        configuration.fanIn.windowSeconds = 600
        #expect(TypologySuite.makeDetectors(configuration).map(\.name).contains("fan_out+fan_in"))
    }

    @Test func aFileOverridesOnlyWhatItNames() throws {
        let directory = Fixtures.makeTemporaryDirectory("typology")
        let path = directory.appendingPathComponent("typologies.json").path
        try Data(#"{"enabled": ["fan_out", "peel_chain"], "fanOut": {"minCounterparties": 25}}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let configuration = try TypologySuite.Configuration(jsonFile: path)
        #expect(configuration.fanOut.minCounterparties == 25)
        #expect(configuration.fanOut.windowSeconds == 3_600)
        #expect(configuration.peelChain == PeelChainDetector.Configuration())
        // Detectors come in the suite's order, whatever the order in the file.
        #expect(TypologySuite.makeDetectors(configuration).map(\.name) == ["peel_chain", "fan_out"])
    }

    @Test func anEncodedConfigurationRoundTrips() throws {
        var configuration = TypologySuite.Configuration()
        configuration.burst.minCount = 50
        configuration.structuring.thresholds = [1, 5]
        let data = try JSONEncoder().encode(configuration)
        #expect(try TypologySuite.Configuration(json: data) == configuration)
    }

    @Test(arguments: [
        #"["fan_out"]"#,
        #"{"enabled": ["fan_outt"]}"#,
        #"{"fanOut": {"minCounterparty": 3}}"#,
        #"{"fanOut": {"minCounterparties": "ten"}}"#,
        #"{"fanOut": {"minCounterparties": 0}}"#,
        #"{"passThrough": {"tolerance": 1.5}}"#,
        #"{"peelChain": {"minRatio": 0.9, "maxRatio": 0.8}}"#,
        "not json",
    ])
    func badContentIsAnInvalidArgument(json: String) {
        #expect {
            _ = try load(json)
        } throws: { error in
            (error as? ChainwatchError)?.code == .invalidArgument
        }
    }

    @Test func aMissingFileIsUnreadable() {
        #expect {
            _ = try TypologySuite.Configuration(jsonFile: "/nonexistent/typologies.json")
        } throws: { error in
            (error as? ChainwatchError)?.code == .unreadableInput
        }
    }
}
