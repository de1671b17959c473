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

    @Test func reservingKeepsTheElementsAndGrowsGeometrically() {
        var array: [Int] = []
        var growths = 0
        let count = 2 * _HugePages.threshold / MemoryLayout<Int>.stride // past the threshold twice over
        for value in 0 ..< count {
            let capacity = array.capacity
            array.reserveOnHugePages(forAppending: 1)
            if array.capacity != capacity { growths += 1 }
            #expect(array.capacity >= array.count + 1)
            array.append(value)
        }
        #expect(array.count == count)
        #expect(array.elementsEqual(0 ..< count))
        #expect(growths <= 24, "capacity must at least double when it grows (\(growths) growths)")
    }

    @Test func reservingACopyLeavesTheOriginalAlone() {
        var original = [Int](repeating: 1, count: _HugePages.threshold / MemoryLayout<Int>.stride)
        var copy = original
        copy.reserveOnHugePages(forAppending: copy.capacity)
        copy.append(2)
        original[0] = 3
        #expect(copy.count == original.count + 1 && copy[0] == 1 && copy.last == 2)
        #expect(original[0] == 3 && original.last == 1)
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
