import ChainwatchCore
import ChainwatchModels
import Testing

struct TypologyStructuringTests {
    let sender = TypologyTest.address(0)

    func transfers(_ amounts: [Double], step: Int64 = 3_600) -> [Transfer] {
        amounts.enumerated().map { i, amount in
            Transfer(from: sender, to: TypologyTest.address(10 + i), amount: amount, block: Int64(i + 1), time: 50_000 + Int64(i) * step)
        }
    }

    @Test func flagsTheThirdTransferJustBelowRoundAmounts() throws {
        let alerts = TypologyTest.expectSplitInvariant({ StructuringDetector() }, transfers([9.9, 0.5, 9.5, 0.95, 2]))
        try #require(alerts.count == 1)
        #expect(alerts[0].txHash == TypologyTest.hash(3) && alerts[0].score == 3 && alerts[0].typology == "structuring")
        let reasons = TypologyTest.reasons(alerts[0])
        #expect(reasons["sender"] as? String == sender)
        #expect(TypologyTest.strings(reasons["hashes"]) == [0, 2, 3].map(TypologyTest.hash))
        #expect(reasons["amounts_eth"] as? [Double] == [9.9, 9.5, 0.95])
        #expect(reasons["thresholds_eth"] as? [Double] == [10, 10, 1])
    }

    @Test func nearMissesAreNotFlagged() {
        // Two qualifying transfers only.
        #expect(TypologyTest.alerts({ StructuringDetector() }, transfers([9.9, 9.5])).isEmpty)
        // 8.9 is 11 % below 10 (1 % outside the band), 10 is the round amount itself.
        #expect(TypologyTest.alerts({ StructuringDetector() }, transfers([9.9, 9.5, 8.9])).isEmpty)
        #expect(TypologyTest.alerts({ StructuringDetector() }, transfers([9.9, 9.5, 10])).isEmpty)
        #expect(TypologyTest.alerts({ StructuringDetector() }, transfers([9.9, 9.5, 9])).count == 1)
        // Three in 86,402 s (window is 86,400 s inclusive).
        #expect(TypologyTest.alerts({ StructuringDetector() }, transfers([9.9, 9.5, 9.7], step: 43_201)).isEmpty)
        #expect(TypologyTest.alerts({ StructuringDetector() }, transfers([9.9, 9.5, 9.7], step: 43_200)).count == 1)
    }

    @Test func alertsAgainOnlyWhenTheCountGrows() {
        let alerts = TypologyTest.alerts({ StructuringDetector() }, transfers(Array(repeating: 99, count: 7), step: 60))
        #expect(alerts.map(\.score) == [3, 6])
    }
}
