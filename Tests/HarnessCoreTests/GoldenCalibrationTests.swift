import Foundation
import HarnessCore
import TestSupport
import XCTest

/// Determinism classes measured from perturbed reruns, and the tolerances `check` derives from them.
final class GoldenCalibrationTests: XCTestCase {
    private let haswell = GoldenFile.Perturbation(blasCore: "Haswell", threads: 1)
    private let twoThreads = GoldenFile.Perturbation(blasCore: "Zen", threads: 2)

    private func record(_ metrics: [MetricName: Metric], claims: [ClaimResult] = []) -> RunRecord { syntheticRecord(metrics, claims: claims) }

    /// A claim result as a run record stores it.
    private func claim(_ id: String, _ verdict: Verdict, timing: Bool = false) -> ClaimResult {
        let json = """
            {"id": "\(id)", "statement": "", "metric": "x", "predicate": "≥ 1", "paper_value": "", "observations": [],
             "verdict": "\(verdict.rawValue)", "is_timing": \(timing), "deciding": "x"}
            """
        return try! CanonicalJSON.decode(ClaimResult.self, from: Data(json.utf8))
    }

    private func declaration(golden: [[String: ManifestValue]]) throws -> SuiteDeclaration { try toleranceDeclaration(golden: golden) }

    func testIdenticalRunsMakeAMetricExactAndMovedOnesKeepTheirClassWithTheirSpread() throws {
        let base = record(["count": .numeric(10), "cost": .numeric(1.0), "time": .timing(3, unit: "s")])
        let outcome = try GoldenCalibration.calibrate(base: base, perturbed: [
            (haswell, record(["count": .numeric(10), "cost": .numeric(1.0 + 3e-12), "time": .timing(9, unit: "s")])),
            (twoThreads, record(["count": .numeric(10), "cost": .numeric(1.0 - 1e-12), "time": .timing(1, unit: "s")])),
        ])
        XCTAssertEqual(outcome.metrics["count"]?.metricClass, .exact)
        XCTAssertEqual(outcome.metrics["count"]?.declaredClass, .numeric)
        XCTAssertEqual(outcome.metrics["count"]?.spread, 0)
        XCTAssertEqual(outcome.metrics["cost"]?.metricClass, .numeric)
        XCTAssertEqual(outcome.metrics["cost"]?.spread, (1.0 + 3e-12) - 1.0, "the largest deviation, not the last")
        XCTAssertNil(outcome.metrics["time"], "timings are never golden values")
    }

    func testADeclaredExactMetricThatMovesIsAnErrorNotATolerance() {
        let base = record(["checksum": .exact(42)])
        XCTAssertThrowsError(try GoldenCalibration.calibrate(base: base, perturbed: [(haswell, record(["checksum": .exact(43)]))])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("checksum is declared exact"), text)
            XCTAssertTrue(text.contains("Haswell × 1 thread"), text)
        }
    }

    func testAMetricMissingFromAPerturbedRunOrNaNInOnlyOneIsAnError() {
        let base = record(["a": .numeric(1), "b": .numeric(2)])
        XCTAssertThrowsError(try GoldenCalibration.calibrate(base: base, perturbed: [(haswell, record(["a": .numeric(1)]))]))
        XCTAssertThrowsError(try GoldenCalibration.calibrate(base: base, perturbed: [(haswell, record(["a": .numeric(.nan), "b": .numeric(2)]))]))
        XCTAssertNoThrow(try GoldenCalibration.calibrate(
            base: record(["a": .numeric(.nan)]), perturbed: [(haswell, record(["a": .numeric(.nan)]))]))
    }

    func testAClaimWhoseVerdictDiffersBetweenRunsIsFragileButTimingClaimsAreNot() throws {
        let base = record(["x": .numeric(1)], claims: [claim("slope", .reproduced), claim("speed", .reproduced, timing: true), claim("steady", .notReproduced)])
        let other = record(["x": .numeric(1)], claims: [claim("slope", .inconclusive), claim("speed", .notReproduced, timing: true), claim("steady", .notReproduced)])
        let outcome = try GoldenCalibration.calibrate(base: base, perturbed: [(haswell, other)])
        XCTAssertEqual(outcome.fragile, ["slope": [.reproduced, .inconclusive]])
    }

    func testCheckAllowsTheLargerOfTheDeclaredToleranceAndFourTimesTheSpread() throws {
        let base = record(["cost": .numeric(100)])
        let calibrated = try GoldenCalibration.calibrate(base: base, perturbed: [(haswell, record(["cost": .numeric(100.5)]))])
        let golden = GoldenFile(
            record: base, reason: "t", metrics: calibrated.metrics, fragile: calibrated.fragile,
            calibration: GoldenFile.Calibration(runs: [haswell], spreadMultiple: 4, seconds: 0))
        let declared = try declaration(golden: [["metric": .string("cost"), "abs": .float(0.1)]])
        func status(_ now: Double) throws -> GoldenComparison.Status {
            try GoldenComparison(record: record(["cost": .numeric(now)]), golden: golden, declaration: declared).rows[0].status
        }
        // spread 0.5 → 4 × 0.5 = 2 beats the declared 0.1.
        XCTAssertEqual(try status(101.9), .pass)
        XCTAssertEqual(try status(98.1), .pass)
        XCTAssertEqual(try status(102.1), .deviated)
        // Without the spread only the declared tolerance remains.
        let uncalibrated = GoldenFile(record: base, reason: "t")
        XCTAssertEqual(try GoldenComparison(record: record(["cost": .numeric(100.5)]), golden: uncalibrated, declaration: declared).rows[0].status, .deviated)
        XCTAssertTrue(try GoldenComparison(record: record(["cost": .numeric(101)]), golden: golden, declaration: declared).rows[0].tolerance.contains("4×spread"))
    }

    func testAMetricMeasuredExactButDeclaredNumericIsComparedUnderItsDeclaredTolerance() throws {
        let base = record(["cost": .numeric(2.5)])
        let calibrated = try GoldenCalibration.calibrate(base: base, perturbed: [(haswell, record(["cost": .numeric(2.5)]))])
        XCTAssertEqual(calibrated.metrics["cost"]?.metricClass, .exact)
        let golden = GoldenFile(
            record: base, reason: "t", metrics: calibrated.metrics, fragile: [:],
            calibration: GoldenFile.Calibration(runs: [haswell], spreadMultiple: 4, seconds: 0))
        let declared = try declaration(golden: [["metric": .string("cost"), "rel": .float(1e-9)]])
        func status(_ now: Double) throws -> GoldenComparison.Status {
            try GoldenComparison(record: record(["cost": .numeric(now)]), golden: golden, declaration: declared).rows[0].status
        }
        XCTAssertEqual(try status(2.5), .pass, "the run declares the class the golden records as declared_class")
        XCTAssertEqual(try status(2.5 * (1 + 5e-10)), .pass)
        XCTAssertEqual(try status(2.5 * (1 + 5e-9)), .deviated)
    }

    func testAFragileClaimIsReportedAsFragileWhenItReadsAVerdictSeenAtCalibration() throws {
        let base = record(["x": .numeric(1)], claims: [claim("slope", .reproduced)])
        let golden = GoldenFile(
            record: base, reason: "t", metrics: GoldenFile(record: base, reason: "t").metrics,
            fragile: ["slope": [.reproduced, .inconclusive]],
            calibration: GoldenFile.Calibration(runs: [haswell], spreadMultiple: 4, seconds: 0))
        let declared = try declaration(golden: [["metric": .string("x"), "rel": .float(0)]])
        func status(_ verdict: Verdict) throws -> GoldenComparison.Status {
            try GoldenComparison(record: record(["x": .numeric(1)], claims: [claim("slope", verdict)]), golden: golden, declaration: declared)
                .claims[0].status
        }
        XCTAssertEqual(try status(.reproduced), .fragile)
        XCTAssertEqual(try status(.inconclusive), .fragile)
        XCTAssertEqual(try status(.notReproduced), .deviated, "a verdict never seen at calibration is a regression")
        XCTAssertFalse(GoldenComparison.Status.fragile.isFailure)
    }
}
