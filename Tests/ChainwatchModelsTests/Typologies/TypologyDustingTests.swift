import ChainwatchCore
import ChainwatchModels
import Testing

struct TypologyDustingTests {
    let duster = TypologyTest.address(0)

    func dust(_ recipients: [Int], amount: Double = 0.000_01, step: Int64 = 30) -> [Transfer] {
        recipients.enumerated().map { i, recipient in
            Transfer(from: duster, to: TypologyTest.address(recipient), amount: amount, block: Int64(i + 1), time: 7_000 + Int64(i) * step)
        }
    }

    @Test func flagsTheTwentiethDistinctRecipient() throws {
        // A repeated recipient (1 twice) does not count twice.
        let alerts = TypologyTest.expectSplitInvariant({ DustingDetector() }, dust([1] + Array(1 ... 20)))
        try #require(alerts.count == 1)
        #expect(alerts[0].txHash == TypologyTest.hash(20) && alerts[0].score == 20 && alerts[0].typology == "dusting")
        let reasons = TypologyTest.reasons(alerts[0])
        #expect(reasons["sender"] as? String == duster)
        #expect(TypologyTest.strings(reasons["counterparty_addresses"]) == (1 ... 20).map(TypologyTest.address))
        #expect(TypologyTest.strings(reasons["hashes"]) == ([0] + Array(2 ... 20)).map(TypologyTest.hash))
    }

    @Test func nearMissesAreNotFlagged() {
        #expect(TypologyTest.alerts({ DustingDetector() }, dust(Array(1 ... 19))).isEmpty)
        #expect(TypologyTest.alerts({ DustingDetector() }, dust(Array(1 ... 20), amount: 0.000_101)).isEmpty)
        #expect(TypologyTest.alerts({ DustingDetector() }, dust(Array(1 ... 20), amount: 0)).isEmpty)
        // 20 recipients over 3,610 s (window 3,600 s).
        #expect(TypologyTest.alerts({ DustingDetector() }, dust(Array(1 ... 20), step: 190)).isEmpty)
    }
}
