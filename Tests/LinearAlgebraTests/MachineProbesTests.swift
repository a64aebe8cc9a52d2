import HarnessCore
import XCTest
import LinearAlgebra

/// The probes are benchmarks: these tests only check that they return sane, finite numbers on
/// small sizes (debug build), never any speed.
final class MachineProbesTests: XCTestCase {
    func testMemoryBandwidthReturnsPositiveFiniteNumbers() {
        for threads in [1, 2] {
            let probe = MachineProbes.memoryBandwidth(threads: threads, bytes: 1 << 20, repetitions: 2)
            XCTAssertTrue(probe.bytesPerSecond.isFinite && probe.bytesPerSecond > 0)
            XCTAssertTrue(probe.seconds.isFinite && probe.seconds > 0)
            XCTAssertEqual(probe.bytes, 1 << 20)
            XCTAssertEqual(probe.samples.count, 2)
            // 1 MiB = 128 cycles of 0…1023.
            XCTAssertEqual(probe.checksum, 128 * 1023 * 1024 / 2)
        }
    }

    func testGemmPeakReturnsPositiveFiniteNumbersAndRestoresThreads() {
        let before = BLASRuntime.threads
        let probe = MachineProbes.gemmPeak(threads: 1, dimension: 64, repetitions: 2)
        XCTAssertEqual(BLASRuntime.threads, before)
        XCTAssertEqual(probe.dimension, 64)
        XCTAssertTrue(probe.flopsPerSecond.isFinite && probe.flopsPerSecond > 0)
        XCTAssertEqual(probe.samples.count, 2)
    }

    func testMeasureMachineLimitsFillsTheHarnessStruct() {
        let limits = MachineProbes.measureMachineLimits(threads: 2, bandwidthBytes: 1 << 20, gemmDimension: 64)
        XCTAssertEqual(limits.threads, 2)
        XCTAssertTrue(limits.memoryBandwidth.isFinite && limits.memoryBandwidth > 0)
        XCTAssertTrue(limits.gemmPeak.isFinite && limits.gemmPeak > 0)
    }
}
