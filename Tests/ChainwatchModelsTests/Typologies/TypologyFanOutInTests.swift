import ChainwatchCore
import ChainwatchModels
import Testing

struct TypologyFanOutInTests {
    let hub = TypologyTest.address(0)

    /// `count` transfers between the hub and distinct accounts, 60 s apart, starting at `start`.
    func fan(_ count: Int, outgoing: Bool, start: Int64 = 10_000, step: Int64 = 60, firstAccount: Int = 1) -> [Transfer] {
        (0 ..< count).map { i in
            let other = TypologyTest.address(firstAccount + i)
            return Transfer(
                from: outgoing ? hub : other, to: outgoing ? other : hub, amount: 0.5, block: Int64(100 + i),
                time: start + Int64(i) * step
            )
        }
    }

    @Test func fanOutFlagsTheTenthNewCounterparty() throws {
        let alerts = TypologyTest.expectSplitInvariant({ FanOutDetector() }, fan(10, outgoing: true))
        try #require(alerts.count == 1)
        #expect(alerts[0].txHash == TypologyTest.hash(9))
        #expect(alerts[0].typology == "fan_out" && alerts[0].score == 10)
        let reasons = TypologyTest.reasons(alerts[0])
        #expect(reasons["sender"] as? String == hub)
        #expect(reasons["counterparties"] as? Int == 10)
        #expect(TypologyTest.strings(reasons["counterparty_addresses"]) == (1 ... 10).map(TypologyTest.address))
        #expect(TypologyTest.strings(reasons["hashes"]) == (0 ..< 10).map(TypologyTest.hash))
    }

    @Test func fanInFlagsTheTenthNewPayer() throws {
        let alerts = TypologyTest.expectSplitInvariant({ FanInDetector() }, fan(10, outgoing: false))
        try #require(alerts.count == 1)
        #expect(alerts[0].typology == "fan_in" && alerts[0].txHash == TypologyTest.hash(9))
        let reasons = TypologyTest.reasons(alerts[0])
        #expect(reasons["receiver"] as? String == hub)
        #expect(TypologyTest.strings(reasons["counterparty_addresses"]) == (1 ... 10).map(TypologyTest.address))
    }

    @Test func nearMissesAreNotFlagged() {
        // One counterparty short.
        #expect(TypologyTest.alerts({ FanOutDetector() }, fan(9, outgoing: true)).isEmpty)
        #expect(TypologyTest.alerts({ FanInDetector() }, fan(9, outgoing: false)).isEmpty)
        // Ten counterparties, but spread over 3,601 s (window is 3,600 s inclusive): 401 s apart.
        #expect(TypologyTest.alerts({ FanOutDetector() }, fan(10, outgoing: true, step: 401)).isEmpty)
        #expect(TypologyTest.alerts({ FanOutDetector() }, fan(10, outgoing: true, step: 400)).count == 1)
        // Counterparties paid a day earlier are not new.
        let earlier = fan(5, outgoing: true, start: 0)
        #expect(TypologyTest.alerts({ FanOutDetector() }, earlier + fan(10, outgoing: true, start: 90_000)).isEmpty)
        // … unless novelty is switched off.
        var configuration = FanOutDetector.Configuration()
        configuration.noveltySeconds = 0
        #expect(TypologyTest.alerts({ FanOutDetector(configuration: configuration) }, earlier + fan(10, outgoing: true, start: 90_000)).count == 1)
    }

    @Test func alertsAgainOnlyWhenTheCountGrowsByAnotherTen() {
        let alerts = TypologyTest.alerts({ FanOutDetector() }, fan(25, outgoing: true, step: 10))
        #expect(alerts.map(\.score) == [10, 20])
        #expect(alerts.map(\.txHash) == [TypologyTest.hash(9), TypologyTest.hash(19)])
    }

    /// Hashes that are not `0x` + 64 lowercase hex digits are kept whole and shown as they came, beside
    /// canonical ones, including after older entries left the window.
    @Test func evidenceShowsEveryHashForm() throws {
        let forms = { (row: Int) -> String in
            switch row % 4 {
            case 0: TypologyTest.hash(row).uppercased()
            case 1: "tx-\(row)"
            default: TypologyTest.hash(row)
            }
        }
        for outgoing in [true, false] {
            // 200 s apart: the one-hour window holds 19 transfers, so the count passes 10 once; then, after
            // the window has emptied (releasing what the expired entries held), ten more.
            let later = fan(10, outgoing: outgoing, start: 20_000, step: 10, firstAccount: 50)
            let plain = TypologyTest.batch(fan(30, outgoing: outgoing, step: 200) + later)
            var batch = TxBatch()
            for row in 0 ..< plain.count {
                var transaction = plain[row]
                transaction.hash = forms(row)
                batch.append(transaction)
            }
            var detector: any Detector = outgoing ? FanOutDetector() : FanInDetector()
            let alerts = TypologyTest.run(&detector, [batch])
            try #require(alerts.count == 2)
            let first = TypologyTest.reasons(alerts[0]), second = TypologyTest.reasons(alerts[1])
            #expect(TypologyTest.strings(first["hashes"]) == (0 ..< 10).map(forms))
            #expect(TypologyTest.strings(first["counterparty_addresses"]) == (1 ... 10).map(TypologyTest.address))
            #expect(TypologyTest.strings(second["hashes"]) == (30 ..< 40).map(forms))
            #expect(TypologyTest.strings(second["counterparty_addresses"]) == (50 ..< 60).map(TypologyTest.address))
        }
    }

    /// Run as one detector, fan-out and fan-in raise exactly what each raises alone: the same rows, in the
    /// same order within each name, with the same evidence — also once their shared pair memory and hub
    /// tables overflow and forget.
    @Test func theOnePassDetectorRaisesExactlyWhatTheTwoRaiseApart() throws {
        let batches = TypologySample.synthetic(count: 150_000, accounts: 20_000)
        var configuration = FanConfiguration()
        configuration.minCounterparties = 3
        configuration.maxTracked = 2_000
        var fused: any Detector = try #require(FanOutInDetector(fanOut: configuration, fanIn: configuration))
        var fanOut: any Detector = FanOutDetector(configuration: configuration)
        var fanIn: any Detector = FanInDetector(configuration: configuration)
        let together = TypologyTest.run(&fused, batches)
        let outgoing = TypologyTest.run(&fanOut, batches), incoming = TypologyTest.run(&fanIn, batches)
        try #require(outgoing.count > 100 && incoming.count > 100)
        #expect(together.filter { $0.detector == "fan_out" } == outgoing)
        #expect(together.filter { $0.detector == "fan_in" } == incoming)
        #expect(together.count == outgoing.count + incoming.count)
    }

    /// Out-of-order block times (a stream not restored to block order): expiry drops the oldest entries that
    /// left the window, however late the previous row's time.
    @Test func expiryFollowsArrivalOrderWhenTimesGoBack() throws {
        var configuration = FanConfiguration()
        configuration.minCounterparties = 4
        let times: [Int64] = [6_000, 9_000, 5_000, 9_700, 9_800]
        let transfers = times.enumerated().map { index, time in
            Transfer(from: hub, to: TypologyTest.address(index + 1), amount: 0.5, block: Int64(100 + index), time: time)
        }
        // At 9,700 the window (1 h) starts at 6,100: the 6,000 transfer has left it, the 9,000 one has not, and
        // the 5,000 one, which arrived after it, stays with it — so the fifth transfer is the fourth counted.
        let alerts = TypologyTest.alerts({ FanOutDetector(configuration: configuration) }, transfers)
        try #require(alerts.count == 1)
        #expect(alerts[0].txHash == TypologyTest.hash(4) && alerts[0].score == 4)
    }
}
