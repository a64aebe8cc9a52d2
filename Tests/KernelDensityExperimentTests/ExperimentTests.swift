import Foundation
import HarnessCore
import LinearAlgebra
import TestSupport
import XCTest
@testable import KernelDensityExperiment

/// The experiment end to end on a tiny preset: reproducibility, regime behaviour, decoding errors.
final class ExperimentTests: XCTestCase {
    private let tiny: [String: ManifestValue] = [
        "dimensions": .array([.integer(8)]),
        "alphas": .array([.float(0.5)]),
        "bandwidth_ratios": .array([.float(0.5), .float(1), .float(2), .float(3)]),
        "queries": .integer(6),
        "replicates": .integer(6),
        "hill_terms": .integer(4),
    ]

    private func decode(_ changes: [String: ManifestValue] = [:]) throws -> KernelDensityRegimesExperiment.Parameters {
        try KernelDensityRegimesExperiment.decodeParameters(
            ParameterTable(file: "suites/kde.toml", path: "presets.smoke", entries: tiny.merging(changes) { $1 }))
    }

    private func rejection(_ changes: [String: ManifestValue], key: String, mentions text: String,
                           file: StaticString = #filePath, line: UInt = #line) {
        let error = manifestError { _ = try decode(changes) }
        XCTAssertEqual(error?.keyPath, "presets.smoke.\(key)", file: file, line: line)
        XCTAssertTrue(error.map { "\($0)".contains(text) } ?? false, "\(String(describing: error))", file: file, line: line)
    }

    func testSameSeedGivesBitIdenticalMetricsWhateverTheThreadCount() throws {
        let parameters = try decode()
        let first = try KernelDensityRegimesExperiment.run(parameters, context: RunContext(seed: 5))
        let again = try KernelDensityRegimesExperiment.run(parameters, context: RunContext(seed: 5))
        let threaded = try KernelDensityRegimesExperiment.run(parameters, context: RunContext(seed: 5, threads: 2))
        // 8 cell metrics + 6 per bandwidth.
        XCTAssertEqual(first.metrics.count, 8 + 6 * 4)
        for (name, metric) in first.metrics {
            for other in [again, threaded] {
                let value = try XCTUnwrap(other.metrics[name], "\(name)")
                XCTAssertEqual(metric.value.bitPattern, value.value.bitPattern, "\(name): \(metric.value) vs \(value.value)")
            }
        }
        XCTAssertEqual(first.tables["points.csv"]?.rendered(), threaded.tables["points.csv"]?.rendered())
        let other = try KernelDensityRegimesExperiment.run(parameters, context: RunContext(seed: 6))
        XCTAssertNotEqual(first.metrics["d=8/alpha=0.5/r=1/largest_share"]?.value, other.metrics["d=8/alpha=0.5/r=1/largest_share"]?.value)
    }

    /// The largest term dominates at small h and is negligible at large h; the IPR follows it.
    func testShareFallsAsTheBandwidthGrows() throws {
        let output = try KernelDensityRegimesExperiment.run(try decode(), context: RunContext(seed: 5))
        let shares = ["0.5", "1", "2", "3"].map { output.metrics[MetricName("d=8/alpha=0.5/r=\($0)/largest_share")]!.value }
        XCTAssertEqual(shares, shares.sorted(by: >))
        XCTAssertGreaterThan(shares[0], 0.7)
        XCTAssertLessThan(shares[3], 0.1)
        let ipr = output.metrics["d=8/alpha=0.5/r=3/inverse_participation"]!.value
        XCTAssertLessThan(ipr, shares[3])  // Σ K² / (Σ K)² ≤ max K / Σ K
        XCTAssertEqual(output.metrics["d=8/alpha=0.5/n"]?.value, 55)  // e^4
        let mu = output.metrics["d=8/alpha=0.5/r=2/hill_tail_index"]!.value / output.metrics["d=8/alpha=0.5/r=1/hill_tail_index"]!.value
        XCTAssertEqual(mu, 4, accuracy: 1e-12)  // μ̂ ∝ h²
    }

    func testHugeMaxPointsQuotesItsOwnValueAndTheCellItWouldLetThrough() {
        // The reproduction: max_points = 9e18 (as an integer) quoted another n than the one it allowed.
        let error = manifestError { _ = try decode(["dimensions": .array([.integer(8), .integer(40)]), "max_points": .integer(9_000_000_000_000_000_000)]) }
        XCTAssertEqual(error?.keyPath, "presets.smoke.max_points")
        let text = error.map { "\($0)" } ?? ""
        XCTAssertTrue(text.contains("max_points = 9000000000000000000 is above the largest sample this suite streams, 10000000 points"), text)
        // d = 40, alpha = 0.5: n = e^20 = 4.85e8, the largest cell the bound lets through.
        XCTAssertTrue(text.contains("n = 4.85e+08 points in d = 40"), text)
        XCTAssertFalse(text.contains("\n"))
    }

    func testBoundsRejectOversizedKeys() {
        rejection(["queries": .integer(1 << 40)], key: "queries", mentions: "at most 65536")
        rejection(["replicates": .integer(Int.max)], key: "replicates", mentions: "at most 100000")
        rejection(["hill_terms": .integer(5000)], key: "hill_terms", mentions: "at most 1000")
        rejection(["alphas": .array([.float(0.5), .float(0.5)])], key: "alphas", mentions: "once")
    }

    func testBadInputNamesTheKey() {
        rejection(["alphas": .array([.float(0.3), .float(0)])], key: "alphas", mentions: "positive")
        rejection(["alphas": .array([.float(-0.2)])], key: "alphas", mentions: "positive")
        rejection(["bandwidth_ratios": .array([.float(0), .float(1), .float(2)])], key: "bandwidth_ratios", mentions: "must be positive")
        rejection(["bandwidth_ratios": .array([.float(2), .float(1), .float(3)])], key: "bandwidth_ratios", mentions: "ascending")
        rejection(["dimensions": .array([.integer(40)]), "alphas": .array([.float(0.45)]), "max_points": .integer(100_000_000)],
                  key: "max_points", mentions: "n = 6.57e+07 points in d = 40 would need 21 GB")
        rejection(["max_points": .integer(20)], key: "max_points", mentions: "no (d, alpha) cell")
        rejection(["replicates": .integer(3)], key: "replicates", mentions: "at least 4")
        rejection(["queries": .integer(1)], key: "queries", mentions: "at least 2")
        let unknown = manifestError { _ = try decode(["replicate": .integer(5)]) }
        XCTAssertEqual(unknown?.keyPath, "presets.smoke.replicate")
    }
}
