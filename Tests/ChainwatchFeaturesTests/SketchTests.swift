import ChainwatchCore
@testable import ChainwatchFeatures
import Foundation
import Testing
import _ChainwatchTestSupport

struct SketchTests {
    @Test(arguments: [(64, 100_000), (64, 1_000_000), (1_024, 100_000), (1_024, 1_000_000)])
    func hyperLogLogWithinThreeSigma(registers: Int, distinct: Int) {
        var rng = SeededGenerator(seed: UInt64(registers * 7 + distinct))
        var sketch = HyperLogLog(registerCount: registers)
        for _ in 0 ..< distinct {
            let key = AccountKey(high: rng.next(), middle: rng.next(), low: UInt32(truncatingIfNeeded: rng.next()))
            sketch.insert(hash: key.mixedHash)
        }
        let error = abs(sketch.estimate - Double(distinct)) / Double(distinct)
        let bound = 3 * HyperLogLog.standardError(registerCount: registers)
        print("HLL m=\(registers) n=\(distinct): estimate \(sketch.estimate), relative error \(error), bound \(bound)")
        #expect(error < bound)
    }

    @Test func hyperLogLogSmallCountsAreNearlyExact() {
        var sketch = HyperLogLog(registerCount: 64)
        #expect(sketch.estimate == 0)
        for i in 0 ..< 5 { sketch.insert(hash: AccountKey(high: UInt64(i), middle: 1, low: 2).mixedHash) }
        sketch.insert(hash: AccountKey(high: 0, middle: 1, low: 2).mixedHash) // duplicate
        #expect(abs(sketch.estimate - 5) < 0.5)
    }

    @Test func countMinNeverUnderCounts() {
        var rng = SeededGenerator(seed: 9)
        var sketch = CountMinSketch(width: 256, depth: 3)
        var exact: [UInt64: Float] = [:]
        for _ in 0 ..< 50_000 {
            let item = UInt64.random(in: 0 ..< 3_000, using: &rng) &* 0x9e37_79b9_7f4a_7c15
            let weight = Float(Int.random(in: 1 ... 3, using: &rng))
            sketch.add(item, weight: weight)
            exact[item, default: 0] += weight
        }
        var overCounted = 0
        for (item, count) in exact {
            #expect(sketch.estimate(item) >= count)
            if sketch.estimate(item) > count { overCounted += 1 }
        }
        #expect(overCounted > 0) // 3,000 items in 256 columns must collide somewhere
        #expect(sketch.estimate(0xdead_beef) >= 0)
    }

    @Test func countMinDecayMatchesClosedFormAndRenormalises() {
        var sketch = CountMinSketch(width: 64, depth: 2)
        // n events spaced by one tick, each tick decaying by ½: total = Σ_{k<n} ½^k = 2 − 2^(1−n).
        for n in 1 ... 200 {
            if n > 1 { sketch.decay(by: 0.5) }
            sketch.add(42)
            let expected = 2 - pow(2.0, Double(1 - n))
            #expect(abs(Double(sketch.estimate(42)) - expected) < 1e-6, "n = \(n)")
        }
    }

    @Test func engineCountFeatureFollowsClosedForm() throws {
        // One sender, n transactions spaced Δ = 60 s: decayed count before the n-th is Σ_{k=1}^{n-1} 2^(−kΔ/h).
        var engine = FeatureEngine()
        let sender = AccountKey(high: 1, middle: 2, low: 3)
        var batch = TxBatch()
        for i in 0 ..< 30 {
            batch.append(Transaction(
                hash: "0x\(i)", blockNumber: Int64(100 + i), blockTime: 1_000 + 60 * Int64(i), txIndex: 0,
                fromAddress: "", toAddress: "", valueRaw: "1", amount: 1e-18, gasPrice: 1, flags: [],
                from: sender, to: AccountKey(high: 9, middle: UInt64(i), low: 0)))
        }
        var features = FeatureMatrix(dimensions: engine.catalogue.names.count)
        engine.process(batch, into: &features)
        for (name, halfLife) in [("from_count_2m", 120.0), ("from_count_1h", 3_600), ("from_count_1d", 86_400)] {
            let column = try #require(engine.catalogue.index(of: name))
            for n in 1 ... 30 {
                let expected = log1p((1 ..< n).reduce(0.0) { $0 + exp2(-Double($1) * 60 / halfLife) })
                #expect(abs(Double(features[n - 1, column]) - expected) < 1e-5, "\(name) n = \(n)")
            }
        }
    }
}
