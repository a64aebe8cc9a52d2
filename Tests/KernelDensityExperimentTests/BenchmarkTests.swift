import Foundation
import HarnessCore
import LinearAlgebra
import TestSupport
import XCTest
@testable import KernelDensityExperiment

/// The benchmark's parameters, its baseline, and one tiny run (no assertions on timings).
final class BenchmarkTests: XCTestCase {
    private let valid: [String: ManifestValue] = [
        "dimensions": .array([.integer(6), .integer(17)]),
        "points": .integer(3000),
        "queries": .integer(5),
        "repetitions": .integer(3),
    ]

    private func decode(_ changes: [String: ManifestValue] = [:]) throws -> KernelDensityRegimesExperiment.PerfParameters {
        try KernelDensityRegimesExperiment.decodePerfParameters(
            ParameterTable(file: "suites/kde.toml", path: "perf", entries: valid.merging(changes) { $1 }))
    }

    func testDecodingAndErrors() throws {
        let parameters = try decode()
        XCTAssertEqual(parameters.dimensions, [6, 17])
        XCTAssertEqual(parameters.bandwidths, 14)  // default
        let tooMany = manifestError { _ = try decode(["points": .integer(20_000_000)]) }
        XCTAssertEqual(tooMany?.keyPath, "perf.points")
        XCTAssertTrue(tooMany.map { "\($0)".contains("10000000") } ?? false)
        XCTAssertEqual(manifestError { _ = try decode(["repetitions": .integer(1)]) }?.keyPath, "perf.repetitions")
        XCTAssertEqual(manifestError { _ = try decode(["dimensions": .array([])]) }?.keyPath, "perf.dimensions")
        XCTAssertEqual(manifestError { _ = try decode(["point": .integer(5)]) }?.keyPath, "perf.point")
    }

    /// The baseline computes the same log-sum-exp as the blocked sums.
    func testDirectBaselineAgreesWithTheBlockedSums() throws {
        let streams = RandomStreams(seed: 12)
        let sample = GaussianSample(stream: streams.stream("test/perf"), count: 2500, dimension: 9)
        let queries = Matrix(rows: 4, columns: 9, elements: streams.stream("test/perf/q").normals(36))
        for h in [0.2, 1.0, 3.0] {
            var sums = try KernelSums(queries: queries, bandwidths: [h])
            try sample.accumulate(into: &sums, blockSize: 700)
            let direct = KernelDensityRegimesExperiment.directLogKernelSums(queries: queries, sample: sample.matrix(), bandwidth: h)
            for i in 0..<4 { XCTAssertEqual(sums.logKernelSum(query: i, bandwidth: 0), direct[i], accuracy: 1e-10 * max(1, abs(direct[i]))) }
        }
    }

    func testTinyBenchmarkReportsEveryRatio() throws {
        let limits = MachineLimits(memoryBandwidth: 1e10, gemmPeak: 1e10, threads: 1)
        let output = try KernelDensityRegimesExperiment.benchmark(try decode(), limits: limits, context: RunContext(seed: 1))
        for d in [6, 17] {
            for name in ["gemm_fraction_of_peak", "kernel_sum_fraction_of_peak", "kernel_sum_fraction_of_peak_all_bandwidths",
                         "speedup_over_direct_sum", "kernel_sum_seconds", "kernel_sum_seconds_all_bandwidths"] {
                let metric = try XCTUnwrap(output.metrics[MetricName("d=\(d)/\(name)")], name)
                XCTAssertEqual(metric.metricClass, .timing)
                XCTAssertTrue(metric.value > 0 && metric.value.isFinite, "\(name) = \(metric.value)")
                XCTAssertNotNil(metric.interval)
            }
        }
        // Per d: seven metrics, one row each.
        XCTAssertEqual(output.tables["perf.csv"]?.rows.count, 2 * 7)
    }
}
