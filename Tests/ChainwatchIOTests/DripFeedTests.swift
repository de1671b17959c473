import ChainwatchCore
import ChainwatchIO
import Testing
import _ChainwatchTestSupport

struct DripFeedTests {
    static let samples = [Fixtures.ethereumCSV, Fixtures.ethereumJSONL, Fixtures.ethereumStreamJSONL]

    @Test(arguments: samples)
    func oneByteReadsMatchWholeFile(path: String) throws {
        let bytes = TestInput.bytes(path: path)
        let whole = try TestInput.readAll(MemoryByteSource(bytes), name: "x")
        let drip = try TestInput.readAll(DripSource(bytes, chunk: 1), name: "x")
        #expect(whole.batch.count == 298)
        #expect(drip.batch == whole.batch)
        #expect(drip.quarantine == whole.quarantine)
    }

    @Test(arguments: samples)
    func randomChunksMatchWholeFile(path: String) throws {
        let bytes = TestInput.bytes(path: path)
        let whole = try TestInput.readAll(MemoryByteSource(bytes), name: "x")
        for seed: UInt64 in 1 ... 6 {
            let drip = try TestInput.readAll(DripSource(bytes, maxChunk: 4096, seed: seed), name: "x")
            #expect(drip.batch == whole.batch, "seed \(seed)")
        }
    }

    /// A buffer smaller than a line forces the splitter to grow and compact at every size.
    @Test func smallLineLimitStillDecodesEveryRow() throws {
        let bytes = TestInput.bytes(path: Fixtures.ethereumCSV)
        let whole = try TestInput.readAll(MemoryByteSource(bytes), name: "x")
        let limited = try TestInput.readAll(DripSource(bytes, maxChunk: 333, seed: 9), name: "x", maxLineBytes: 64 << 10)
        #expect(limited.batch == whole.batch)
    }
}
