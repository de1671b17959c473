@testable import ChainwatchPipeline
import Testing

struct BacktestDetectionDelayTests {
    @Test func delaysFromFirstAppearanceToFirstAlert() {
        // a: first seen block 10 (as receiver), first alert block 13 → 3.
        // b: first seen and alerted in block 11 → 0.   c: seen at 12, never alerted.   d: never appears.
        let delay = DetectionDelay(
            blockNumbers: [10, 11, 12, 13, 14, 20],
            from: ["x", "b", "c", "a", "a", "c"],
            to: ["a", "y", nil, "z", "b", "y"],
            alerted: [false, true, false, true, true, false],
            addresses: ["a", "b", "c", "d"]
        )
        #expect(delay.detected == 2)
        #expect(delay.undetected == 1)
        #expect(delay.medianBlocks == 1.5)
        #expect(delay.meanBlocks == 1.5)
        #expect(delay.maxBlocks == 3)
    }

    @Test func nothingDetected() {
        let delay = DetectionDelay(blockNumbers: [1], from: ["a"], to: [nil], alerted: [false], addresses: ["a"])
        #expect(delay.detected == 0 && delay.undetected == 1)
        #expect(delay.medianBlocks == nil && delay.maxBlocks == nil)
    }
}
