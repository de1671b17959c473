// Deterministic benchmark inputs, built once per benchmark process (outside any measured region).
//
// Transactions: the bytes of the file named by CHAINWATCH_BENCH_INPUT (any format TransactionReader
// detects), or else a synthetic ethereum-etl CSV of CHAINWATCH_BENCH_ROWS rows (default 1,000,000) from a
// seeded generator, so `swift package benchmark` works anywhere.
import ChainwatchCore
import ChainwatchIO
import Foundation

public enum BenchmarkData {
    /// Rows per batch, as in the pipeline.
    public static let batchRows = 4096

    /// Where the transaction bytes came from (printed once per process).
    public nonisolated(unsafe) private(set) static var inputDescription = ""

    nonisolated(unsafe) private static var cachedBytes: [UInt8]?
    nonisolated(unsafe) private static var cachedBatches: [TxBatch]?

    /// The input bytes: the file at CHAINWATCH_BENCH_INPUT, else the synthetic CSV.
    public static func transactionBytes() -> [UInt8] {
        if let cachedBytes { return cachedBytes }
        let environment = ProcessInfo.processInfo.environment
        let bytes: [UInt8]
        if let path = environment["CHAINWATCH_BENCH_INPUT"], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                fatalError("CHAINWATCH_BENCH_INPUT=\(path): cannot read the file")
            }
            bytes = [UInt8](data)
            inputDescription = "\(path) (\(bytes.count) bytes)"
        } else {
            let rows = environment["CHAINWATCH_BENCH_ROWS"].flatMap { Int($0) } ?? 1_000_000
            bytes = SyntheticCSV.generate(rows: rows, seed: 1)
            inputDescription = "synthetic CSV, \(rows) rows, seed 1 (\(bytes.count) bytes)"
        }
        FileHandle.standardError.write(Data("benchmark input: \(inputDescription)\n".utf8))
        cachedBytes = bytes
        return bytes
    }

    /// Drops the cached input bytes (benchmarks that only need decoded batches).
    public static func releaseBytes() { cachedBytes = nil }

    /// The input decoded into batches of ``batchRows`` rows.
    public static func decodedBatches() -> [TxBatch] {
        if let cachedBatches { return cachedBatches }
        let reader: TransactionReader
        do {
            reader = try TransactionReader(source: MemoryByteSource(transactionBytes()), name: "bench")
        } catch {
            fatalError("cannot open the benchmark input: \(error)")
        }
        var batches: [TxBatch] = []
        var quarantine: [QuarantineRecord] = []
        while true {
            var batch = TxBatch(capacity: batchRows)
            let more: Bool
            do {
                more = try reader.readBatch(into: &batch, maxRows: batchRows, quarantine: &quarantine)
            } catch {
                fatalError("cannot decode the benchmark input: \(error)")
            }
            if !batch.isEmpty { batches.append(batch) }
            if !more { break }
        }
        FileHandle.standardError.write(Data(
            "benchmark input decoded: \(reader.rowsDecoded) rows, \(reader.rowsQuarantined) quarantined\n".utf8))
        if let first = quarantine.first {
            FileHandle.standardError.write(Data("first quarantined line \(first.line): \(first.reason)\n".utf8))
        }
        precondition(reader.rowsDecoded > 0, "the benchmark input decoded to no rows")
        cachedBatches = batches
        return batches
    }

    /// `rows` × `dimensions` standard-normal values, split into matrices of ``batchRows`` rows.
    public static func gaussianBatches(rows: Int, dimensions: Int, seed: UInt64) -> [FeatureMatrix] {
        var rng = SeededGenerator(seed: seed)
        var batches: [FeatureMatrix] = []
        var remaining = rows
        while remaining > 0 {
            let n = min(batchRows, remaining)
            var values = [Float](repeating: 0, count: n * dimensions)
            for i in values.indices { values[i] = Float(rng.nextGaussian()) }
            batches.append(FeatureMatrix(dimensions: dimensions, values: values))
            remaining -= n
        }
        return batches
    }

    /// `rows` × `dimensions` standard-normal values in one matrix.
    public static func gaussianMatrix(rows: Int, dimensions: Int, seed: UInt64) -> FeatureMatrix {
        var rng = SeededGenerator(seed: seed)
        var values = [Float](repeating: 0, count: rows * dimensions)
        for i in values.indices { values[i] = Float(rng.nextGaussian()) }
        return FeatureMatrix(dimensions: dimensions, values: values)
    }

    /// `count` alerts with realistic field sizes (66-char hashes, 42-char addresses, short reasons).
    public static func alerts(count: Int, seed: UInt64) -> [Alert] {
        var rng = SeededGenerator(seed: seed)
        var alerts: [Alert] = []
        alerts.reserveCapacity(count)
        for i in 0 ..< count {
            let block = 17_000_000 + Int64(i / 150)
            let milliEther = rng.next() % 1_000_000
            let amount = Double(milliEther) / 1000
            alerts.append(Alert(
                chain: .ethereum, txHash: rng.hexString(bytes: 32), blockNumber: block,
                blockTime: 1_681_084_800 + (block - 17_000_000) * 12,
                fromAddress: rng.hexString(bytes: 20), toAddress: rng.hexString(bytes: 20),
                valueRaw: milliEther == 0 ? "0" : String(milliEther) + "000000000000000", amount: amount, detector: "ensemble",
                score: Double(rng.next() % 10_000) / 10_000, calibrated: 0.999,
                reasons: #"{"snd_value_z":6.1,"rcv_log_fanin":4.2,"gas_price_z":3.0}"#, modelID: "cw-0123456789ab"))
        }
        return alerts
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, deterministic across platforms.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    private var spareGaussian: Double?

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box–Muller, both values used).
    public mutating func nextGaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        let u = max(nextUnit(), 0x1.0p-53), v = nextUnit()
        let r = (-2 * Foundation.log(u)).squareRoot()
        spareGaussian = r * Foundation.sin(2 * .pi * v)
        return r * Foundation.cos(2 * .pi * v)
    }

    public mutating func hexString(bytes: Int) -> String {
        var out: [UInt8] = Array("0x".utf8)
        out.reserveCapacity(2 + 2 * bytes)
        appendHex(bytes: bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public mutating func appendHex(bytes: Int, to out: inout [UInt8]) {
        var word = 0 as UInt64, left = 0
        for _ in 0 ..< bytes {
            if left == 0 { word = next(); left = 8 }
            let byte = UInt8(truncatingIfNeeded: word)
            word >>= 8
            left -= 1
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 15)])
        }
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// A synthetic ethereum-etl `transactions` CSV shaped like shared/bench/gen_stream.py's output (not the
/// same bytes): ~rows/10 accounts, Zipf(1) senders and receivers, ~35 % zero values, log-normal amounts with
/// ~20 % round ones, ~150 transactions per 12 s block, 60 % plain transfers, 0.1 % contract creations.
public enum SyntheticCSV {
    static let header = "hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,"
        + "gas_price,input,block_timestamp,max_fee_per_gas,max_priority_fee_per_gas,transaction_type\n"

    public static func generate(rows: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededGenerator(seed: seed)
        let accountCount = max(1000, rows / 10)
        var addresses: [[UInt8]] = []
        addresses.reserveCapacity(accountCount)
        for _ in 0 ..< accountCount {
            var a: [UInt8] = Array("0x".utf8)
            rng.appendHex(bytes: 20, to: &a)
            addresses.append(a)
        }
        // Zipf(s = 1) over ranks; receivers use a different permutation of the same accounts.
        var cdf = [Double](repeating: 0, count: accountCount)
        var total = 0.0
        for r in 0 ..< accountCount {
            total += 1 / Double(r + 1)
            cdf[r] = total
        }
        func zipf(_ rng: inout SeededGenerator) -> Int {
            let u = rng.nextUnit() * total
            var lo = 0, hi = accountCount - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cdf[mid] < u { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var receiverOf = Array(0 ..< accountCount)
        receiverOf.shuffle(using: &rng)
        var nonces = [Int](repeating: 0, count: accountCount)

        var out: [UInt8] = []
        out.reserveCapacity(rows * 360 + header.utf8.count)
        out.append(contentsOf: header.utf8)
        var block = 17_000_000, time = 1_681_084_800, indexInBlock = 0
        var blockSize = 150
        var blockHash: [UInt8] = []
        var baseFee = 25e9
        func newBlock(_ rng: inout SeededGenerator) {
            blockHash = Array("0x".utf8)
            rng.appendHex(bytes: 32, to: &blockHash)
            blockSize = 100 + Int(rng.next() % 101)
            baseFee *= Foundation.exp(0.05 * rng.nextGaussian())
            baseFee = min(max(baseFee, 5e9), 200e9)
        }
        newBlock(&rng)
        let transferInput = Array("0xa9059cbb".utf8)
        for _ in 0 ..< rows {
            if indexInBlock == blockSize {
                block += 1
                time += rng.next() % 100 == 0 ? 24 : 12
                indexInBlock = 0
                newBlock(&rng)
            }
            let sender = zipf(&rng)
            let creation = rng.next() % 1000 == 0
            let receiver = receiverOf[zipf(&rng)]
            let kind = rng.next() % 100  // < 60 plain transfer, < 85 token call, else other call
            out.append(contentsOf: "0x".utf8)
            rng.appendHex(bytes: 32, to: &out)  // hash
            out.append(UInt8(ascii: ","))
            nonces[sender] += 1
            appendDecimal(nonces[sender], to: &out)
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: blockHash)
            out.append(UInt8(ascii: ","))
            appendDecimal(block, to: &out)
            out.append(UInt8(ascii: ","))
            appendDecimal(indexInBlock, to: &out)
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: addresses[sender])
            out.append(UInt8(ascii: ","))
            if !creation { out.append(contentsOf: addresses[receiver]) }
            out.append(UInt8(ascii: ","))
            // value (wei): 35 % zero, else log-normal ETH, 20 % of those round.
            if kind >= 60 && rng.next() % 100 < 88 {
                out.append(UInt8(ascii: "0"))
            } else {
                let log10Eth = -1 + 1.3 * rng.nextGaussian()
                if rng.next() % 5 == 0 {
                    let milli = max(1, Int(Foundation.pow(10, log10Eth + 3)).roundedToSignificant(2))
                    appendDecimal(milli, to: &out)
                    out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 15))
                } else {
                    let gwei = max(1, Int(min(Foundation.pow(10, log10Eth + 9), 9e15)))
                    appendDecimal(gwei, to: &out)
                    appendDecimal(100_000_000 + Int(rng.next() % 900_000_000), to: &out)
                }
            }
            out.append(UInt8(ascii: ","))
            let gas = creation ? 500_000 + Int(rng.next() % 4_500_000)
                : kind < 60 ? 21_000 : kind < 85 ? 45_000 + Int(rng.next() % 75_000) : 100_000 + Int(rng.next() % 500_000)
            appendDecimal(gas, to: &out)
            out.append(UInt8(ascii: ","))
            let tip = 1e8 + rng.nextUnit() * 3e9
            let gasPrice = Int(baseFee + tip)
            appendDecimal(gasPrice, to: &out)
            out.append(UInt8(ascii: ","))
            if creation {
                out.append(contentsOf: "0x6080604052".utf8)
                rng.appendHex(bytes: 64, to: &out)
            } else if kind < 60 {
                out.append(contentsOf: "0x".utf8)
            } else if kind < 85 {
                out.append(contentsOf: transferInput)
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 24))
                out.append(contentsOf: addresses[receiverOf[zipf(&rng)]].dropFirst(2))
                rng.appendHex(bytes: 32, to: &out)
            } else {
                out.append(contentsOf: "0x".utf8)
                rng.appendHex(bytes: 4 + 32 * Int(rng.next() % 4), to: &out)
            }
            out.append(UInt8(ascii: ","))
            appendDecimal(time, to: &out)
            out.append(UInt8(ascii: ","))
            if rng.next() % 100 < 85 {
                appendDecimal(Int(2 * baseFee + tip), to: &out)
                out.append(UInt8(ascii: ","))
                appendDecimal(Int(tip), to: &out)
                out.append(contentsOf: ",2\n".utf8)
            } else {
                out.append(contentsOf: ",,0\n".utf8)
            }
            indexInBlock += 1
        }
        return out
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0)
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 24 digits, written back to front
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while v > 0 {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            }
            out.append(contentsOf: buffer[(24 - count)...])
        }
    }
}

extension Int {
    /// Rounds to `digits` significant decimal digits.
    func roundedToSignificant(_ digits: Int) -> Int {
        var scale = 1
        while self / scale >= Int(Foundation.pow(10, Double(digits))) { scale *= 10 }
        return (self / scale) * scale
    }
}
