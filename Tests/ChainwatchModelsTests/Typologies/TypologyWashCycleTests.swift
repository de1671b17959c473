import ChainwatchCore
import ChainwatchModels
import Testing

struct TypologyWashCycleTests {
    let a = TypologyTest.address(0), b = TypologyTest.address(1), c = TypologyTest.address(2)

    func twoCycle(back: Double, after seconds: Int64 = 600) -> [Transfer] {
        [
            Transfer(from: a, to: b, amount: 10, block: 1, time: 1_000),
            Transfer(from: b, to: TypologyTest.address(9), amount: 10, block: 2, time: 1_100),
            Transfer(from: b, to: a, amount: back, block: 3, time: 1_000 + seconds),
        ]
    }

    func threeCycle(middle: Double, back: Double) -> [Transfer] {
        [
            Transfer(from: a, to: b, amount: 10, block: 1, time: 1_000),
            Transfer(from: b, to: c, amount: middle, block: 2, time: 1_200),
            Transfer(from: c, to: a, amount: back, block: 3, time: 1_400),
        ]
    }

    @Test func flagsATwoHopReturn() throws {
        let alerts = TypologyTest.expectSplitInvariant({ WashCycleDetector() }, twoCycle(back: 9.5))
        try #require(alerts.count == 1)
        #expect(alerts[0].txHash == TypologyTest.hash(2) && alerts[0].score == 2 && alerts[0].typology == "wash_cycle")
        let reasons = TypologyTest.reasons(alerts[0])
        #expect(reasons["origin"] as? String == a)
        #expect(TypologyTest.strings(reasons["addresses"]) == [a, b, a])
        #expect(TypologyTest.strings(reasons["hashes"]) == [TypologyTest.hash(0), TypologyTest.hash(2)])
        #expect(reasons["amounts_eth"] as? [Double] == [10, 9.5])
    }

    @Test func flagsAThreeHopReturn() throws {
        let alerts = TypologyTest.expectSplitInvariant({ WashCycleDetector() }, threeCycle(middle: 9.8, back: 9.2))
        try #require(alerts.count == 1)
        #expect(alerts[0].score == 3)
        let reasons = TypologyTest.reasons(alerts[0])
        #expect(TypologyTest.strings(reasons["addresses"]) == [a, b, c, a])
        #expect(TypologyTest.strings(reasons["hashes"]) == (0 ..< 3).map(TypologyTest.hash))
    }

    @Test func nearMissesAreNotFlagged() {
        #expect(TypologyTest.alerts({ WashCycleDetector() }, twoCycle(back: 8.9)).isEmpty)
        #expect(TypologyTest.alerts({ WashCycleDetector() }, twoCycle(back: 11.1)).isEmpty)
        #expect(TypologyTest.alerts({ WashCycleDetector() }, twoCycle(back: 10, after: 3_601)).isEmpty)
        #expect(TypologyTest.alerts({ WashCycleDetector() }, twoCycle(back: 10, after: 3_600)).count == 1)
        #expect(TypologyTest.alerts({ WashCycleDetector() }, threeCycle(middle: 8.9, back: 9.2)).isEmpty)
        #expect(TypologyTest.alerts({ WashCycleDetector() }, threeCycle(middle: 9.8, back: 8.9)).isEmpty)
    }

    @Test func pingPongAlertsOncePerRoundTrip() {
        var transfers: [Transfer] = []
        for i in 0 ..< 6 {
            let forth = i % 2 == 0
            transfers.append(Transfer(from: forth ? a : b, to: forth ? b : a, amount: 5, block: Int64(i + 1), time: Int64(100 * i)))
        }
        #expect(TypologyTest.alerts({ WashCycleDetector() }, transfers).map(\.txHash) == [1, 3, 5].map(TypologyTest.hash))
    }

    /// Hops whose hash is not `0x` + 64 lowercase hex digits are shown as they came; a hop pushed out of its
    /// receiver's list (one kept per account here) no longer closes a cycle.
    @Test func evidenceKeepsHashesThatAreNotCanonical() throws {
        func run(_ transfers: [Transfer], keeping: Int = 16) -> [Alert] {
            let plain = TypologyTest.batch(transfers)
            var batch = TxBatch()
            for row in 0 ..< plain.count {
                var transaction = plain[row]
                transaction.hash = row == 1 ? TypologyTest.hash(1) : "TX-\(row)"
                batch.append(transaction)
            }
            var configuration = WashCycleDetector.Configuration()
            configuration.maxIncomingPerAccount = keeping
            var detector: any Detector = WashCycleDetector(configuration: configuration)
            return TypologyTest.run(&detector, [batch])
        }
        let alerts = run(threeCycle(middle: 9.8, back: 9.2))
        try #require(alerts.count == 1)
        let reasons = TypologyTest.reasons(alerts[0])
        #expect(TypologyTest.strings(reasons["hashes"]) == ["TX-0", TypologyTest.hash(1), "TX-2"])
        #expect(reasons["blocks"] as? [Int] == [1, 2, 3])
        #expect(TypologyTest.strings(reasons["addresses"]) == [a, b, c, a])
        var pushedOut = threeCycle(middle: 9.8, back: 9.2)
        pushedOut.insert(Transfer(from: TypologyTest.address(9), to: b, amount: 1, block: 1, time: 1_100), at: 1)
        #expect(run(pushedOut, keeping: 1).isEmpty)
        #expect(run(pushedOut, keeping: 2).count == 1)
    }
}
