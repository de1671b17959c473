import ChainwatchCore
@testable import ChainwatchModels
import Foundation
import Testing
import _ChainwatchTestSupport

struct ModelBundleTests {
    static let names = (0 ..< 8).map { "feature_\($0)" }

    static let trained: (bundle: ModelBundle, data: FeatureMatrix) = {
        let data = TestData.lowRank(rows: 1500, dimensions: 8, factors: 3, seed: 31)
        let configuration = ModelBundle.Configuration(
            forest: .init(trees: 60, sampleSize: 256, seed: 7),
            autoencoder: .init(hidden: [12, 6, 12], epochs: 15, batchSize: 64, learningRate: 5e-3, seed: 8))
        return (ModelBundle.train(data, featureNames: names, catalogueHash: "cat-A", configuration: configuration), data)
    }()

    @Test func trainingFillsEveryPart() {
        let bundle = Self.trained.bundle
        #expect(bundle.id.hasPrefix("cw-") && bundle.id.count == 15)
        #expect(bundle.trainedOn == 1500 && bundle.formatVersion == 1)
        // Fitted on 4 rows in 5, calibrated on the other 300.
        #expect(bundle.calibrators.forest.observedCount == 300)
        #expect(bundle.calibrators.ensemble.calibrator.observedCount == 300)
        #expect(bundle.trainingNote.contains("autoencoder 8-12-6-12-8 relu"))
    }

    @Test func batchScoresMatchSingleRowScores() {
        let (bundle, data) = Self.trained
        var scores = ModelScores()
        bundle.score(data, into: &scores)
        #expect(scores.count == data.rows)
        for r in stride(from: 0, to: data.rows, by: 97) {
            let single = bundle.score(row: data.row(r))
            #expect(single.forest == scores.forest[r] && single.ensemble == scores.ensemble[r])
            #expect(abs(single.autoencoder - scores.autoencoder[r]) <= 1e-5 * max(1, single.autoencoder))
        }
        // The ensemble is calibrated: ≈ 1 % of training rows above 0.99.
        let alerts = scores.ensemble.filter { Ensemble.isAlert($0, budget: 0.01) }.count
        #expect(alerts >= 8 && alerts <= 22)
    }

    @Test(arguments: [1, 4, 6])
    func plantedFeatureIsNamedFirst(feature: Int) {
        let (bundle, data) = Self.trained
        var row = data.row(10)
        row[feature] = bundle.standardizer.mean[feature] + 8 * bundle.standardizer.std[feature]
        let z = bundle.standardizer.transform(row: row)
        let forestCredit = bundle.forest.attribution(row: z)
        let autoencoderCredit = bundle.autoencoder.attribution(row: z)
        #expect(forestCredit.indices.max { forestCredit[$0] < forestCredit[$1] } == feature)
        #expect(autoencoderCredit.indices.max { autoencoderCredit[$0] < autoencoderCredit[$1] } == feature)
        #expect(abs(autoencoderCredit.reduce(0, +) - 1) < 1e-5)
        let top = bundle.explain(row: row, top: 3)
        #expect(top.count == 3)
        #expect(top[0].name == "feature_\(feature)" && top[0].value == row[feature])
        #expect(top[0].share > top[1].share && top[0].share <= 1)
        #expect(top[0].typicalLow < bundle.standardizer.mean[feature] && top[0].typicalHigh > bundle.standardizer.mean[feature])
        #expect(abs(bundle.featureShares(row: row).reduce(0, +) - 1) < 1e-6)
        let scored = bundle.score(row: row)
        #expect(scored.ensemble > 0.99)
    }

    @Test func reasonsJSONHasFixedKeys() throws {
        let (bundle, data) = Self.trained
        var row = data.row(3)
        row[2] += 10 * bundle.standardizer.std[2]
        let text = bundle.reasonsJSON(row: row)
        #expect(text.hasPrefix("{\"model_id\":\"\(bundle.id)\",\"scores\":{\"forest\":"))
        #expect(text.contains("\"top_features\":[{\"name\":\"feature_2\",\"value\":"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let features = try #require(object["top_features"] as? [[String: Any]])
        #expect(features.count == 3)
        #expect(Set(features[0].keys) == ["name", "value", "typical_low", "typical_high", "share"])
    }

    @Test func saveAndLoadScoreBitForBit() throws {
        let (bundle, data) = Self.trained
        let directory = Fixtures.makeTemporaryDirectory("cw-model").appendingPathComponent("model").path
        try bundle.save(to: directory)
        let loaded = try ModelBundle.load(from: directory, expectedCatalogueHash: "cat-A")
        #expect(loaded.id == bundle.id)
        #expect(loaded.featureNames == bundle.featureNames && loaded.trainingNote == bundle.trainingNote)
        #expect(loaded.forest == bundle.forest && loaded.autoencoder == bundle.autoencoder)
        #expect(loaded.standardizer == bundle.standardizer)
        var before = ModelScores(), after = ModelScores()
        bundle.score(data, into: &before)
        loaded.score(data, into: &after)
        #expect(before.forest.map(\.bitPattern) == after.forest.map(\.bitPattern))
        #expect(before.autoencoder.map(\.bitPattern) == after.autoencoder.map(\.bitPattern))
        #expect(before.ensemble.map(\.bitPattern) == after.ensemble.map(\.bitPattern))
        #expect(before.forestCalibrated == after.forestCalibrated)
    }

    @Test func extendedForestRoundTrips() throws {
        let data = TestData.gaussian(rows: 300, dimensions: 3, seed: 4)
        let bundle = ModelBundle.train(data, featureNames: ["a", "b", "c"], catalogueHash: "h",
                                       configuration: .init(forest: .init(trees: 10, sampleSize: 64, seed: 1, extended: true),
                                                            autoencoder: .init(hidden: [4, 2, 4], epochs: 1, seed: 2)))
        let directory = Fixtures.makeTemporaryDirectory("cw-model").path
        try bundle.save(to: directory)
        let loaded = try ModelBundle.load(from: directory, expectedCatalogueHash: "h")
        #expect(loaded.forest == bundle.forest && loaded.forest.extended)
    }

    @Test func retrainingChangesTheID() {
        let data = TestData.gaussian(rows: 300, dimensions: 3, seed: 4)
        let configuration = ModelBundle.Configuration(forest: .init(trees: 10, sampleSize: 64, seed: 1),
                                                      autoencoder: .init(hidden: [4, 2, 4], epochs: 1, seed: 2))
        let a = ModelBundle.train(data, featureNames: ["a", "b", "c"], catalogueHash: "h", configuration: configuration)
        let b = ModelBundle.train(data, featureNames: ["a", "b", "c"], catalogueHash: "h", configuration: configuration)
        let c = ModelBundle.train(data, featureNames: ["a", "b", "c"], catalogueHash: "h2", configuration: configuration)
        var other = configuration
        other.forest.seed = 2
        let d = ModelBundle.train(data, featureNames: ["a", "b", "c"], catalogueHash: "h", configuration: other)
        #expect(a.id == b.id)
        #expect(a.id != c.id && a.id != d.id)
    }

    @Test func loadErrors() throws {
        let bundle = Self.trained.bundle
        let missing = Fixtures.makeTemporaryDirectory("cw-model").appendingPathComponent("absent").path
        #expect(throws: ChainwatchError.self) { try ModelBundle.load(from: missing, expectedCatalogueHash: "cat-A") }
        do { _ = try ModelBundle.load(from: missing, expectedCatalogueHash: "cat-A") } catch {
            #expect(error.code == .badModelFile)
        }

        let directory = Fixtures.makeTemporaryDirectory("cw-model").path
        try bundle.save(to: directory)
        do { _ = try ModelBundle.load(from: directory, expectedCatalogueHash: "cat-B"); Issue.record("loaded") } catch {
            #expect(error.code == .modelMismatch)
            #expect(error.message.contains("cat-A") && error.message.contains("cat-B"))
        }

        let manifest = URL(fileURLWithPath: directory).appendingPathComponent("model.json")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 99")
            .write(to: manifest, atomically: true, encoding: .utf8)
        do { _ = try ModelBundle.load(from: directory, expectedCatalogueHash: "cat-A"); Issue.record("loaded") } catch {
            #expect(error.code == .badModelFile && error.message.contains("99"))
        }

        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let weights = URL(fileURLWithPath: directory).appendingPathComponent("weights.bin")
        var bytes = try Data(contentsOf: weights)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: weights)
        do { _ = try ModelBundle.load(from: directory, expectedCatalogueHash: "cat-A"); Issue.record("loaded") } catch {
            #expect(error.code == .badModelFile && error.message.contains("checksum"))
        }
    }
}

struct TrainingWindowTests {
    @Test func keepsTheLatestNonAlertedRows() {
        var window = TrainingWindow(capacity: 3, dimensions: 2)
        #expect(window.matrix().rows == 0)
        for k in 0 ..< 7 { window.append(row: [Float(k), Float(-k)], alerted: k == 5) }
        #expect(window.count == 3 && window.skippedAlerted == 1)
        #expect(window.matrix().values == [3, -3, 4, -4, 6, -6])
        var batch = FeatureMatrix(dimensions: 2)
        batch.append(row: [7, 7]); batch.append(row: [8, 8])
        window.append(batch, alerted: [false, true])
        #expect(window.matrix().values == [4, -4, 6, -6, 7, 7])
    }
}
