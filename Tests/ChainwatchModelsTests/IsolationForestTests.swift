import ChainwatchCore
import Foundation
@testable import ChainwatchModels
import Testing

struct IsolationForestTests {
    @Test func averagePathLengthExactValues() {
        #expect(IsolationForest.averagePathLength(0) == 0)
        #expect(IsolationForest.averagePathLength(1) == 0)
        #expect(IsolationForest.averagePathLength(2) == 1)
        // 2(ln 2 + γ) − 4/3
        #expect(abs(IsolationForest.averagePathLength(3) - (2 * (0.6931471805599453 + 0.5772156649015329) - 4.0 / 3)) < 1e-12)
        #expect(abs(IsolationForest.averagePathLength(256) - 10.244770920116851) < 1e-9)
    }

    @Test(arguments: [false, true])
    func plantedOutliersRankTop(extended: Bool) {
        var data = TestData.gaussian(rows: 1000, dimensions: 6, seed: 11)
        // Far points: 6σ from the centre in every coordinate, each in a different orthant.
        let planted = [17, 333, 901]
        for (k, r) in planted.enumerated() {
            for j in 0 ..< 6 { data[r, j] = (j + k) % 2 == 0 ? 6 : -6 }
        }
        let forest = IsolationForest.train(data, configuration: .init(trees: 50, sampleSize: 256, seed: 5, extended: extended))
        var scores: [Float] = []
        forest.score(data, into: &scores)
        #expect(TestData.top(scores, 3) == Set(planted))
        #expect(scores[17] > 0.6)
        let median = scores.sorted()[500]
        #expect(median > 0.35 && median < 0.55)
    }

    @Test func deterministicForASeed() {
        let data = TestData.gaussian(rows: 300, dimensions: 4, seed: 2)
        let a = IsolationForest.train(data, configuration: .init(trees: 20, sampleSize: 64, seed: 9))
        let b = IsolationForest.train(data, configuration: .init(trees: 20, sampleSize: 64, seed: 9))
        let c = IsolationForest.train(data, configuration: .init(trees: 20, sampleSize: 64, seed: 10))
        #expect(a == b)
        #expect(a != c)
    }

    /// Textbook PathLength(x, T, e) (Liu et al. 2008, Algorithm 3) over the recursive trees.
    private func referencePathLength(_ row: [Float], _ node: _IsolationTreeNode, depth: Int) -> Double {
        switch node {
        case let .external(size):
            return Double(depth) + referenceC(size)
        case let .split(feature, normal, threshold, left, right):
            let value: Float
            if normal.isEmpty { value = row[feature] } else {
                // The forest's one summation order for n · x (see `hyperplaneDot`).
                value = normal.withUnsafeBufferPointer { n in
                    row.withUnsafeBufferPointer { IsolationForest.hyperplaneDot(n.baseAddress!, $0.baseAddress!, row.count) }
                }
            }
            return referencePathLength(row, value < threshold ? left : right, depth: depth + 1)
        }
    }

    private func referenceC(_ n: Int) -> Double {
        if n <= 1 { return 0 }
        if n == 2 { return 1 }
        return 2 * (log(Double(n - 1)) + 0.5772156649015329) - 2 * Double(n - 1) / Double(n)
    }

    @Test(arguments: [false, true])
    func flattenedScoresMatchRecursiveReference(extended: Bool) {
        var data = TestData.gaussian(rows: 203, dimensions: 11, seed: 21)
        data[7, 1] = 6
        data[8, 0] = 0; data[8, 1] = 0; data[8, 2] = 0
        let configuration = IsolationForest.Configuration(trees: 12, sampleSize: 100, seed: 77, extended: extended)
        let (roots, psi, _) = IsolationForest.growTrees(data, configuration: configuration)
        let forest = IsolationForest.train(data, configuration: configuration)
        var scores: [Float] = []
        forest.score(data, into: &scores)
        #expect(scores.count == data.rows)
        for r in 0 ..< data.rows {
            let row = data.row(r)
            let mean = roots.reduce(0.0) { $0 + referencePathLength(row, $1, depth: 0) } / Double(roots.count)
            let expected = pow(2, -mean / referenceC(psi))
            #expect(abs(Double(scores[r]) - expected) < 1e-6, "row \(r)")
            #expect(forest.score(row: row) == scores[r])
        }
    }

    @Test func attributionNamesThePlantedFeature() {
        var data = TestData.gaussian(rows: 600, dimensions: 8, seed: 3)
        data[42, 5] = 12
        for extended in [false, true] {
            let forest = IsolationForest.train(data, configuration: .init(trees: 100, sampleSize: 256, seed: 1, extended: extended))
            let credit = forest.attribution(row: data.row(42))
            #expect(abs(credit.reduce(0, +) - 1) < 1e-4)
            #expect(credit.indices.max { credit[$0] < credit[$1] } == 5, "extended: \(extended)")
        }
    }
}
