import HarnessCore
import TestSupport
import XCTest
@testable import SinkhornExperiment

/// The plan describes what a run really reports, and refuses what would not fit.
final class PlanTests: XCTestCase {
    func testReducedSmokeRunReportsExactlyThePlannedMetricsAndTables() throws {
        // The committed smoke preset (all four cases), at a size that runs in a second.
        let parameters = try SinkhornConvergenceExperiment.decodeParameters(try committedPreset(
            "sinkhorn", changes: ["n": .array([.integer(12)]), "eta": .array([.integer(20), .float(60.5)]), "max_sinkhorn_iterations": .integer(400)]))
        XCTAssertEqual(parameters.cases.count, 4)
        let planned = SinkhornConvergenceExperiment.plannedOutput(parameters)
        let output = try SinkhornConvergenceExperiment.run(parameters, context: RunContext(seed: 3))
        XCTAssertEqual(planned.differences(from: output), [])
        // 4 cases × 2 η × 16 per cell, random assignment's 3 replicate means per η, and per case the
        // sparsity sweep's dropped mass at each sparsity_eta and warm-up factor plus its two growths.
        let sweep = parameters.sparsityEta.count + parameters.sparsityWarmupFactors.count + 2
        XCTAssertEqual(planned.metrics.count, 4 * 2 * 16 + (parameters.replicates >= 2 ? 2 * 3 : 0) + 4 * sweep)
    }

    func testPeakMemoryGrowsWithTheSquareOfTheLargestSize() throws {
        let small = try SinkhornConvergenceExperiment.decodeParameters(try committedPreset("sinkhorn", changes: ["n": .array([.integer(1000)])]))
        let large = try SinkhornConvergenceExperiment.decodeParameters(try committedPreset("sinkhorn", changes: ["n": .array([.integer(500), .integer(4000)])]))
        let fixed = SinkhornConvergenceExperiment.peakMemory(small).bytes - 64 * 1000 * 1000
        XCTAssertEqual(SinkhornConvergenceExperiment.peakMemory(large).bytes - 64 * 4000 * 4000, fixed)
        XCTAssertEqual(SinkhornConvergenceExperiment.peakMemory(large).keys, ["n"])
    }

    func testEveryCountKeyHasAnUpperBound() {
        for (key, value, text) in [("max_sinkhorn_iterations", ManifestValue.integer(Int.max), "at most 10000000"),
                                   ("max_newton_iterations", .integer(1 << 40), "must be in 1…100000"),
                                   ("warmup_sinkhorn_steps", .integer(1 << 40), "must be in 0…100000"),
                                   ("eta", .array([.float(1e300)]), "above 1e6"),
                                   ("target_error", .float(5), "at most 1"),
                                   ("n", .array([.integer(300), .integer(300)]), "once")] {
            let error = manifestError { _ = try SinkhornConvergenceExperiment.decodeParameters(try committedPreset("sinkhorn", changes: [key: value])) }
            XCTAssertEqual(error?.keyPath, "presets.smoke.\(key)")
            XCTAssertTrue(error.map { "\($0)".contains(text) } ?? false, "\(String(describing: error))")
        }
    }
}
