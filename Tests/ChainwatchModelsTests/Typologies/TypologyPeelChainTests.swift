import ChainwatchCore
import ChainwatchModels
import Testing

struct TypologyPeelChainTests {
    let a = (0 ..< 6).map(TypologyTest.address)

    /// A0 → A1 → A2 → A3 → A4 with the given hop amounts and times, plus peel-offs to other accounts.
    func chain(amounts: [Double], times: [Int64]) -> [Transfer] {
        var transfers: [Transfer] = []
        for hop in amounts.indices {
            transfers.append(Transfer(from: a[hop], to: a[hop + 1], amount: amounts[hop], block: Int64(hop + 1), time: times[hop]))
            transfers.append(Transfer(
                from: a[hop + 1], to: TypologyTest.address(100 + hop), amount: amounts[hop] * 0.05, block: Int64(hop + 1),
                time: times[hop]
            ))
        }
        return transfers
    }

    let amounts: [Double] = [10, 9.5, 9, 8.6]
    let times: [Int64] = [1_000, 1_600, 2_200, 2_800]

    @Test func flagsAFourHopChainWithItsEvidence() throws {
        let alerts = TypologyTest.expectSplitInvariant({ PeelChainDetector() }, chain(amounts: amounts, times: times))
        try #require(alerts.count == 1)
        let alert = alerts[0]
        #expect(alert.detector == "peel_chain" && alert.typology == "peel_chain")
        #expect(alert.txHash == TypologyTest.hash(6))
        #expect(alert.score == 4)
        let reasons = TypologyTest.reasons(alert)
        #expect(reasons["hops"] as? Int == 4)
        #expect(TypologyTest.strings(reasons["addresses"]) == Array(a[0 ... 4]))
        #expect(TypologyTest.strings(reasons["hashes"]) == [0, 2, 4, 6].map(TypologyTest.hash))
        #expect(reasons["amounts_eth"] as? [Double] == amounts)
        #expect(reasons["blocks"] as? [Int] == [1, 2, 3, 4])
    }

    @Test func growingChainAlertsOncePerExtraHop() {
        let alerts = TypologyTest.alerts({ PeelChainDetector() }, chain(amounts: amounts + [8.2], times: times + [3_400]))
        #expect(alerts.map(\.score) == [4, 5])
    }

    @Test func nearMissesAreNotFlagged() {
        // Three hops only.
        #expect(TypologyTest.alerts({ PeelChainDetector() }, chain(amounts: Array(amounts.prefix(3)), times: times)).isEmpty)
        // Last hop keeps 79 % (1 % below minRatio) or 99.95 % (above maxRatio).
        #expect(TypologyTest.alerts({ PeelChainDetector() }, chain(amounts: [10, 9.5, 9, 9 * 0.79], times: times)).isEmpty)
        #expect(TypologyTest.alerts({ PeelChainDetector() }, chain(amounts: [10, 9.5, 9, 9 * 0.9995], times: times)).isEmpty)
        // Last hop one second after the allowed gap; exactly at the gap still counts.
        #expect(TypologyTest.alerts({ PeelChainDetector() }, chain(amounts: amounts, times: [1_000, 1_600, 2_200, 5_801])).isEmpty)
        #expect(TypologyTest.alerts({ PeelChainDetector() }, chain(amounts: amounts, times: [1_000, 1_600, 2_200, 5_800])).count == 1)
        // Hops below minAmount.
        #expect(TypologyTest.alerts({ PeelChainDetector() }, chain(amounts: amounts.map { $0 / 10 }, times: times)).isEmpty)
    }

    @Test func parametersApply() {
        var configuration = PeelChainDetector.Configuration()
        configuration.minHops = 3
        let alerts = TypologyTest.alerts({ PeelChainDetector(configuration: configuration) }, chain(amounts: amounts, times: times))
        #expect(alerts.map(\.score) == [3, 4])
    }
}
