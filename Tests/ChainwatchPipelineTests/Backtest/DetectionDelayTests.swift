@testable import ChainwatchPipeline
import Testing

struct BacktestDetectionDelayTests {
    @Test func delaysFromFirstLabelledTransactionToFirstAlert() {
        // a: benign alert at 9 (does not count), first positive at 10, first alert after it at 13 → 3.
        // b: positive and alerted in block 11 → 0.   c: positive at 12, never alerted → undetected.
        // d: tracked but never in a positive row → not counted.   e: alerted but not tracked.
        let delay = DetectionDelay(
            blockNumbers: [9, 10, 11, 12, 13, 14, 20, 21],
            from: ["a", "x", "b", "c", "a", "a", "c", "e"],
            to: ["y", "a", "y", nil, "z", "b", "y", "d"],
            positives: [false, true, true, true, false, true, true, false],
            alerted: [true, false, true, false, true, true, false, true],
            addresses: ["a", "b", "c", "d"]
        )
        #expect(delay.detected == 2)
        #expect(delay.undetected == 1)
        #expect(delay.medianBlocks == 1.5)
        #expect(delay.meanBlocks == 1.5)
        #expect(delay.maxBlocks == 3)
    }

    @Test func oddCountMedianAndNothingDetected() {
        let three = DetectionDelay(
            blockNumbers: [1, 2, 3, 4, 9], from: ["a", "b", "c", "b", "c"], to: [nil, nil, nil, nil, nil],
            positives: [true, true, true, false, false], alerted: [true, false, false, true, true], addresses: ["a", "b", "c"]
        )
        #expect(three.detected == 3 && three.medianBlocks == 2 && three.meanBlocks == 8.0 / 3.0 && three.maxBlocks == 6)
        let none = DetectionDelay(blockNumbers: [1], from: ["a"], to: [nil], positives: [true], alerted: [false], addresses: ["a"])
        #expect(none.detected == 0 && none.undetected == 1)
        #expect(none.medianBlocks == nil && none.meanBlocks == nil && none.maxBlocks == nil)
    }
}
