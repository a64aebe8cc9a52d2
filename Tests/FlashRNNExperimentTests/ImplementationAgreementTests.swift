import HarnessCore
import LinearAlgebra
import XCTest
@testable import FlashRNNExperiment

/// The three Float32 implementations agree with the Float64 reference on every cell, at shapes
/// that exercise the fused kernel's vector widths and scalar tails and its tiling choices.
final class ImplementationAgreementTests: XCTestCase {
    /// Float32 against Float64 after at most 40 steps of a contracting recurrence.
    let tolerance = 1e-4

    func testAllImplementationsMatchReference() throws {
        let shapes = [(batch: 3, steps: 9, heads: 2, headDim: 8), (batch: 1, steps: 5, heads: 3, headDim: 3),
                      (batch: 4, steps: 12, heads: 1, headDim: 16), (batch: 2, steps: 40, heads: 2, headDim: 5)]
        for cell in RNNCell.allCases {
            for s in shapes {
                let problem = try RNNFixtures.problem(cell, batch: s.batch, steps: s.steps, heads: s.heads, headDim: s.headDim)
                let reference = ReferenceForward.run(problem, as: Double.self)
                let plan = TilingPlan(shape: problem.shape, threads: 2, cache: RNNFixtures.cache)
                for (name, output) in [("vanilla", VanillaForward.run(problem)), ("alternating", AlternatingForward.run(problem)),
                                       ("alternating-simd", AlternatingForward.run(problem, product: .portableSIMD)),
                                       ("fused", FusedForward.run(problem, plan: plan))] {
                    let error = AgreementCheck.maxError(output, reference)
                    XCTAssertLessThan(error, tolerance, "\(cell) \(s) \(name)")
                }
            }
        }
    }

    /// A tiny L2 forces one-row batch tiles (so 6-, 4-, 3-, 2- and 1-row register blocks all
    /// meet the same rows); the result must not change.
    func testFusedResultDoesNotDependOnTiles() throws {
        for cell in RNNCell.allCases {
            let problem = try RNNFixtures.problem(cell, batch: 11, steps: 6, heads: 2, headDim: 16)
            let wide = TilingPlan(shape: problem.shape, threads: 1, cache: RNNFixtures.cache)
            let narrow = TilingPlan(shape: problem.shape, threads: 1, cache: CacheTopology(l1Data: 1024, l2: 1024))
            XCTAssertEqual(wide.batchTile, 11)
            XCTAssertEqual(narrow.batchTile, 1, "the test needs two different batch tiles")
            let a = FusedForward.run(problem, plan: wide), b = FusedForward.run(problem, plan: narrow)
            XCTAssertTrue(AgreementCheck.bitIdentical(a, b), "\(cell)")
        }
    }

    /// Threads run over heads and batch tiles with disjoint outputs: bit-identical for any count.
    func testFusedIsBitIdenticalForAnyThreadCount() throws {
        for cell in RNNCell.allCases {
            let problem = try RNNFixtures.problem(cell, batch: 6, steps: 8, heads: 3, headDim: 8)
            let single = FusedForward.run(problem, plan: TilingPlan(shape: problem.shape, threads: 1, cache: RNNFixtures.cache))
            for threads in [2, 3, 4, 7] {
                let plan = TilingPlan(shape: problem.shape, threads: threads, cache: RNNFixtures.cache)
                XCTAssertLessThanOrEqual(plan.workers, min(threads, plan.workItems))
                XCTAssertTrue(AgreementCheck.bitIdentical(single, FusedForward.run(problem, plan: plan)), "\(cell) threads=\(threads)")
            }
        }
    }

    /// The Float32 sgemm wrapper on strided operands against a plain triple loop.
    func testSinglePrecisionGemmWithLeadingDimensions() {
        let (m, n, k, lda, ldb, ldc) = (3, 5, 4, 7, 6, 9)
        let a = (0..<(m * lda)).map { Float($0 % 5) - 2 }, b = (0..<(k * ldb)).map { Float($0 % 7) * 0.5 - 1 }
        var c = [Float](repeating: 100, count: m * ldc)
        c.withUnsafeMutableBufferPointer { SinglePrecisionBLAS.gemm(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: $0.baseAddress!, ldc: ldc) }
        for i in 0..<m {
            for j in 0..<ldc {
                let expected: Float = j < n ? (0..<k).reduce(0) { $0 + a[i * lda + $1] * b[$1 * ldb + j] } : 100
                XCTAssertEqual(c[i * ldc + j], expected, "(\(i), \(j))")
            }
        }
    }
}
