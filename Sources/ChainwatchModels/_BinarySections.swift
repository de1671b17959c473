import Foundation

/// The little-endian section container used for `weights.bin` (layout in `ModelBundle+File.swift`).
///
///     "CWWEIGHT" (8 bytes) │ u32 version │ u32 section count │ section … section
///     section = u16 name length │ name (UTF-8) │ u8 element type (1 f32, 2 f64, 3 i32) │ u64 count │ payload
///
/// Floats are stored as their IEEE-754 bit patterns, so they round-trip bit for bit.
struct _SectionWriter {
    static let magic = Array("CWWEIGHT".utf8)
    private(set) var bytes: [UInt8] = []
    private var sections: [(name: String, type: UInt8, count: Int, payload: [UInt8])] = []

    mutating func add(_ name: String, _ values: [Float]) {
        var payload: [UInt8] = []
        payload.reserveCapacity(values.count * 4)
        for v in values { Self.append(v.bitPattern, to: &payload) }
        sections.append((name, 1, values.count, payload))
    }

    mutating func add(_ name: String, _ values: [Double]) {
        var payload: [UInt8] = []
        payload.reserveCapacity(values.count * 8)
        for v in values { Self.append(v.bitPattern, to: &payload) }
        sections.append((name, 2, values.count, payload))
    }

    mutating func add(_ name: String, _ values: [Int32]) {
        var payload: [UInt8] = []
        payload.reserveCapacity(values.count * 4)
        for v in values { Self.append(UInt32(bitPattern: v), to: &payload) }
        sections.append((name, 3, values.count, payload))
    }

    func finished(version: UInt32) -> [UInt8] {
        var out = Self.magic
        Self.append(version, to: &out)
        Self.append(UInt32(sections.count), to: &out)
        for section in sections {
            let name = Array(section.name.utf8)
            Self.append(UInt16(name.count), to: &out)
            out += name
            out.append(section.type)
            Self.append(UInt64(section.count), to: &out)
            out += section.payload
        }
        return out
    }

    static func append(_ value: some FixedWidthInteger, to bytes: inout [UInt8]) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
    }
}

/// Reads a `_SectionWriter` container; every failure is a message for `.badModelFile`.
struct _SectionReader {
    enum Failure: Error { case malformed(String) }

    private var sections: [String: (type: UInt8, count: Int, start: Int)] = [:]
    private let bytes: [UInt8]
    let version: UInt32

    init(bytes: [UInt8]) throws(Failure) {
        self.bytes = bytes
        guard bytes.count >= 16, Array(bytes[0 ..< 8]) == _SectionWriter.magic else {
            throw .malformed("not a chainwatch weights file (bad magic)")
        }
        var offset = 8
        version = UInt32(try Self.integer(bytes, &offset, UInt32.self))
        let count = try Self.integer(bytes, &offset, UInt32.self)
        for _ in 0 ..< count {
            let nameLength = Int(try Self.integer(bytes, &offset, UInt16.self))
            guard offset + nameLength + 1 <= bytes.count else { throw .malformed("truncated section header") }
            let name = String(decoding: bytes[offset ..< offset + nameLength], as: UTF8.self)
            offset += nameLength
            let type = bytes[offset]
            offset += 1
            let elements = try Self.integer(bytes, &offset, UInt64.self)
            let size: UInt64 = switch type { case 1, 3: 4; case 2: 8; default: 0 }
            guard size > 0 else { throw .malformed("section \(name) has unknown element type \(type)") }
            guard elements <= UInt64(bytes.count), offset + Int(elements * size) <= bytes.count else {
                throw .malformed("section \(name) runs past the end of the file")
            }
            sections[name] = (type, Int(elements), offset)
            offset += Int(elements * size)
        }
        guard offset == bytes.count else { throw .malformed("\(bytes.count - offset) trailing bytes") }
    }

    private static func integer<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: inout Int, _: T.Type) throws(Failure) -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { throw .malformed("truncated file") }
        var value: T = 0
        for k in 0 ..< size { value |= T(bytes[offset + k]) << (8 * k) }
        offset += size
        return value
    }

    private func section(_ name: String, type: UInt8, count: Int?) throws(Failure) -> (count: Int, start: Int) {
        guard let section = sections[name] else { throw .malformed("missing section \(name)") }
        guard section.type == type else { throw .malformed("section \(name) has element type \(section.type)") }
        if let count, section.count != count {
            throw .malformed("section \(name) holds \(section.count) values, expected \(count)")
        }
        return (section.count, section.start)
    }

    func floats(_ name: String, count: Int? = nil) throws(Failure) -> [Float] {
        let (n, start) = try section(name, type: 1, count: count)
        var offset = start
        var out: [Float] = []
        out.reserveCapacity(n)
        for _ in 0 ..< n { out.append(Float(bitPattern: try Self.integer(bytes, &offset, UInt32.self))) }
        return out
    }

    func doubles(_ name: String, count: Int? = nil) throws(Failure) -> [Double] {
        let (n, start) = try section(name, type: 2, count: count)
        var offset = start
        var out: [Double] = []
        out.reserveCapacity(n)
        for _ in 0 ..< n { out.append(Double(bitPattern: try Self.integer(bytes, &offset, UInt64.self))) }
        return out
    }

    func int32s(_ name: String, count: Int? = nil) throws(Failure) -> [Int32] {
        let (n, start) = try section(name, type: 3, count: count)
        var offset = start
        var out: [Int32] = []
        out.reserveCapacity(n)
        for _ in 0 ..< n { out.append(Int32(bitPattern: try Self.integer(bytes, &offset, UInt32.self))) }
        return out
    }
}

/// FNV-1a, 64-bit: the content hash behind model ids and the weights checksum (not cryptographic; it
/// detects retraining and accidental corruption, not tampering).
enum _FNV1a64 {
    static func hash(_ chunks: [UInt8]...) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for chunk in chunks {
            for byte in chunk { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        return h
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
