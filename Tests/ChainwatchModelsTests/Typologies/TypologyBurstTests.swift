import ChainwatchCore
import ChainwatchModels
import Testing

struct TypologyBurstTests {
    let sender = TypologyTest.address(0)

    func sends(blocks: [Int64]) -> [Transfer] {
        blocks.enumerated().map { i, block in Transfer(from: sender, to: TypologyTest.address(1 + i % 3), amount: 0.1, block: block) }
    }

    @Test func flagsTheTwentiethTransactionInTenBlocks() throws {
        let blocks = (0 ..< 20).map { Int64(1_000 + $0 / 2) }
        let alerts = TypologyTest.expectSplitInvariant({ BurstDetector() }, sends(blocks: blocks))
        try #require(alerts.count == 1)
        #expect(alerts[0].txHash == TypologyTest.hash(19) && alerts[0].typology == "burst" && alerts[0].score == 20)
        let reasons = TypologyTest.reasons(alerts[0])
        #expect(reasons["sender"] as? String == sender)
        #expect(reasons["window_count"] as? Int == 20)
        #expect(reasons["blocks"] as? [Int] == Array(1_000 ... 1_009))
        #expect(reasons["counts_per_block"] as? [Int] == Array(repeating: 2, count: 10))
    }

    @Test func nearMissesAreNotFlagged() {
        let nineteen = (0 ..< 19).map { _ in Int64(1_010) }
        #expect(TypologyTest.alerts({ BurstDetector() }, sends(blocks: nineteen)).isEmpty)
        // The 20th is one block too early for the window ending at 1010 …
        #expect(TypologyTest.alerts({ BurstDetector() }, sends(blocks: [1_000] + nineteen)).isEmpty)
        // … and counts when it is inside.
        #expect(TypologyTest.alerts({ BurstDetector() }, sends(blocks: [1_001] + nineteen)).count == 1)
    }

    @Test func aBusySenderNeedsTenTimesItsUsualRate() {
        // One transaction every 2 blocks for 20,000 blocks: about 5 per 10-block window.
        let history = (0 ..< 10_000).map { Int64($0 * 2) }
        let burst = (0 ..< 30).map { _ in Int64(20_005) }
        #expect(TypologyTest.alerts({ BurstDetector() }, sends(blocks: history + burst)).isEmpty)
        let bigBurst = (0 ..< 60).map { _ in Int64(20_005) }
        let alerts = TypologyTest.alerts({ BurstDetector() }, sends(blocks: history + bigBurst))
        #expect(alerts.count == 1)
        #expect(alerts.first.map { $0.score >= 10 && $0.score < 11 } == true)
    }

    @Test func alertsAgainOnlyWhenTheCountGrowsByAnotherTwenty() {
        let alerts = TypologyTest.alerts({ BurstDetector() }, sends(blocks: Array(repeating: 500, count: 45)))
        #expect(alerts.map(\.score) == [20, 40])
    }
}
