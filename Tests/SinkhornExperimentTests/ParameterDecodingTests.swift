import HarnessCore
import TestSupport
import XCTest
@testable import SinkhornExperiment

/// `SinkhornConvergenceExperiment.decodeParameters` is strict and its errors name the key.
final class ParameterDecodingTests: XCTestCase {
    private let valid: [String: ManifestValue] = [
        "cases": .array([.string("random-assignment")]),
        "n": .array([.integer(8), .integer(16)]),
        "eta": .array([.float(50)]),
        "max_sinkhorn_iterations": .integer(1000),
    ]

    private func decode(_ changes: [String: ManifestValue], removing removed: [String] = []) throws -> SinkhornConvergenceExperiment.Parameters {
        var entries = valid.merging(changes) { $1 }
        for key in removed { entries[key] = nil }
        return try SinkhornConvergenceExperiment.decodeParameters(ParameterTable(file: "suites/sinkhorn.toml", path: "presets.smoke", entries: entries))
    }

    private func rejection(_ changes: [String: ManifestValue], removing removed: [String] = [], file: StaticString = #filePath, line: UInt = #line) -> ManifestError? {
        let error = manifestError { _ = try decode(changes, removing: removed) }
        XCTAssertNotNil(error, "accepted \(changes)", file: file, line: line)
        XCTAssertEqual(error?.file, "suites/sinkhorn.toml", file: file, line: line)
        return error
    }

    func testValidTableDecodesWithDefaults() throws {
        let parameters = try decode([:])
        XCTAssertEqual(parameters.cases, [.randomAssignment])
        XCTAssertEqual(parameters.n, [8, 16])
        XCTAssertEqual(parameters.eta, [50])
        XCTAssertEqual(parameters.maxSinkhornIterations, 1000)
        XCTAssertEqual(parameters.targetError, 1e-10)
        XCTAssertEqual(parameters.warmupSinkhornSteps, 20)
        XCTAssertEqual(parameters.maxNewtonIterations, 100)
        XCTAssertEqual(parameters.droppedMass, 1e-4)
        // Boundaries that are allowed.
        XCTAssertNoThrow(try decode(["n": .array([.integer(2), .integer(SinkhornConvergenceExperiment.largestSize)])]))
        XCTAssertNoThrow(try decode(["dropped_mass": .float(0)]))
    }

    func testUnknownKey() {
        let error = rejection(["droped_mass": .float(0.1)])
        XCTAssertEqual(error?.keyPath, "presets.smoke.droped_mass")
        XCTAssertEqual(error?.problem, "unknown key")
        XCTAssertTrue(error?.description.contains("presets.smoke.droped_mass") ?? false)
        XCTAssertTrue(error?.hint?.contains("dropped_mass") ?? false, "no did-you-mean: \(String(describing: error?.hint))")
    }

    func testMissingRequiredKey() {
        let error = rejection([:], removing: ["max_sinkhorn_iterations"])
        XCTAssertEqual(error?.keyPath, "presets.smoke.max_sinkhorn_iterations")
    }

    func testEmptyCases() {
        let error = rejection(["cases": .array([])])
        XCTAssertEqual(error?.keyPath, "presets.smoke.cases")
        XCTAssertTrue(error?.problem.contains("at least one case") ?? false)
    }

    func testSizeOutOfRange() {
        for bad in [1, 0, -4, SinkhornConvergenceExperiment.largestSize + 1] {
            let error = rejection(["n": .array([.integer(8), .integer(bad)])])
            XCTAssertEqual(error?.keyPath, "presets.smoke.n")
            XCTAssertTrue(error?.problem.contains("size \(bad) out of range") ?? false, "\(String(describing: error))")
        }
    }

    func testBadEta() {
        for bad: ManifestValue in [.float(-1), .integer(0), .float(.nan), .float(.infinity)] {
            let error = rejection(["eta": .array([.float(10), bad])])
            XCTAssertEqual(error?.keyPath, "presets.smoke.eta", "\(bad)")
            XCTAssertTrue(error?.problem.contains("positive and finite") ?? false)
        }
    }

    func testDroppedMassMustBeBelowOne() {
        for bad in [1.0, 1.5, -0.1, .nan] {
            let error = rejection(["dropped_mass": .float(bad)])
            XCTAssertEqual(error?.keyPath, "presets.smoke.dropped_mass", "\(bad)")
            XCTAssertTrue(error?.problem.contains("[0, 1)") ?? false)
        }
    }

    func testOtherRanges() {
        XCTAssertEqual(rejection(["target_error": .float(0)])?.keyPath, "presets.smoke.target_error")
        XCTAssertEqual(rejection(["target_error": .float(.nan)])?.keyPath, "presets.smoke.target_error")
        XCTAssertEqual(rejection(["max_sinkhorn_iterations": .integer(0)])?.keyPath, "presets.smoke.max_sinkhorn_iterations")
        XCTAssertEqual(rejection(["warmup_sinkhorn_steps": .integer(-1)])?.keyPath, "presets.smoke.warmup_sinkhorn_steps")
        XCTAssertEqual(rejection(["max_newton_iterations": .integer(0)])?.keyPath, "presets.smoke.max_newton_iterations")
    }

    func testUnknownCaseNameListsAllowedNames() {
        let error = rejection(["cases": .array([.string("random-assignment"), .string("mnist")])])
        XCTAssertEqual(error?.keyPath, "presets.smoke.cases[1]")
        XCTAssertTrue(error?.problem.contains("mnist") ?? false)
        let description = error?.description ?? ""
        for kind in TransportCase.allCases {
            XCTAssertTrue(description.contains("\"\(kind.rawValue)\""), "“\(description)” does not list \(kind.rawValue)")
        }
    }

    func testWrongType() {
        let error = rejection(["n": .integer(8)])
        XCTAssertEqual(error?.keyPath, "presets.smoke.n")
        XCTAssertTrue(error?.problem.contains("array") ?? false)
    }
}
