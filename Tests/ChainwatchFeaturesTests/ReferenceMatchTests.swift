import ChainwatchCore
import ChainwatchFeatures
import Foundation
import Testing
import _ChainwatchTestSupport

/// The SIMD engine against the scalar reference, every feature of every row.
///
/// Tolerance: |engine − reference| ≤ 1e-4 + 1e-4 · |reference| (the engine keeps state in `Float`
/// and uses a polynomial `exp2`; the reference is `Double` throughout).
struct ReferenceMatchTests {
    static func compare(
        _ rows: [Transaction], label: String, batchSize: Int = 1_000, configure: (inout FeatureConfiguration) -> Void = { _ in }
    ) throws {
        var configuration = FeatureConfiguration()
        configuration.maxAccounts = 1 << 20
        configure(&configuration)
        var engine = FeatureEngine(configuration: configuration)
        let values = TestStreams.run(&engine, rows, batchSize: batchSize)
        var reference = ReferenceFeatures(configuration)
        let names = engine.catalogue.names
        let d = names.count
        var worstAbsolute = 0.0, worstRelative = 0.0
        var worstName = "", failures = 0
        for (r, tx) in rows.enumerated() {
            let expected = reference.process(tx)
            try #require(expected.count == d)
            for c in 0 ..< d {
                let got = Double(values[r * d + c])
                let error = abs(got - expected[c])
                if error > worstAbsolute { worstAbsolute = error; worstName = names[c] }
                if abs(expected[c]) > 1e-3 { worstRelative = max(worstRelative, error / abs(expected[c])) }
                if !(error <= 1e-4 + 1e-4 * abs(expected[c])) {
                    failures += 1
                    if failures <= 10 || error > 0.01 { Issue.record("\(label) row \(r) \(names[c]): engine \(got), reference \(expected[c])") }
                }
            }
        }
        print("\(label): \(rows.count) rows × \(d) features, max abs error \(worstAbsolute) (\(worstName)), "
              + "max rel error \(worstRelative) (|ref| > 1e-3), mismatches \(failures)")
        #expect(failures == 0)
    }

    @Test func matchesReferenceOnUnorderedSample() throws {
        let rows = try TestStreams.lz4CSVFile(Fixtures.ethereumUnorderedLZ4)
        #expect(rows.count == 19_999)
        try Self.compare(rows, label: "ethereum 2017 sample")
    }

    @Test func matchesReferenceOnPlainSamples() throws {
        try Self.compare(try TestStreams.csvFile(Fixtures.ethereumCSV), label: "ethereum 2023 sample", batchSize: 64)
        try Self.compare(try TestStreams.csvFile(Fixtures.ethereumCSV2020), label: "ethereum 2020 sample", batchSize: 7)
    }

    @Test func matchesReferenceOnSyntheticStream() throws {
        try Self.compare(TestStreams.synthetic(count: 50_000, accounts: 3_000), label: "synthetic 50k", batchSize: 4_096)
    }

    /// The default sketch depth (2) takes a vector path of its own; other depths take the general loop.
    /// Narrow sketches make the counters collide, so the minimum over the rows matters.
    @Test(arguments: [1, 2, 3])
    func matchesReferenceAtSketchDepth(_ depth: Int) throws {
        try Self.compare(TestStreams.synthetic(count: 20_000, accounts: 2_000), label: "synthetic 20k, sketch depth \(depth)", batchSize: 777) {
            $0.sketchDepth = depth
            $0.sketchWidth = 64
        }
    }
}
