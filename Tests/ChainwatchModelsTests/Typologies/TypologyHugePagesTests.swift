@testable import ChainwatchModels
import Testing

/// The huge-page helpers change where storage lives, never what it holds.
struct TypologyHugePagesTests {
    @Test func repeatingFillsEveryElement() {
        for count in [0, 1, 1_000, (_HugePages.threshold / 8) * 3 / 2] {
            let buffer = _LineAlignedBuffer<UInt64>(repeating: 7, count: count)
            #expect(buffer.count == count)
            #expect((0 ..< buffer.count).allSatisfy { buffer.base[$0] == 7 })
        }
    }

    @Test func copiesPastTheThresholdKeepTheElementsAndLeaveTheOriginalAlone() {
        var buffer = _LineAlignedBuffer<Int>(capacity: 16)
        var expected: [Int] = []
        var value = 0
        // Grown by copying, as the list arena grows it, to well past the huge-page threshold.
        while buffer.count < 2 * _HugePages.threshold / MemoryLayout<Int>.stride {
            if buffer.count == buffer.capacity { buffer = buffer.copy(capacity: 2 * buffer.capacity) }
            let run = min(1_000, buffer.capacity - buffer.count)
            buffer.append(value, count: run)
            expected += repeatElement(value, count: run)
            value += 1
        }
        #expect(Int(bitPattern: buffer.base) % _HugePages.pageSize == 0)
        #expect(UnsafeBufferPointer(start: buffer.base, count: buffer.count).elementsEqual(expected))
        let copy = buffer.copy(capacity: buffer.count + 1)
        buffer.base[0] = -1
        #expect(copy.base[0] == 0 && copy.count == buffer.count)
    }

    @Test func advisingSmallOrOddMemoryIsHarmless() {
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: _HugePages.threshold + 123, alignment: 8)
        defer { raw.deallocate() }
        _HugePages.advise(UnsafeMutableRawBufferPointer(rebasing: raw[5 ..< 1_000]))
        _HugePages.advise(UnsafeMutableRawBufferPointer(rebasing: raw[3...]))
        let last = (raw.count - 8) & ~7
        raw.storeBytes(of: 42, toByteOffset: last, as: UInt64.self)
        #expect(raw.load(fromByteOffset: last, as: UInt64.self) == 42)
    }
}
