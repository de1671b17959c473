import ChainwatchCore
import Foundation

/// Paths to the shipped sample streams and helpers for temporary files, shared by every test target.
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0 ..< 3 { url.deleteLastPathComponent() }
        return url
    }()

    public static func sample(_ relativePath: String) -> String {
        repositoryRoot.appendingPathComponent("SampleStreams").appendingPathComponent(relativePath).path
    }

    /// 298 transactions of blocks 17173049–17173050, ethereum-etl CSV.
    public static var ethereumCSV: String { sample("ethereum/transactions_17173049_17173050.csv") }
    /// The same 298 transactions as batch-export JSON lines.
    public static var ethereumJSONL: String { sample("ethereum/transactions_17173049_17173050.jsonl") }
    /// The same 298 transactions as `ethereumetl stream` JSON lines (with receipt fields).
    public static var ethereumStreamJSONL: String { sample("ethereum/stream_transactions_with_receipts_17173049_17173050.jsonl") }
    /// 199 transactions of blocks 10500400–10500401.
    public static var ethereumCSV2020: String { sample("ethereum/transactions_10500400_10500401.csv") }
    /// 19,999 transactions of 2017, out of block order, CRLF, LZ4 frame.
    public static var ethereumUnorderedLZ4: String { sample("ethereum/transactions_03300000_03302204_unordered.csv.lz4") }

    /// A fresh empty directory under the system temporary directory.
    public static func makeTemporaryDirectory(_ label: String = "chainwatch") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A small, fast, seedable generator (SplitMix64) so tests are repeatable.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
