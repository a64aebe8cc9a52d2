import HarnessCore
import TestSupport
import XCTest

/// How each metric class is compared with its golden value.
final class GoldenToleranceTests: XCTestCase {
    private func declaration(golden: [[String: ManifestValue]]) throws -> SuiteDeclaration { try toleranceDeclaration(golden: golden) }

    private func record(_ metrics: [MetricName: Metric]) -> RunRecord { syntheticRecord(metrics) }

    private func statuses(golden: [MetricName: Metric], now: [MetricName: Metric], tolerances: [[String: ManifestValue]]) throws -> [String: GoldenComparison.Status] {
        let comparison = try GoldenComparison(
            record: record(now), golden: GoldenFile(record: record(golden), reason: "test"), declaration: declaration(golden: tolerances))
        return Dictionary(uniqueKeysWithValues: comparison.rows.map { ($0.metric, $0.status) })
    }

    func testRelativeAndAbsoluteTolerancesAdd() throws {
        let tolerance: [[String: ManifestValue]] = [["metric": .string("*iterations"), "rel": .float(0.02), "abs": .integer(2)]]
        // allowed = 2 + 0.02·100 = 4
        XCTAssertEqual(try statuses(golden: ["iterations": .numeric(100)], now: ["iterations": .numeric(104)], tolerances: tolerance)["iterations"], .pass)
        XCTAssertEqual(try statuses(golden: ["iterations": .numeric(100)], now: ["iterations": .numeric(104.5)], tolerances: tolerance)["iterations"], .deviated)
    }

    func testFirstMatchingPatternWins() throws {
        let tolerances: [[String: ManifestValue]] = [
            ["metric": .string("a/cost"), "rel": .float(1e-12)],
            ["metric": .string("*/cost"), "rel": .float(0.5)],
        ]
        let result = try statuses(
            golden: ["a/cost": .numeric(1), "b/cost": .numeric(1)], now: ["a/cost": .numeric(1.1), "b/cost": .numeric(1.1)],
            tolerances: tolerances)
        XCTAssertEqual(result["a/cost"], .deviated)
        XCTAssertEqual(result["b/cost"], .pass)
    }

    func testStochasticMetricsUseCombinedStandardErrors() throws {
        let tolerance: [[String: ManifestValue]] = [["metric": .string("share"), "sigmas": .integer(3)]]
        let golden: [MetricName: Metric] = ["share": Metric(0.5, unit: "1", class: .stochastic, standardError: 0.03)]
        // combined σ = √(0.03² + 0.04²) = 0.05, allowed 0.15
        let near: [MetricName: Metric] = ["share": Metric(0.64, unit: "1", class: .stochastic, standardError: 0.04)]
        let far: [MetricName: Metric] = ["share": Metric(0.66, unit: "1", class: .stochastic, standardError: 0.04)]
        XCTAssertEqual(try statuses(golden: golden, now: near, tolerances: tolerance)["share"], .pass)
        XCTAssertEqual(try statuses(golden: golden, now: far, tolerances: tolerance)["share"], .deviated)
    }

    func testTimingsAreNeverCompared() throws {
        let result = try statuses(golden: ["t": .timing(1, unit: "s")], now: ["t": .timing(100, unit: "s")], tolerances: [])
        XCTAssertTrue(result.isEmpty, "timings appeared in a golden comparison: \(result)")
    }

    func testUnitOrClassChangeFails() throws {
        let tolerance: [[String: ManifestValue]] = [["metric": .string("x"), "rel": .float(1)]]
        XCTAssertEqual(try statuses(golden: ["x": .numeric(1, unit: "s")], now: ["x": .numeric(1, unit: "ms")], tolerances: tolerance)["x"], .changedKind)
        XCTAssertEqual(try statuses(golden: ["x": .numeric(1)], now: ["x": .exact(1)], tolerances: tolerance)["x"], .changedKind)
    }

    func testNaNAndInfinities() throws {
        let tolerance: [[String: ManifestValue]] = [["metric": .string("*"), "rel": .float(1e-9)]]
        XCTAssertEqual(try statuses(golden: ["x": .numeric(.nan)], now: ["x": .numeric(.nan)], tolerances: tolerance)["x"], .pass)
        XCTAssertEqual(try statuses(golden: ["x": .numeric(.nan)], now: ["x": .numeric(1)], tolerances: tolerance)["x"], .deviated)
        XCTAssertEqual(try statuses(golden: ["x": .numeric(.infinity)], now: ["x": .numeric(.infinity)], tolerances: tolerance)["x"], .pass)
        XCTAssertEqual(try statuses(golden: ["x": .numeric(.infinity)], now: ["x": .numeric(1e300)], tolerances: tolerance)["x"], .deviated)
    }
}
