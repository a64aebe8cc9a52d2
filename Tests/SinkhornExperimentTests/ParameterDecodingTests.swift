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
        XCTAssertEqual(parameters.rhoN, 2)                      // the paper's ρ = 2/n
        XCTAssertEqual(parameters.diagnosticDroppedMass, 1e-7)
        XCTAssertEqual(parameters.replicates, 1)
        XCTAssertEqual(parameters.pixelFloor, 1)
        XCTAssertEqual(parameters.perCase, [])
        XCTAssertEqual(parameters.settings(for: .densitiesW1).sparsification, .keepCount(perRow: 2))
        // Boundaries that are allowed.
        XCTAssertNoThrow(try decode(["n": .array([.integer(2), .integer(SinkhornConvergenceExperiment.largestSize)])]))
        XCTAssertNoThrow(try decode(["diagnostic_dropped_mass": .float(0)]))
    }

    func testUnknownKey() {
        let error = rejection(["rho_m": .float(0.1)])
        XCTAssertEqual(error?.keyPath, "presets.smoke.rho_m")
        XCTAssertEqual(error?.problem, "unknown key")
        XCTAssertTrue(error?.description.contains("presets.smoke.rho_m") ?? false)
        XCTAssertTrue(error?.hint?.contains("rho_n") ?? false, "no did-you-mean: \(String(describing: error?.hint))")
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
            let error = rejection(["diagnostic_dropped_mass": .float(bad)])
            XCTAssertEqual(error?.keyPath, "presets.smoke.diagnostic_dropped_mass", "\(bad)")
            XCTAssertTrue(error?.problem.contains("[0, 1)") ?? false)
        }
    }

    /// `[presets.<p>.per_case.<case>]` overrides ρ·n, N₁ and the Newton cap for that case only.
    func testPerCaseSettingsOverrideTheDefaults() throws {
        let parameters = try decode([
            "cases": .array([.string("random-assignment"), .string("fashion-mnist-l1")]),
            "rho_n": .float(3),
            "per_case": .table(["fashion-mnist-l1": .table(["rho_n": .integer(15), "warmup_sinkhorn_steps": .integer(700)])]),
        ])
        XCTAssertEqual(parameters.settings(for: .fashionMnistL1), .init(kind: .fashionMnistL1, rhoN: 15, warmupSinkhornSteps: 700, maxNewtonIterations: 100))
        XCTAssertEqual(parameters.settings(for: .randomAssignment), .init(kind: .randomAssignment, rhoN: 3, warmupSinkhornSteps: 20, maxNewtonIterations: 100))
        XCTAssertEqual(parameters.sizes(for: .fashionMnistL1), [784])
        XCTAssertEqual(parameters.sizes(for: .randomAssignment), [8, 16])
    }

    func testPerCaseErrorsNameTheirKey() {
        let unknownCase = rejection(["per_case": .table(["mnist-l1": .table(["rho_n": .integer(15)])])])
        XCTAssertEqual(unknownCase?.keyPath, "presets.smoke.per_case.mnist-l1")
        XCTAssertEqual(unknownCase?.problem, "unknown case")
        let badRho = rejection(["per_case": .table(["densities-w1": .table(["rho_n": .integer(0)])])])
        XCTAssertEqual(badRho?.keyPath, "presets.smoke.per_case.densities-w1.rho_n")
        let unknownKey = rejection(["per_case": .table(["densities-w1": .table(["rho": .integer(2)])])])
        XCTAssertEqual(unknownKey?.keyPath, "presets.smoke.per_case.densities-w1.rho")
        XCTAssertEqual(rejection(["rho_n": .float(-2)])?.keyPath, "presets.smoke.rho_n")
        XCTAssertEqual(rejection(["pixel_floor": .float(0)])?.keyPath, "presets.smoke.pixel_floor")
        XCTAssertEqual(rejection(["replicates": .integer(0)])?.keyPath, "presets.smoke.replicates")
        XCTAssertEqual(rejection(["sparsity_warmup_factors": .array([.integer(0)])])?.keyPath, "presets.smoke.sparsity_warmup_factors")
        XCTAssertEqual(rejection(["sparsity_eta": .array([.float(-1)])])?.keyPath, "presets.smoke.sparsity_eta")
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
