import HarnessCore
import XCTest
@testable import SinkhornExperiment

/// Same seed → bit-identical non-timing metrics; a different seed → a different problem.
final class ExperimentReproducibilityTests: XCTestCase {
    static func tinyPreset() throws -> SinkhornConvergenceExperiment.Parameters {
        let table = ParameterTable(file: "suites/sinkhorn.toml", path: "presets.smoke", entries: [
            "cases": .array([.string("random-assignment"), .string("point-clouds"), .string("densities-w2")]),
            "n": .array([.integer(10)]),
            "eta": .array([.integer(20), .float(60.5)]),
            "max_sinkhorn_iterations": .integer(20_000),
            "warmup_sinkhorn_steps": .integer(5),
            "target_error": .float(1e-9),
            "replicates": .integer(3),
            "sparsity_eta": .array([.integer(20), .integer(40)]),
            "sparsity_warmup_factors": .array([.integer(1), .integer(2)]),
        ])
        return try SinkhornConvergenceExperiment.decodeParameters(table)
    }

    private func run(seed: UInt64) throws -> ExperimentOutput {
        try SinkhornConvergenceExperiment.run(Self.tinyPreset(), context: RunContext(seed: seed))
    }

    func testDecodedPresetHasDefaultsAndValues() throws {
        let parameters = try Self.tinyPreset()
        XCTAssertEqual(parameters.cases, [.randomAssignment, .pointClouds, .densitiesW2])
        XCTAssertEqual(parameters.n, [10])
        XCTAssertEqual(parameters.eta, [20, 60.5])
        XCTAssertEqual(parameters.targetError, 1e-9)
        XCTAssertEqual(parameters.warmupSinkhornSteps, 5)
        XCTAssertEqual(parameters.maxNewtonIterations, 100)  // default
        XCTAssertEqual(parameters.rhoN, 2)                   // default: the paper's ρ = 2/n
        XCTAssertEqual(parameters.replicates, 3)
    }

    func testSameSeedGivesBitIdenticalMetrics() throws {
        let first = try run(seed: 11), second = try run(seed: 11)
        XCTAssertEqual(Set(first.metrics.keys), Set(second.metrics.keys))
        // 3 cases × 1 size × 2 η, 16 metrics each; random assignment's 3 replicate metrics at
        // both η; per case, 2 + 2 sweep points and 2 growth metrics.
        XCTAssertEqual(first.metrics.count, 3 * 2 * 16 + 2 * 3 + 3 * 6)
        XCTAssertEqual(first.metrics["random-assignment/n=10/eta=20/replicates/sns_iterations"]?.metricClass, .stochastic)
        XCTAssertNotNil(first.metrics["random-assignment/n=10/eta=20/replicates/sns_iterations"]?.standardError)
        XCTAssertEqual(first.metrics["random-assignment/n=10/eta=20/replicates/instances"]?.value, 3)
        XCTAssertNotNil(first.metrics["densities-w2/n=10/sparsity/warmup=10/dropped_mass"])
        XCTAssertNotNil(first.metrics["random-assignment/n=10/eta=60.5/problem_checksum"])
        XCTAssertNotNil(first.metrics["point-clouds/n=10/eta=20/iteration_ratio"])
        var compared = 0
        for (name, metric) in first.metrics where metric.metricClass != .timing {
            let other = try XCTUnwrap(second.metrics[name], "\(name)")
            XCTAssertEqual(metric.metricClass, other.metricClass, "\(name)")
            XCTAssertEqual(metric.unit, other.unit, "\(name)")
            // Bit patterns: NaN == NaN, and −0 ≠ +0.
            XCTAssertEqual(metric.value.bitPattern, other.value.bitPattern, "\(name): \(metric.value) vs \(other.value)")
            XCTAssertEqual(metric.interval?.lower.bitPattern, other.interval?.lower.bitPattern, "\(name)")
            XCTAssertEqual(metric.interval?.upper.bitPattern, other.interval?.upper.bitPattern, "\(name)")
            compared += 1
        }
        XCTAssertEqual(compared, 3 * 2 * 13 + 2 * 3 + 3 * 6, "three metrics per point are timings")
        // Every point converged in this preset, so the comparison is about real numbers.
        for (name, metric) in first.metrics where name.rawValue.hasSuffix("_converged") {
            XCTAssertEqual(metric.value, 1, "\(name)")
        }
        for (name, metric) in first.metrics where name.rawValue.hasSuffix("cost_relative_difference") {
            XCTAssertLessThan(metric.value, 1e-6, "\(name)")
        }
        // The tables (minus the timing column) are reproducible too.
        let firstCSV = try XCTUnwrap(first.tables["iterations_vs_eta.csv"]), secondCSV = try XCTUnwrap(second.tables["iterations_vs_eta.csv"])
        XCTAssertEqual(firstCSV, secondCSV)
    }

    func testDifferentSeedGivesDifferentProblems() throws {
        let first = try run(seed: 11), other = try run(seed: 12)
        for kind in ["random-assignment", "point-clouds"] {
            let name = MetricName("\(kind)/n=10/eta=20/problem_checksum")
            let a = try XCTUnwrap(first.metrics[name]), b = try XCTUnwrap(other.metrics[name])
            XCTAssertEqual(a.metricClass, .exact)
            XCTAssertNotEqual(a.value, b.value, "\(kind): checksum ignores the seed")
            XCTAssertEqual(a.value, a.value.rounded(), "checksum is an integer")
            XCTAssertLessThan(a.value, 0x1p53)
        }
        // The densities are deterministic grids: same problem whatever the seed.
        let name = MetricName("densities-w2/n=10/eta=20/problem_checksum")
        XCTAssertEqual(first.metrics[name]?.value, other.metrics[name]?.value)
    }

    func testChecksumSeesEveryInputBit() throws {
        let base = try ProblemGenerator.make(.randomAssignment, n: 6, eta: 10, streams: RandomStreams(seed: 3))
        var cost = base.cost
        cost.elements[17] = cost.elements[17].nextUp
        let flippedCost = try EntropicOTProblem(source: base.source, target: base.target, cost: cost, eta: base.eta)
        XCTAssertNotEqual(ProblemChecksum.of(base), ProblemChecksum.of(flippedCost))
        var target = base.target
        target[2] = target[2].nextUp
        let flippedTarget = try EntropicOTProblem(source: base.source, target: target, cost: base.cost, eta: base.eta)
        XCTAssertNotEqual(ProblemChecksum.of(base), ProblemChecksum.of(flippedTarget))
    }
}
