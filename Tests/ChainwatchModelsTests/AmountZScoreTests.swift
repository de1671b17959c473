import ChainwatchCore
import ChainwatchModels
import Foundation
import Testing

/// The amount z-score rule against hand-computed histories, and its cap on tracked senders.
struct AmountZScoreTests {
    /// `count` transfers of `amount` ETH from sender `n`, one block apart starting at `block`.
    static func history(_ n: Int, amount: Double, count: Int, block: Int64) -> [Transfer] {
        (0 ..< count).map {
            Transfer(from: TypologyTest.address(n), to: TypologyTest.address(1_000 + $0), amount: amount, block: block + Int64($0))
        }
    }

    @Test func flagsAnAmountFarAboveTheSendersHistoryOnlyOnceItHasOne() throws {
        // Five transfers of 1 ETH, then 100 ETH: ln(101) − ln(2) ≈ 3.92 over the 0.25 floor on the std, z ≈ 15.7.
        let calm = Self.history(1, amount: 1, count: 5, block: 1)
        let spike = Transfer(from: TypologyTest.address(1), to: TypologyTest.address(9), amount: 100, block: 6)
        let alerts = TypologyTest.expectSplitInvariant({ AmountZScoreDetector() }, calm + [spike])
        try #require(alerts.count == 1)
        #expect(alerts[0].txHash == TypologyTest.hash(5) && alerts[0].detector == "amount_zscore")
        // Equal amounts: the decayed mean is ln 2 whatever the decay, the variance 0, so the floor applies.
        #expect(abs(alerts[0].score - (log(101) - log(2)) / 0.25) < 1e-3)
        // With four earlier transfers the sender has no history yet.
        #expect(TypologyTest.alerts({ AmountZScoreDetector() }, Array(calm.dropFirst()) + [spike]).isEmpty)
    }

    @Test func theCapKeepsTheMostRecentlyActiveHalf() {
        var configuration = AmountZScoreDetector.Configuration()
        configuration.maxAccounts = 4
        // Sender 1 builds a history, then four newer senders arrive: the fifth insert drops the older half
        // (sender 1 among them), so sender 1's spike finds no history.
        let old = Self.history(1, amount: 1, count: 5, block: 1)
        let newer = (2 ... 5).flatMap { Self.history($0, amount: 1, count: 1, block: 10 + Int64($0)) }
        let spike = Transfer(from: TypologyTest.address(1), to: TypologyTest.address(9), amount: 100, block: 30)
        var detector = AmountZScoreDetector(configuration: configuration)
        let alerts = TypologyTest.run(&detector, [TypologyTest.batch(old + newer + [spike])])
        #expect(alerts.isEmpty)
        #expect(detector.trackedAccounts == 4)
        // Without the newer senders it alerts.
        #expect(TypologyTest.alerts({ AmountZScoreDetector(configuration: configuration) }, old + [spike]).count == 1)
    }
}
