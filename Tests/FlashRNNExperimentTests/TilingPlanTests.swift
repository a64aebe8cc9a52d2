import Foundation
import LinearAlgebra
import XCTest
@testable import FlashRNNExperiment

/// The tiling optimiser's constraints (divisibility, cache capacity, thread split) and the
/// sysfs cache reader.
final class TilingPlanTests: XCTestCase {
    func testChoicesSatisfyTheConstraints() throws {
        let caches = [RNNFixtures.cache, CacheTopology(l1Data: 2048, l2: 65536), CacheTopology.fallback]
        for cell in RNNCell.allCases {
            for (batch, heads, d) in [(1, 12, 64), (8, 48, 16), (32, 3, 256), (6, 5, 24), (7, 1, 3)] {
                let shape = try RNNShape(cell: cell, batch: batch, steps: 4, heads: heads, headDim: d)
                for cache in caches {
                    for threads in [1, 2, 5] {
                        let plan = TilingPlan(shape: shape, threads: threads, cache: cache)
                        let gateWidth = cell.recurrentGates * d
                        XCTAssertEqual(batch % plan.batchTile, 0, "batch tile divides B")
                        XCTAssertLessThanOrEqual(plan.columnTile, gateWidth)
                        XCTAssertTrue(plan.columnTile == gateWidth || plan.columnTile % 16 == 0, "whole vectors on every path")
                        XCTAssertTrue(plan.columnTile == 16 || d * plan.columnTile * 4 <= 16 << 10, "a panel fits 16 KiB unless minimal")
                        let rowBytes = (gateWidth + (cell.stateCount + 1) * d) * 4
                        if rowBytes <= cache.l2 / 2 { XCTAssertLessThanOrEqual(plan.batchTile * rowBytes, cache.l2 / 2, "tile fits half of L2") }
                        if heads * batch >= threads {
                            XCTAssertGreaterThanOrEqual(plan.workItems, threads, "every thread has an item")
                        }
                        XCTAssertEqual(plan.workItems, heads * batch / plan.batchTile)
                        XCTAssertLessThanOrEqual(plan.workers, threads)
                        XCTAssertGreaterThanOrEqual(plan.workers * plan.itemsPerWorker, plan.workItems, "every item has a worker")
                        XCTAssertLessThan((plan.workers - 1) * plan.itemsPerWorker, plan.workItems, "no idle worker")
                        XCTAssertEqual(plan.recurrentBytesPerHead, gateWidth * d * 4)
                        XCTAssertEqual(plan.recurrentFitsL2, plan.recurrentBytesPerHead <= cache.l2 / 2)
                        XCTAssertEqual(plan.recurrentFitsL1, plan.recurrentBytesPerHead <= cache.l1Data / 2)
                    }
                }
            }
        }
    }

    func testPanelsAndTilesForTheSweepShapes() throws {
        let plan = TilingPlan(shape: try RNNShape(cell: .lstm, batch: 8, steps: 1, heads: 3, headDim: 256), threads: 1, cache: RNNFixtures.cache)
        XCTAssertEqual(plan.columnTile, 16, "256 rows × 16 columns = 16 KiB")
        XCTAssertEqual(plan.batchTile, 8, "the whole batch reads each panel once per step")
        let small = TilingPlan(shape: try RNNShape(cell: .lstm, batch: 32, steps: 1, heads: 12, headDim: 64), threads: 1, cache: RNNFixtures.cache)
        XCTAssertEqual(small.columnTile, 64, "64 rows × 64 columns = 16 KiB")
        XCTAssertEqual(small.batchTile, 32)
        let split = TilingPlan(shape: try RNNShape(cell: .lstm, batch: 8, steps: 1, heads: 3, headDim: 256), threads: 4, cache: RNNFixtures.cache)
        XCTAssertEqual(split.batchTile, 4, "3 heads × 2 tiles: every one of 4 threads has an item")
        XCTAssertFalse(plan.recurrentFitsL2, "a 1 MiB head leaves no room in a 1 MiB L2")
        let half = TilingPlan(shape: try RNNShape(cell: .lstm, batch: 8, steps: 1, heads: 6, headDim: 128), threads: 1, cache: RNNFixtures.cache)
        XCTAssertTrue(half.recurrentFitsL2, "256 KiB fits half of 1 MiB")
    }

    func testCacheSizesParse() {
        XCTAssertEqual(CacheTopology.parseSize("32K"), 32768)
        XCTAssertEqual(CacheTopology.parseSize("1024K"), 1 << 20)
        XCTAssertEqual(CacheTopology.parseSize("8M"), 8 << 20)
        XCTAssertEqual(CacheTopology.parseSize("512"), 512)
        XCTAssertNil(CacheTopology.parseSize("lots"))
        XCTAssertNil(CacheTopology.parseSize(""))
    }

    func testReadsSysfsLayoutAndFallsBack() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-cache-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        for (index, level, type, size) in [(0, "1", "Data", "48K"), (1, "1", "Instruction", "32K"), (2, "2", "Unified", "2048K")] {
            let dir = root.appendingPathComponent("index\(index)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try "\(level)\n".write(to: dir.appendingPathComponent("level"), atomically: true, encoding: .utf8)
            try "\(type)\n".write(to: dir.appendingPathComponent("type"), atomically: true, encoding: .utf8)
            try "\(size)\n".write(to: dir.appendingPathComponent("size"), atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(CacheTopology.current(root: root.path), CacheTopology(l1Data: 48 << 10, l2: 2 << 20, source: .sysfs))
        XCTAssertEqual(CacheTopology.current(root: root.path + "/missing"), .fallback)
    }
}
