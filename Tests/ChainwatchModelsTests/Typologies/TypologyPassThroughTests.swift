import ChainwatchCore
import ChainwatchModels
import Testing

struct TypologyPassThroughTests {
    let source = TypologyTest.address(0), mule = TypologyTest.address(1), target = TypologyTest.address(2)

    func transfers(received: Double, forwarded: Double, blocksLater: Int64) -> [Transfer] {
        [
            Transfer(from: source, to: mule, amount: received, block: 100),
            Transfer(from: TypologyTest.address(7), to: TypologyTest.address(8), amount: 3, block: 101),
            Transfer(from: mule, to: target, amount: forwarded, block: 100 + blocksLater),
        ]
    }

    @Test func flagsTheForwardWithBothTransfersAsEvidence() throws {
        let alerts = TypologyTest.expectSplitInvariant({ PassThroughDetector() }, transfers(received: 20, forwarded: 19.5, blocksLater: 10))
        try #require(alerts.count == 1)
        #expect(alerts[0].txHash == TypologyTest.hash(2) && alerts[0].typology == "pass_through" && alerts[0].score == 19.5)
        let reasons = TypologyTest.reasons(alerts[0])
        #expect(reasons["account"] as? String == mule)
        let received = reasons["received"] as? [String: Any]
        #expect(received?["hash"] as? String == TypologyTest.hash(0))
        #expect(received?["from"] as? String == source)
        #expect(received?["amount_eth"] as? Double == 20)
        #expect((reasons["forwarded"] as? [String: Any])?["to"] as? String == target)
        #expect(reasons["blocks_between"] as? Int == 10)
    }

    @Test func nearMissesAreNotFlagged() {
        // 6 % less (1 % outside ±5 %), 6 % more, one block too late, below minAmount.
        #expect(TypologyTest.alerts({ PassThroughDetector() }, transfers(received: 20, forwarded: 18.8, blocksLater: 3)).isEmpty)
        #expect(TypologyTest.alerts({ PassThroughDetector() }, transfers(received: 20, forwarded: 21.2, blocksLater: 3)).isEmpty)
        #expect(TypologyTest.alerts({ PassThroughDetector() }, transfers(received: 20, forwarded: 20, blocksLater: 11)).isEmpty)
        #expect(TypologyTest.alerts({ PassThroughDetector() }, transfers(received: 0.9, forwarded: 0.9, blocksLater: 1)).isEmpty)
        // Exactly at the tolerance still counts.
        #expect(TypologyTest.alerts({ PassThroughDetector() }, transfers(received: 20, forwarded: 19, blocksLater: 1)).count == 1)
    }

    @Test func eachIncomingTransferExplainsOneForward() {
        let transfers = transfers(received: 20, forwarded: 20, blocksLater: 1)
            + [Transfer(from: mule, to: target, amount: 20, block: 102)]
        #expect(TypologyTest.alerts({ PassThroughDetector() }, transfers).count == 1)
    }
}
