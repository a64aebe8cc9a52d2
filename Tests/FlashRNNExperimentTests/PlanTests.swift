import HarnessCore
import TestSupport
import XCTest
@testable import FlashRNNExperiment

/// The plan describes what a run really reports, whatever this machine's caches.
final class PlanTests: XCTestCase {
    func testReducedSmokeRunReportsExactlyThePlannedMetricsAndTables() throws {
        // The committed smoke preset's cells and head-dim structure, on small shapes.
        let parameters = try FlashRNNThroughputExperiment.decodeParameters(try committedPreset("rnn", changes: [
            "check_batch": .integer(2), "check_steps": .integer(4), "check_hidden": .integer(16), "check_head_dims": .array([.integer(8), .integer(16)]),
            "throughput_hidden": .integer(32), "throughput_head_dims": .array([.integer(8), .integer(32)]), "throughput_tokens": .integer(8),
            "warmups": .integer(0), "probe_bandwidth_mib": .integer(16), "probe_gemm_dimension": .integer(64),
        ]))
        XCTAssertEqual(parameters.cells.count, 4)
        let planned = FlashRNNThroughputExperiment.plannedOutput(parameters)
        let output = try FlashRNNThroughputExperiment.run(parameters, context: RunContext(seed: 3))
        XCTAssertEqual(planned.differences(from: output), [])
    }

    func testTheIssuesShapesAreRefusedOrSized() throws {
        let tokens = manifestError {
            _ = try FlashRNNThroughputExperiment.decodeParameters(try committedPreset("rnn", changes: ["throughput_tokens": .integer(1 << 62)]))
        }
        XCTAssertEqual(tokens?.keyPath, "presets.smoke.throughput_tokens")
        let huge = try FlashRNNThroughputExperiment.decodeParameters(try committedPreset(
            "rnn", changes: ["check_batch": .integer(4096), "check_steps": .integer(4096), "check_hidden": .integer(4096)]))
        let memory = FlashRNNThroughputExperiment.peakMemory(huge)
        XCTAssertGreaterThan(memory.bytes, 1e12)
        XCTAssertEqual(memory.keys, ["check_batch", "check_steps", "check_hidden"])
    }
}
