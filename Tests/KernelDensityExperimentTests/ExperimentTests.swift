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
        "min_points_for_share_claims": .integer(1000),
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
        // 10 cell metrics (with sample_checksum) + 6 per bandwidth; n = 55 < 1000, so no share-claims metrics.
        XCTAssertEqual(first.metrics.count, 10 + 6 * 4)
        XCTAssertFalse(first.metrics.keys.contains { $0.rawValue.hasPrefix("share-claims/") })
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

    /// Measured metrics carry a jackknife standard error over the replicates and a 95% t-interval
    /// around the value; theory values and n do not.
    func testMeasuredMetricsAreStochasticWithIntervals() throws {
        let output = try KernelDensityRegimesExperiment.run(try decode(), context: RunContext(seed: 5))
        for name in ["r=1/largest_share", "r=1/inverse_participation", "r=1/relative_variance", "r=1/excess_kurtosis",
                     "r=1/kl_per_dimension", "r=1/hill_tail_index", "share_crossover_over_h_g", "kl_optimal_tail_index"] {
            let metric = try XCTUnwrap(output.metrics[MetricName("d=8/alpha=0.5/" + name)], name)
            XCTAssertEqual(metric.metricClass, .stochastic, name)
            let interval = try XCTUnwrap(metric.interval, name)
            XCTAssertLessThanOrEqual(interval.lower, metric.value, name)
            XCTAssertGreaterThanOrEqual(interval.upper, metric.value, name)
            if let se = metric.standardError {
                // Six replicates: t_{0.975, 5} = 2.571.
                XCTAssertEqual(interval.upper - metric.value, 2.571 * se, accuracy: 1e-12 * max(1, abs(metric.value)), name)
                XCTAssertGreaterThan(se, 0, name)
            }
        }
        XCTAssertEqual(output.metrics["d=8/alpha=0.5/h_g"]?.metricClass, .numeric)
        XCTAssertEqual(output.metrics["d=8/alpha=0.5/n"]?.metricClass, .exact)
        // The KL optimum as a tail index is (h_KL/h_G)².
        let overHG = try XCTUnwrap(output.metrics["d=8/alpha=0.5/kl_optimal_h_over_h_g"]).value
        XCTAssertEqual(try XCTUnwrap(output.metrics["d=8/alpha=0.5/kl_optimal_tail_index"]).value, overHG * overHG, accuracy: 1e-12)
    }

    /// Cells with at least `min_points_for_share_claims` points repeat their share metrics, with the
    /// same values, under `share-claims/`; smaller cells do not.
    func testShareClaimMetricsOnlyForLargeEnoughCells() throws {
        let output = try KernelDensityRegimesExperiment.run(try decode(["min_points_for_share_claims": .integer(55)]), context: RunContext(seed: 5))
        XCTAssertEqual(output.metrics.count, 10 + 6 * 4 + 1 + 4)
        for r in ["0.5", "1", "2", "3"] {
            XCTAssertEqual(output.metrics[MetricName("share-claims/d=8/alpha=0.5/r=\(r)/largest_share")],
                           output.metrics[MetricName("d=8/alpha=0.5/r=\(r)/largest_share")])
        }
        XCTAssertNotNil(output.metrics["share-claims/d=8/alpha=0.5/share_crossover_over_h_g"])
        let tooFew = try KernelDensityRegimesExperiment.run(try decode(["min_points_for_share_claims": .integer(56)]), context: RunContext(seed: 5))
        XCTAssertFalse(tooFew.metrics.keys.contains { $0.rawValue.hasPrefix("share-claims/") })
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
        rejection(["min_points_for_share_claims": .integer(0)], key: "min_points_for_share_claims", mentions: "at least 1")
        let missing = manifestError { _ = try KernelDensityRegimesExperiment.decodeParameters(ParameterTable(
            file: "suites/kde.toml", path: "presets.smoke", entries: self.tiny.filter { $0.key != "min_points_for_share_claims" })) }
        XCTAssertEqual(missing?.keyPath, "presets.smoke.min_points_for_share_claims")
        let unknown = manifestError { _ = try decode(["replicate": .integer(5)]) }
        XCTAssertEqual(unknown?.keyPath, "presets.smoke.replicate")
    }
}
