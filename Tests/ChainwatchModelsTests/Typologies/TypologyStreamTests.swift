import ChainwatchCore
import ChainwatchModels
import Foundation
import Testing

/// The whole suite on the real 2017 sample (alert rates) and on a long synthetic stream (bounded state).
struct TypologyStreamTests {
    @Test func alertRatesOnTheRealSampleAreBounded() throws {
        let sample = try TypologySample.ethereum2017()
        try #require(sample.count == 19_999)
        var detectors = TypologySuite.makeDetectors(.init())
        var whole: [Alert] = []
        for index in detectors.indices {
            detectors[index].process(DetectionInput(batch: sample, features: FeatureMatrix(dimensions: 1)), alerts: &whole)
        }
        let perDetector = Dictionary(grouping: whole, by: \.detector)
        #expect(Set(perDetector.keys).isSubset(of: TypologySuite.detectorNames))
        for name in TypologySuite.detectorNames {
            let alerts = perDetector[name] ?? []
            let rate = Double(alerts.count) / Double(sample.count)
            print("typology \(name): \(alerts.count) alerts, \(String(format: "%.3f", rate * 100)) % of \(sample.count) transactions")
            #expect(rate <= 0.02, "\(name) alerts on \(alerts.count) transactions")
            #expect(alerts.allSatisfy { $0.detector == name && $0.typology == name })
            #expect(Set(alerts.map(\.txHash)).count == alerts.count, "\(name) alerted twice on one transaction")
        }
        // Same alerts when the sample arrives in 1,000-row batches.
        var split = TypologySuite.makeDetectors(.init())
        var splitAlerts: [Alert] = []
        for index in split.indices {
            for start in stride(from: 0, to: sample.count, by: 1_000) {
                var part = TxBatch()
                for row in start ..< min(sample.count, start + 1_000) { part.append(from: sample, at: row) }
                split[index].process(DetectionInput(batch: part, features: FeatureMatrix(dimensions: 1)), alerts: &splitAlerts)
            }
        }
        #expect(splitAlerts == whole)
    }

    @Test func trackedStateStaysUnderItsCap() {
        // 1,000,000 transfers among 600,000 accounts against caps of 5,000.
        let batches = TypologySample.synthetic(count: 1_000_000, accounts: 600_000)
        let cap = 5_000
        var configuration = TypologySuite.Configuration()
        configuration.peelChain.maxTracked = cap
        configuration.fanOut.maxTracked = cap
        configuration.fanIn.maxTracked = cap
        configuration.structuring.maxTracked = cap
        configuration.passThrough.maxTracked = cap
        configuration.dusting.maxTracked = cap
        configuration.addressPoisoning.maxTracked = cap
        configuration.burst.maxTracked = cap
        configuration.washCycle.maxTracked = cap
        var peel = PeelChainDetector(configuration: configuration.peelChain)
        var fanOut = FanOutDetector(configuration: configuration.fanOut)
        var fanIn = FanInDetector(configuration: configuration.fanIn)
        var structuring = StructuringDetector(configuration: configuration.structuring)
        var passThrough = PassThroughDetector(configuration: configuration.passThrough)
        var dusting = DustingDetector(configuration: configuration.dusting)
        var poisoning = AddressPoisoningDetector(configuration: configuration.addressPoisoning)
        var burst = BurstDetector(configuration: configuration.burst)
        var wash = WashCycleDetector(configuration: configuration.washCycle)
        var peak = [Int](repeating: 0, count: 9)
        var alerts: [Alert] = []
        for batch in batches {
            let input = DetectionInput(batch: batch, features: FeatureMatrix(dimensions: 1))
            peel.process(input, alerts: &alerts)
            fanOut.process(input, alerts: &alerts)
            fanIn.process(input, alerts: &alerts)
            structuring.process(input, alerts: &alerts)
            passThrough.process(input, alerts: &alerts)
            dusting.process(input, alerts: &alerts)
            poisoning.process(input, alerts: &alerts)
            burst.process(input, alerts: &alerts)
            wash.process(input, alerts: &alerts)
            let tracked = [
                peel.trackedEntries, fanOut.trackedEntries, fanIn.trackedEntries, structuring.trackedEntries,
                passThrough.trackedEntries, dusting.trackedEntries, poisoning.trackedEntries, burst.trackedEntries,
                wash.trackedEntries,
            ]
            peak = zip(peak, tracked).map { max($0, $1) }
            alerts.removeAll(keepingCapacity: true)
        }
        print("typology peak tracked entries (cap \(cap)): \(zip(TypologySuite.detectorNames, peak).map { "\($0)=\($1)" })")
        for (name, value) in zip(TypologySuite.detectorNames, peak) {
            #expect(value <= cap, "\(name) tracked \(value) entries")
        }
        // The busy detectors actually reach their cap, so the cap is what bounds them.
        #expect(fanOut.trackedEntries > cap / 2 && burst.trackedEntries > cap / 2)
    }
}
