import HarnessCore
import TestSupport
import XCTest
@testable import KernelDensityExperiment

/// The plan describes what a run really reports, skipped cells included.
final class PlanTests: XCTestCase {
    func testReducedSmokeRunReportsExactlyThePlannedMetricsAndTables() throws {
        // The committed smoke preset's bandwidth grid, on small cells; d = 40 exceeds max_points and is skipped.
        let parameters = try KernelDensityRegimesExperiment.decodeParameters(try committedPreset("kde", changes: [
            "dimensions": .array([.integer(6), .integer(40)]), "alphas": .array([.float(0.3), .float(0.45)]),
            "queries": .integer(4), "replicates": .integer(4), "max_points": .integer(100),
        ]))
        let planned = KernelDensityRegimesExperiment.plannedOutput(parameters)
        let output = try KernelDensityRegimesExperiment.run(parameters, context: RunContext(seed: 3))
        XCTAssertEqual(planned.differences(from: output), [])
        // n = 7 and 15 points here, below min_points_for_share_claims: no share-claims/ metrics.
        XCTAssertEqual(planned.metrics.count, 2 * (10 + 6 * parameters.bandwidthRatios.count))
        XCTAssertNotNil(output.notes["skipped_cells"])
    }

    func testPeakMemoryDoesNotGrowWithTheSampleSize() throws {
        let small = try KernelDensityRegimesExperiment.decodeParameters(try committedPreset("kde", changes: ["max_points": .integer(1000)]))
        let large = try KernelDensityRegimesExperiment.decodeParameters(try committedPreset("kde", changes: ["max_points": .integer(10_000_000)]))
        XCTAssertEqual(KernelDensityRegimesExperiment.peakMemory(small), KernelDensityRegimesExperiment.peakMemory(large))
        let more = try KernelDensityRegimesExperiment.decodeParameters(try committedPreset("kde", changes: ["replicates": .integer(1000)]))
        XCTAssertGreaterThan(KernelDensityRegimesExperiment.peakMemory(more).bytes, KernelDensityRegimesExperiment.peakMemory(small).bytes)
    }
}
