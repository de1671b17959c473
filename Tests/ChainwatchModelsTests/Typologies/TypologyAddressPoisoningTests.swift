import ChainwatchCore
import ChainwatchModels
import Foundation
import Testing

struct TypologyAddressPoisoningTests {
    let victim = TypologyTest.address(0), payee = TypologyTest.address(1)
    var fake: String { TypologyTest.lookAlike(of: payee) }

    func transfers(poisoner: String, amount: Double = 0, after seconds: Int64 = 120) -> [Transfer] {
        [
            Transfer(from: victim, to: payee, amount: 5, block: 10, time: 100_000),
            Transfer(from: TypologyTest.address(5), to: victim, amount: 1, block: 10, time: 100_000),
            Transfer(from: poisoner, to: victim, amount: amount, block: 20, time: 100_000 + seconds),
        ]
    }

    @Test func flagsTheLookAlikeTransfer() throws {
        let alerts = TypologyTest.expectSplitInvariant({ AddressPoisoningDetector() }, transfers(poisoner: fake))
        try #require(alerts.count == 1)
        #expect(alerts[0].txHash == TypologyTest.hash(2) && alerts[0].typology == "address_poisoning")
        #expect(alerts[0].score == 8)
        let reasons = TypologyTest.reasons(alerts[0])
        #expect(reasons["victim"] as? String == victim)
        #expect(reasons["look_alike"] as? String == fake)
        #expect(reasons["impersonated"] as? String == payee)
        #expect((reasons["real_transfer"] as? [String: Any])?["hash"] as? String == TypologyTest.hash(0))
        #expect(reasons["seconds_after_real_transfer"] as? Int == 120)
    }

    @Test func nearMissesAreNotFlagged() {
        // Fifth or fifth-to-last digit differs.
        let farPrefix = TypologyTest.lookAlike(of: payee, changingDigits: 3 ..< 36)
        let farSuffix = TypologyTest.lookAlike(of: payee, changingDigits: 4 ..< 37)
        #expect(TypologyTest.alerts({ AddressPoisoningDetector() }, transfers(poisoner: farPrefix)).isEmpty)
        #expect(TypologyTest.alerts({ AddressPoisoningDetector() }, transfers(poisoner: farSuffix)).isEmpty)
        // The real counterparty itself, a non-tiny amount, too late.
        #expect(TypologyTest.alerts({ AddressPoisoningDetector() }, transfers(poisoner: payee)).isEmpty)
        #expect(TypologyTest.alerts({ AddressPoisoningDetector() }, transfers(poisoner: fake, amount: 0.000_1)).isEmpty)
        #expect(TypologyTest.alerts({ AddressPoisoningDetector() }, transfers(poisoner: fake, after: 86_401)).isEmpty)
        #expect(TypologyTest.alerts({ AddressPoisoningDetector() }, transfers(poisoner: fake, after: 86_400)).count == 1)
    }

    @Test func aBusyVictimStillRemembersEveryRecentCounterparty() throws {
        // The victim pays 50 other accounts between the real transfer and the poison: each counterparty is
        // remembered under its own address ends, so none pushes the payee out.
        var sequence = [Transfer(from: victim, to: payee, amount: 5, block: 10, time: 100_000)]
        for n in 0 ..< 50 {
            sequence.append(Transfer(from: victim, to: TypologyTest.address(100 + n), amount: 1, block: 11, time: 100_010 + Int64(n)))
        }
        sequence.append(Transfer(from: fake, to: victim, amount: 0, block: 20, time: 100_120))
        let alerts = TypologyTest.expectSplitInvariant({ AddressPoisoningDetector() }, sequence)
        try #require(alerts.count == 1)
        #expect(TypologyTest.reasons(alerts[0])["impersonated"] as? String == payee)
    }

    @Test func theLatestRealTransferIsTheEvidence() throws {
        let sequence = [
            Transfer(from: victim, to: payee, amount: 5, block: 10, time: 100_000),
            Transfer(from: payee, to: victim, amount: 2, block: 12, time: 100_050),
            Transfer(from: fake, to: victim, amount: 0, block: 20, time: 100_120),
        ]
        let alerts = TypologyTest.expectSplitInvariant({ AddressPoisoningDetector() }, sequence)
        try #require(alerts.count == 1)
        let reasons = TypologyTest.reasons(alerts[0])
        #expect((reasons["real_transfer"] as? [String: Any])?["hash"] as? String == TypologyTest.hash(1))
        #expect(reasons["seconds_after_real_transfer"] as? Int == 70)
    }

    /// A real transfer whose hash is not `0x` + 64 lowercase hex digits is shown as it came, with its
    /// accounts, amount and block; once a later real transfer with the same counterparty replaces it, the
    /// later one is shown.
    @Test func theEvidenceKeepsAHashThatIsNotCanonical() throws {
        let irregular = TypologyTest.hash(0).uppercased()
        for replaced in [false, true] {
            var sequence = [Transfer(from: victim, to: payee, amount: 5, block: 10, time: 100_000)]
            if replaced { sequence.append(Transfer(from: payee, to: victim, amount: 2, block: 12, time: 100_050)) }
            sequence.append(Transfer(from: fake, to: victim, amount: 0, block: 20, time: 100_120))
            let plain = TypologyTest.batch(sequence)
            var batch = TxBatch()
            for row in 0 ..< plain.count {
                var transaction = plain[row]
                if row == 0 { transaction.hash = irregular }
                batch.append(transaction)
            }
            var detector: any Detector = AddressPoisoningDetector()
            let alerts = TypologyTest.run(&detector, [batch])
            try #require(alerts.count == 1)
            let real = try #require(TypologyTest.reasons(alerts[0])["real_transfer"] as? [String: Any])
            #expect(real["hash"] as? String == (replaced ? TypologyTest.hash(1) : irregular))
            #expect(real["from"] as? String == (replaced ? payee : victim))
            #expect(real["to"] as? String == (replaced ? victim : payee))
            #expect(real["amount_eth"] as? Double == (replaced ? 2 : 5))
            #expect(real["block"] as? Int == (replaced ? 12 : 10))
        }
    }

    /// Block numbers too large for the compact entry are kept whole too.
    @Test func theEvidenceKeepsAnyBlockNumber() throws {
        for block in [Int64(1) << 31 - 1, Int64(1) << 31, 5_000_000_000] {
            let sequence = [
                Transfer(from: payee, to: victim, amount: 5, block: block, time: 100_000),
                Transfer(from: fake, to: victim, amount: 0, block: block + 1, time: 100_120),
            ]
            let alerts = TypologyTest.alerts({ AddressPoisoningDetector() }, sequence)
            try #require(alerts.count == 1)
            let real = try #require(TypologyTest.reasons(alerts[0])["real_transfer"] as? [String: Any])
            #expect((real["block"] as? NSNumber)?.int64Value == block)
            #expect(real["from"] as? String == payee && real["to"] as? String == victim && real["amount_eth"] as? Double == 5)
        }
    }

    @Test func theCapForgetsTheLeastRecentlySeenCounterparty() throws {
        // maxTracked 4 is one set of four entries; a real transfer writes two (one per side).
        var configuration = AddressPoisoningDetector.Configuration()
        configuration.maxTracked = 4
        let other = TypologyTest.address(2)
        let sequence = [
            Transfer(from: victim, to: payee, amount: 5, block: 10, time: 100_000),
            Transfer(from: victim, to: other, amount: 5, block: 11, time: 100_010),
            // Two strangers: their two entries displace the oldest two, the victim's memory of the payee and
            // the payee's of the victim.
            Transfer(from: TypologyTest.address(3), to: TypologyTest.address(4), amount: 5, block: 12, time: 100_020),
            Transfer(from: fake, to: victim, amount: 0, block: 13, time: 100_030),
            Transfer(from: TypologyTest.lookAlike(of: other), to: victim, amount: 0, block: 14, time: 100_040),
        ]
        let alerts = TypologyTest.expectSplitInvariant({ AddressPoisoningDetector(configuration: configuration) }, sequence)
        try #require(alerts.count == 1)
        #expect(alerts[0].txHash == TypologyTest.hash(4))
        #expect(TypologyTest.reasons(alerts[0])["impersonated"] as? String == other)
        var detector = AddressPoisoningDetector(configuration: configuration)
        _ = TypologyTest.run(&detector, [TypologyTest.batch(sequence)])
        #expect(detector.trackedEntries == 4)
    }
}
