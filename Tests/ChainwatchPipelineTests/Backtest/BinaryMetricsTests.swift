@testable import ChainwatchPipeline
import Testing

/// A SplitMix64 for test data (independent of the generator's own).
private struct TestRNG {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// All positive/negative pairs, a tie counting ½.
private func bruteForceAUC(_ scores: [Double], _ labels: [Bool]) -> Double {
    var wins = 0.0, pairs = 0.0
    for p in scores.indices where labels[p] {
        for n in scores.indices where !labels[n] {
            pairs += 1
            if scores[p] > scores[n] { wins += 1 } else if scores[p] == scores[n] { wins += 0.5 }
        }
    }
    return wins / pairs
}

/// Σ (R_t − R_prev) · P_t over distinct thresholds t, highest first, counting rows with score ≥ t.
private func bruteForceAP(_ scores: [Double], _ labels: [Bool]) -> Double {
    let positives = Double(labels.filter { $0 }.count)
    var previousRecall = 0.0, sum = 0.0
    for threshold in Set(scores).sorted(by: >) {
        let flagged = scores.indices.filter { scores[$0] >= threshold }
        let tp = Double(flagged.filter { labels[$0] }.count)
        let recall = tp / positives
        sum += (recall - previousRecall) * tp / Double(flagged.count)
        previousRecall = recall
    }
    return sum
}

struct BacktestBinaryMetricsTests {
    let scores = [0.9, 0.8, 0.8, 0.3]
    let labels = [true, false, true, false]

    @Test func rocAUCByHandWithTies() {
        // Pairs (p, n): (0.9, 0.8) win, (0.9, 0.3) win, (0.8, 0.8) tie, (0.8, 0.3) win → 3.5 / 4.
        #expect(BinaryMetrics.rocAUC(scores: scores, labels: labels) == 0.875)
        // scikit-learn's documented example: roc_auc_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.75.
        #expect(BinaryMetrics.rocAUC(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]) == 0.75)
        #expect(BinaryMetrics.rocAUC(scores: [1, 1, 1], labels: [true, false, false]) == 0.5)
        #expect(BinaryMetrics.rocAUC(scores: [1, 2], labels: [true, true]) == nil)
    }

    @Test func averagePrecisionByHand() throws {
        // Thresholds 0.9: R 0.5, P 1 → 0.5; 0.8: R 1, P 2/3 → 1/3; 0.3: no recall gained.
        let ap = try #require(BinaryMetrics.averagePrecision(scores: scores, labels: labels))
        #expect(abs(ap - 5.0 / 6.0) < 1e-12)
        // scikit-learn's documented example: average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.8333…
        let documented = try #require(BinaryMetrics.averagePrecision(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]))
        #expect(abs(documented - 0.8333333333333333) < 1e-12)
        // All tied: one threshold, AP = base rate.
        #expect(BinaryMetrics.averagePrecision(scores: [0.5, 0.5, 0.5, 0.5], labels: labels) == 0.5)
        #expect(BinaryMetrics.averagePrecision(scores: [1, 2], labels: [false, false]) == nil)
    }

    @Test func randomTiedDataMatchesBruteForce() throws {
        var rng = TestRNG(state: 42)
        for trial in 0 ..< 200 {
            let count = 2 + rng.below(60)
            let levels = 1 + rng.below(6)  // few distinct scores → many ties
            let scores = (0 ..< count).map { _ in Double(rng.below(levels)) / 4 }
            var labels = (0 ..< count).map { _ in rng.below(3) == 0 }
            labels[0] = true
            labels[1] = false
            let auc = try #require(BinaryMetrics.rocAUC(scores: scores, labels: labels))
            #expect(abs(auc - bruteForceAUC(scores, labels)) < 1e-12, "trial \(trial)")
            let ap = try #require(BinaryMetrics.averagePrecision(scores: scores, labels: labels))
            #expect(abs(ap - bruteForceAP(scores, labels)) < 1e-12, "trial \(trial)")
            // Row order must not matter.
            let permutation = (0 ..< count).reversed()
            let reversedAUC = BinaryMetrics.rocAUC(scores: permutation.map { scores[$0] }, labels: permutation.map { labels[$0] })
            #expect(reversedAUC.map { abs($0 - auc) < 1e-12 } == true)
        }
    }

    @Test func precisionAtKSplitsTiesProRata() {
        #expect(BinaryMetrics.precision(atK: 1, scores: scores, labels: labels) == 1)
        // Top 2 = 0.9 (positive) + half of the tied 0.8 pair (one positive of two) → 1.5 / 2.
        #expect(BinaryMetrics.precision(atK: 2, scores: scores, labels: labels) == 0.75)
        #expect(BinaryMetrics.precision(atK: 3, scores: scores, labels: labels) == 2.0 / 3.0)
        #expect(BinaryMetrics.precision(atK: 100, scores: scores, labels: labels) == 0.5)
        #expect(BinaryMetrics.precision(atK: 0, scores: scores, labels: labels) == nil)
    }

    @Test func alertSetRatesAndVolumes() {
        let alerted = [true, true, false, false]
        #expect(BinaryMetrics.recall(alerted: alerted, labels: labels) == 0.5)
        #expect(BinaryMetrics.precision(alerted: alerted, labels: labels) == 0.5)
        #expect(BinaryMetrics.alertsPerThousand(alerts: 3, transactions: 600) == 5)
        #expect(BinaryMetrics.alertsPerDay(alerts: 10, firstBlockTime: 0, lastBlockTime: 43_200) == 20)
        #expect(BinaryMetrics.alertsPerDay(alerts: 10, firstBlockTime: 5, lastBlockTime: 5) == nil)
    }

    @Test func curvesPassThroughEveryThreshold() {
        let roc = BinaryMetrics.rocCurve(scores: scores, labels: labels)
        #expect(roc.map(\.x) == [0, 0, 0.5, 1])
        #expect(roc.map(\.y) == [0, 0.5, 1, 1])
        let pr = BinaryMetrics.precisionRecallCurve(scores: scores, labels: labels)
        #expect(pr.map(\.x) == [0, 0.5, 1, 1])
        #expect(pr.map(\.y) == [1, 1, 2.0 / 3.0, 0.5])
        var rng = TestRNG(state: 7)
        let many = (0 ..< 5_000).map { _ in Double(rng.below(100_000)) }
        let manyLabels = many.indices.map { $0 % 10 == 0 }
        let thinned = BinaryMetrics.rocCurve(scores: many, labels: manyLabels)
        #expect(thinned.count == 200)
        #expect(thinned.first?.x == 0 && thinned.last?.x == 1 && thinned.last?.y == 1)
    }

    @Test func rankedGroupsTies() {
        let ranked = BinaryMetrics.Ranked(scores: [0.3, 0.8, .nan, 0.9, 0.8, .nan])
        #expect(ranked.order == [3, 1, 4, 0, 2, 5])
        #expect(ranked.groups == [0 ..< 1, 1 ..< 3, 3 ..< 4, 4 ..< 6])
        #expect(BinaryMetrics.Ranked(scores: []).groups.isEmpty)
        #expect(BinaryMetrics.rocCurve(scores: [], labels: []).isEmpty)
    }

    @Test func nanScoresRankLowest() {
        #expect(BinaryMetrics.rocAUC(scores: [.nan, 0.1], labels: [false, true]) == 1)
        #expect(BinaryMetrics.rocAUC(scores: [.nan, .nan], labels: [false, true]) == 0.5)
    }
}
