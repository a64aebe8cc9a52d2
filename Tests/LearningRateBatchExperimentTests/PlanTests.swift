import HarnessCore
import TestSupport
import XCTest
@testable import LearningRateBatchExperiment

/// The plan describes what a run really reports, and sizes the data before it is drawn.
final class PlanTests: XCTestCase {
    func testReducedSmokeRunReportsExactlyThePlannedMetricsAndTables() throws {
        // The committed smoke preset's models, optimisers and batch sizes, on a small data set and few steps.
        let parameters = try LearningRateBatchExperiment.decodeParameters(try committedPreset("lr-batch", changes: [
            "samples": .integer(1024), "input_dimension": .integer(4), "hidden_units": .integer(3), "logistic_input_dimension": .integer(5),
            "seeds": .integer(2), "training_steps": .integer(6), "refinement_steps": .integer(1), "hessian_batches": .integer(2),
            "lanczos_steps": .integer(4), "variance_samples": .integer(2),
        ]))
        XCTAssertEqual(parameters.models.count, 2)
        let planned = LearningRateBatchExperiment.plannedOutput(parameters)
        let output = try LearningRateBatchExperiment.run(parameters, context: RunContext(seed: 3))
        XCTAssertEqual(planned.differences(from: output), [])
    }

    func testTheIssuesOneMillionByFourThousandDataSetIsSizedNotAllocated() throws {
        // Each key within its range, together 32.8 GB of inputs: the estimate says so before anything is drawn.
        let parameters = try LearningRateBatchExperiment.decodeParameters(try committedPreset(
            "lr-batch", changes: ["samples": .integer(1_000_000), "input_dimension": .integer(4096)]))
        let memory = LearningRateBatchExperiment.peakMemory(parameters)
        XCTAssertGreaterThan(memory.bytes, 1_000_000 * 4096 * 8)
        XCTAssertEqual(Array(memory.keys.prefix(2)), ["samples", "input_dimension"])
    }

    func testCountKeysHaveUpperBounds() {
        for (key, value) in [("seeds", ManifestValue.integer(Int.max)), ("training_steps", .integer(1 << 40)),
                             ("lanczos_steps", .integer(1 << 40)), ("models", .array([.string("mlp"), .string("mlp")]))] {
            let error = manifestError { _ = try LearningRateBatchExperiment.decodeParameters(try committedPreset("lr-batch", changes: [key: value])) }
            XCTAssertEqual(error?.keyPath, "presets.smoke.\(key)", "\(String(describing: error))")
        }
    }
}
