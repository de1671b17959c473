import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// The account hashes the typology tables look keys up by come with the input, and follow its batch.
struct TypologyDetectionInputTests {
    static func transfers(_ range: Range<Int>) -> [Transfer] {
        range.map { Transfer(from: TypologyTest.address($0), to: TypologyTest.address($0 + 1_000), amount: 1, block: 1) }
    }

    @Test func hashesAreTheKeysSlotHashesAndFollowTheBatch() {
        var input = DetectionInput(batch: TypologyTest.batch(Self.transfers(0 ..< 5)), features: FeatureMatrix(dimensions: 1))
        #expect(input.fromHashes == input.batch.from.map(\.slotHash))
        #expect(input.toHashes == input.batch.to.map(\.slotHash))
        input.batch = TypologyTest.batch(Self.transfers(7 ..< 10))
        #expect(input.fromHashes.count == 3 && input.fromHashes == input.batch.from.map(\.slotHash))
        #expect(input.toHashes == input.batch.to.map(\.slotHash))
    }
}
