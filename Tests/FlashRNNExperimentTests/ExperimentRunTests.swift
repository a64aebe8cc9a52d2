import HarnessCore
import XCTest
@testable import FlashRNNExperiment

/// The whole experiment at a tiny preset: metric names and classes, and reproducibility.
final class ExperimentRunTests: XCTestCase {
    static let tinyPreset: [String: ManifestValue] = [
        "cells": .array([.string("lstm"), .string("slstm")]),
        "check_batch": .integer(2), "check_steps": .integer(5), "check_hidden": .integer(16),
        "check_head_dims": .array([.integer(8), .integer(16)]), "error_draws": .integer(4),
        "throughput_hidden": .integer(32), "throughput_head_dims": .array([.integer(8), .integer(32)]),
        "throughput_batches": .array([.integer(1), .integer(2)]), "throughput_tokens": .integer(8),
        "repetitions": .integer(3), "warmups": .integer(0),
        "probe_bandwidth_mib": .integer(16), "probe_gemm_dimension": .integer(64),
    ]

    func run(seed: UInt64, threads: Int) throws -> ExperimentOutput {
        let parameters = try FlashRNNThroughputExperiment.decodeParameters(
            ParameterTable(file: "suites/rnn.toml", path: "presets.smoke", entries: Self.tinyPreset))
        return try FlashRNNThroughputExperiment.run(parameters, context: RunContext(seed: seed, threads: threads))
    }

    func nonTiming(_ output: ExperimentOutput) -> [String: UInt64] {
        Dictionary(uniqueKeysWithValues: output.metrics.filter { $0.value.metricClass != .timing }.map { ($0.key.rawValue, $0.value.value.bitPattern) })
    }

    func testMetricsAndClasses() throws {
        let output = try run(seed: 3, threads: 1)
        for cell in ["lstm", "slstm"] {
            for d in [8, 16] {
                let prefix = "\(cell)/D=\(d)/"
                XCTAssertEqual(output.metrics[MetricName(prefix + "input_checksum")]?.metricClass, .exact)
                XCTAssertEqual(output.metrics[MetricName(prefix + "fused_thread_invariant")]?.value, 1)
                for name in ["vanilla", "alternating", "fused"] {
                    let error = try XCTUnwrap(output.metrics[MetricName(prefix + "max_abs_error_\(name)")])
                    XCTAssertEqual(error.metricClass, .numeric)
                    XCTAssertLessThan(error.value, 1e-4)
                }
            }
        }
        XCTAssertNotNil(output.metrics[MetricName("slstm/D=8/reference_state_sum_m")])
        // The vendor baseline: oneDNN for the LSTM in both layouts; none for the sLSTM.
        for cell in ["lstm"] {
            for name in ["onednn_max_abs_error", "onednn_dense_max_abs_error"] {
                let error = try XCTUnwrap(output.metrics[MetricName("\(cell)/D=8/\(name)")], "\(cell) \(name)")
                XCTAssertEqual(error.metricClass, .numeric)
                XCTAssertLessThan(error.value, 1e-4)
            }
        }
        XCTAssertNil(output.metrics[MetricName("slstm/D=8/onednn_max_abs_error")])
        XCTAssertEqual(output.metrics[MetricName("throughput/D=8/B=2/speedup_fused_vs_onednn_dense")]?.metricClass, .timing)
        // The error over independently drawn problems: a mean with a standard error, whose first
        // draw is the problem checked above, so the maximum over draws bounds it from above.
        for cell in ["lstm", "slstm"] {
            let drawn = try XCTUnwrap(output.metrics[MetricName("\(cell)/D=8/fused_error_mean_over_draws")])
            XCTAssertEqual(drawn.metricClass, .stochastic)
            let standardError = try XCTUnwrap(drawn.standardError)
            XCTAssertGreaterThan(standardError, 0, "independent draws give different errors")
            let interval = try XCTUnwrap(drawn.interval)
            XCTAssertLessThan(interval.lower, drawn.value)
            XCTAssertGreaterThan(interval.upper, drawn.value)
            XCTAssertGreaterThan(drawn.value, 0)
            XCTAssertLessThan(drawn.value, 1e-4)
        }
        for d in [8, 32] {
            for b in [1, 2] {
                let ratio = try XCTUnwrap(output.metrics[MetricName("throughput/D=\(d)/B=\(b)/speedup_vs_vanilla")])
                XCTAssertEqual(ratio.metricClass, .timing)
                XCTAssertNotNil(ratio.interval)
            }
        }
        let table = try XCTUnwrap(output.tables["throughput.csv"])
        XCTAssertEqual(table.rows.count, 2 * 2 * 6, "one row per head dim, batch and implementation (four passes, two oneDNN layouts)")
        XCTAssertEqual(output.tables["speedup_by_batch.csv"]?.rows.count, table.rows.count)
        XCTAssertNotNil(output.notes["tiling/D=32/B=2"])
        XCTAssertTrue(output.notes["onednn"]?.hasPrefix("oneDNN ") ?? false, "the run records oneDNN's version and runtime")
    }

    func testSameSeedSameNumbersAnyThreadCount() throws {
        let a = try run(seed: 9, threads: 1), b = try run(seed: 9, threads: 1), c = try run(seed: 9, threads: 2)
        XCTAssertEqual(nonTiming(a), nonTiming(b))
        XCTAssertEqual(nonTiming(a), nonTiming(c))
        XCTAssertNotEqual(nonTiming(a)["lstm/D=8/input_checksum"], nonTiming(try run(seed: 10, threads: 1))["lstm/D=8/input_checksum"])
    }
}
