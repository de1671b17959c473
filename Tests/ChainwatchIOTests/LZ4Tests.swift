import ChainwatchCore
import ChainwatchIO
import Foundation
import Testing
import _ChainwatchTestSupport

#if canImport(Glibc)
import Glibc
#endif

struct LZ4Tests {
    static func sampleText(lines: Int) -> [UInt8] {
        var generator = SeededGenerator(seed: 42)
        var text = ""
        for line in 0 ..< lines { text += "line \(line) \(UInt64.random(in: 0 ... .max, using: &generator))\n" }
        return Array(text.utf8)
    }

    @Test(arguments: [0, 1, 100, 70_000])
    func compressDecompressRoundTrip(lines: Int) throws {
        let original = LZ4Tests.sampleText(lines: lines)
        let compressed = LZ4Frame.compress(original)
        #expect(Array(compressed.prefix(4)) == LZ4FrameSource.magic)
        #expect(try LZ4Frame.decompress(compressed) == original)
    }

    @Test func oneByteReadsOnBothSidesOfTheDecompressor() throws {
        let original = LZ4Tests.sampleText(lines: 3000)
        let compressed = LZ4Frame.compress(original)
        var source = try LZ4FrameSource(wrapping: DripSource(compressed, chunk: 1), name: "drip")
        #expect(try TestInput.drain(&source, chunk: 1) == original)
        var random = try LZ4FrameSource(wrapping: DripSource(compressed, maxChunk: 97, seed: 3), name: "drip")
        #expect(try TestInput.drain(&random, chunk: 13) == original)
    }

    @Test func concatenatedFrames() throws {
        let first = LZ4Tests.sampleText(lines: 500)
        let second = Array("second frame\n".utf8)
        let joined = LZ4Frame.compress(first) + LZ4Frame.compress(second) + LZ4Frame.compress([])
        #expect(try LZ4Frame.decompress(joined) == first + second)
        var source = try LZ4FrameSource(wrapping: DripSource(joined, chunk: 1), name: "drip")
        #expect(try TestInput.drain(&source, chunk: 7) == first + second)
    }

    @Test func truncatedFrameIsReported() throws {
        let compressed = LZ4Frame.compress(LZ4Tests.sampleText(lines: 2000))
        for cut in [5, compressed.count / 2, compressed.count - 1] {
            let error = #expect(throws: ChainwatchError.self) { try LZ4Frame.decompress(Array(compressed.prefix(cut))) }
            #expect(error?.code == .truncatedInput, "cut at \(cut)")
        }
    }

    @Test func corruptFrameIsReported() throws {
        var compressed = LZ4Frame.compress(LZ4Tests.sampleText(lines: 2000))
        for index in stride(from: compressed.count / 2, to: compressed.count / 2 + 64, by: 1) { compressed[index] ^= 0x5A }
        let error = #expect(throws: ChainwatchError.self) { try LZ4Frame.decompress(compressed) }
        #expect(error?.code == .corruptCompressedInput)

        let garbage = LZ4FrameSource.magic + Array(repeating: 0xFF, count: 40)
        let garbageError = #expect(throws: ChainwatchError.self) { try LZ4Frame.decompress(garbage) }
        #expect(garbageError?.code == .corruptCompressedInput)
    }

    @Test func writerFileIsReadByPathWithAndWithoutLZ4Suffix() throws {
        let directory = Fixtures.makeTemporaryDirectory("lz4")
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = TestInput.bytes(path: Fixtures.ethereumCSV)
        let expected = try TestInput.readAll(path: Fixtures.ethereumCSV).batch
        for name in ["tx.csv.lz4", "tx.csv"] {
            let path = directory.appendingPathComponent(name).path
            let writer = try LZ4FrameWriter(path: path)
            for start in stride(from: 0, to: csv.count, by: 10_000) {
                try writer.write(Array(csv[start ..< min(start + 10_000, csv.count)]))
            }
            try writer.finish()
            #expect(Array(TestInput.bytes(path: path).prefix(4)) == LZ4FrameSource.magic)
            let decoded = try TestInput.readAll(path: path).batch
            #expect(sameTransactions(decoded, expected), "\(name)")
            #expect(decoded.count == 298)
        }
    }

    @Test func plainTextNamedLZ4IsCorrupt() throws {
        let directory = Fixtures.makeTemporaryDirectory("lz4")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("plain.csv.lz4").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("hash,value\n".utf8)))
        let error = #expect(throws: ChainwatchError.self) { _ = try TestInput.readAll(path: path) }
        #expect(error?.code == .corruptCompressedInput)
    }

    /// stdin is a descriptor like a pipe: `-` opens fd 0 through the same magic-sniffing wrapper used here.
    @Test func pipeDescriptorWithLZ4MagicIsDecompressed() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let expected = try TestInput.readAll(path: Fixtures.ethereumJSONL).batch
        let jsonl = TestInput.bytes(path: Fixtures.ethereumJSONL)
        let writeEnd = ends[1]
        let writerThread = Thread {
            let writer = try! LZ4FrameWriter(fileDescriptor: writeEnd, name: "pipe", closesOnFinish: true)
            for start in stride(from: 0, to: jsonl.count, by: 4093) {
                try! writer.write(Array(jsonl[start ..< min(start + 4093, jsonl.count)]))
            }
            try! writer.finish()
        }
        writerThread.start()
        let descriptor = FileDescriptorSource(fileDescriptor: ends[0], name: "-", closesOnDeinit: true)
        let source = LZ4DetectingSource(wrapping: descriptor, name: "-")
        let decoded = try TestInput.readAll(source, name: "-").batch
        #expect(source.isCompressed)
        #expect(decoded.count == 298)
        #expect(sameTransactions(decoded, expected))
    }

    @Test func plainInputPassesThroughTheDetector() throws {
        let bytes = TestInput.bytes(path: Fixtures.ethereumCSV)
        let source = LZ4DetectingSource(wrapping: DripSource(bytes, chunk: 1), name: "-")
        var drained = source
        #expect(try TestInput.drain(&drained, chunk: 5) == bytes)
        #expect(!source.isCompressed)
        var tiny = LZ4DetectingSource(wrapping: MemoryByteSource([0x04, 0x22]), name: "-")
        #expect(try TestInput.drain(&tiny) == [0x04, 0x22])
    }
}
