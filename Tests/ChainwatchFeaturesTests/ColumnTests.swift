@testable import ChainwatchFeatures
import Testing

/// `_Column` keeps its elements through growth on all three of its memory paths: a small `realloc` block, a
/// huge-page block that is copied when it grows past 4 MiB, and a reserved address space that never moves.
struct ColumnTests {
    /// Appends `count` values one by one (so the column grows by doubling) and checks every one.
    static func fillAndCheck(_ column: inout _Column<UInt32>, count: Int) {
        for i in 0 ..< count { column.append(UInt32(truncatingIfNeeded: i &* 2_654_435_761)) }
        #expect(column.count == count)
        var mismatches = 0
        for i in 0 ..< count where column[i] != UInt32(truncatingIfNeeded: i &* 2_654_435_761) { mismatches += 1 }
        #expect(mismatches == 0)
        #expect(column.allocatedBytes >= count * MemoryLayout<UInt32>.stride)
    }

    @Test func growsPastTheHugePageThresholdKeepingItsElements() {
        var column = _Column<UInt32>()
        Self.fillAndCheck(&column, count: 3 << 20) // 12 MiB: small blocks, then huge-page blocks
    }

    /// Zeroed appends read back as zeros on both memory paths, after elements already written.
    @Test func zeroedAppendsAreZero() {
        for limit in [nil, 3 << 20] as [Int?] {
            var column = _Column<UInt32>(limit: limit)
            for i in 0 ..< 1_000 { column.append(UInt32(i) | 1) }
            column.appendZeroed(count: 2 << 20)
            #expect(column.count == 1_000 + (2 << 20))
            #expect(column[999] == 999 | 1)
            var nonZero = 0
            for i in 1_000 ..< column.count where column[i] != 0 { nonZero += 1 }
            #expect(nonZero == 0, "limit \(String(describing: limit))")
        }
    }

    /// A reserved column's capacity follows its count closely (steps of 1/32); a moving one doubles.
    @Test func growthStepsFollowTheMemoryPath() {
        var moving = _Column<UInt32>()
        moving.reserve(4_096)
        let movingIsReserved = moving.isReserved
        let movingSteps = (moving.grownCapacity(cap: 1 << 20), moving.grownCapacity(cap: 5_000))
        #expect(!movingIsReserved && movingSteps == (8_192, 5_000))
        var reserved = _Column<UInt32>(limit: 4 << 20)
        let isReserved = reserved.isReserved
        #if os(Linux)
        #expect(isReserved)
        #endif
        guard isReserved else { return }
        let firstStep = reserved.grownCapacity(cap: 4 << 20)
        reserved.reserve(1 << 20)
        let steps = (reserved.grownCapacity(cap: 4 << 20), reserved.grownCapacity(cap: 1 << 20))
        #expect(firstStep == 1_024 && steps == ((1 << 20) + (1 << 15), 1 << 20))
    }

    @Test func reservedColumnGrowsInPlace() {
        let limit = 3 << 20
        var reserved = _Column<UInt32>(limit: limit)
        Self.fillAndCheck(&reserved, count: limit)
        // Growth only raised the capacity: the first element is where it was when the column had one.
        var moved = _Column<UInt32>(limit: limit)
        moved.append(1)
        let first = moved.pointer(0)
        for _ in 1 ..< limit { moved.append(0) }
        #if os(Linux)
        #expect(moved.pointer(0) == first)
        #endif
        #expect(moved[0] == 1)
    }
}
