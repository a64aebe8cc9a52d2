import HarnessCore
import XCTest
import LinearAlgebra

/// The multiply-add peak probe on every VectorKernels path this CPU runs: its flop count is the
/// work it does (counted by the chains themselves), its rate is that count over its time; never
/// its speed. And the path selection behind `CLAIMBENCH_ISA`.
final class FMAPeakTests: XCTestCase {
    /// With x ← x·1 + 1 from 0 every chain lane ends at its own count of multiply-adds, so the sum
    /// over chains is iterations × (multiply-adds per iteration), and a flop is half of one.
    func testFlopCountIsTheChainsOwnCount() {
        VectorISA.forEachRunnable { isa in
            for precision in [MachineProbes.Precision.float32, .float64] {
                let perIteration = MachineProbes.fmaFlopsPerIteration(precision)
                let lanes = (isa == .avx512 ? 64 : isa == .avx2FMA ? 32 : 16) / (precision == .float32 ? 4 : 8)
                XCTAssertEqual(perIteration % (2 * lanes), 0, "\(isa) \(precision): whole vectors")
                XCTAssertGreaterThanOrEqual(perIteration / (2 * lanes), 8, "\(isa) \(precision): at least 8 chains cover 4-cycle latency × 2 units")
                for iterations in [1, 7, 1000] {
                    XCTAssertEqual(MachineProbes.fmaCount(precision, iterations: iterations), Double(iterations * perIteration / 2),
                                   "\(isa) \(precision) iterations=\(iterations)")
                }
            }
        }
    }

    func testPeakIsPositiveAndIsTheFlopCountOverTheBestTime() {
        for threads in [1, 2] {
            let probe = MachineProbes.fmaPeak(precision: .float32, threads: threads, iterations: 20_000, repetitions: 3)
            XCTAssertTrue(probe.flopsPerSecond.isFinite && probe.flopsPerSecond > 0)
            XCTAssertEqual(probe.samples.count, 3)
            XCTAssertEqual(probe.seconds, probe.samples.min())
            XCTAssertEqual(probe.flopsPerIteration, MachineProbes.fmaFlopsPerIteration(.float32))
            let expected = Double(threads * 20_000 * probe.flopsPerIteration) / probe.seconds
            XCTAssertEqual(probe.flopsPerSecond, expected, accuracy: expected * 1e-12)
            XCTAssertEqual(probe.path, VectorISA.active.description)
        }
    }

    func testPathSelectionByNameAndFingerprint() {
        // Names and refusals of CLAIMBENCH_ISA are tested in VectorISATests.
        let before = VectorISA.active
        var seen: [VectorISA] = []
        VectorISA.forEachRunnable { isa in
            seen.append(isa)
            XCTAssertEqual(VectorISA.active, isa)
            XCTAssertEqual(KernelPaths.current["FusedRNN"]?.hasPrefix(isa.description + " "), true)
        }
        XCTAssertEqual(seen, VectorISA.runnable)
        XCTAssertEqual(seen.first, .baseline)
        XCTAssertEqual(VectorISA.active, before, "restored")
    }
}
