import ChainwatchCore
@testable import ChainwatchModels
import Testing

struct StandardizerTests {
    @Test func fitsMeanStdPercentilesAndClips() {
        // Column 0: 0 … 99; column 1: constant 5.
        let data = FeatureMatrix(dimensions: 2, values: (0 ..< 100).flatMap { [Float($0), 5] })
        let standardizer = Standardizer.fit(data)
        #expect(standardizer.mean == [49.5, 5])
        #expect(abs(standardizer.std[0] - 28.866070) < 1e-4)
        #expect(standardizer.std[1] == Standardizer.defaultStdFloor)
        #expect(standardizer.typicalLow == [4, 5] && standardizer.typicalHigh == [95, 5])
        let batch = FeatureMatrix(dimensions: 2, values: [49.5, 5, 1e9, 6, .nan, -.infinity])
        var out = FeatureMatrix(dimensions: 2)
        standardizer.transform(batch, into: &out)
        #expect(out.values == [0, 0, 10, 10, 0, -10])
        #expect(standardizer.transform(row: [1e9, 6]) == [10, 10])
    }
}
