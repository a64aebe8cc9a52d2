import HarnessCore
import XCTest
@testable import SinkhornExperiment

/// A Sinkhorn run stopped at its iteration cap turns the iteration ratio into a lower bound.
final class CappedRunTests: XCTestCase {
    func testCappedSinkhornMakesRatioALowerBound() throws {
        let table = ParameterTable(file: "suites/sinkhorn.toml", path: "presets.smoke", entries: [
            "cases": .array([.string("random-assignment")]),
            "n": .array([.integer(12)]),
            "eta": .array([.integer(150)]),
            "max_sinkhorn_iterations": .integer(3),
            "target_error": .float(1e-9),
        ])
        let parameters = try SinkhornConvergenceExperiment.decodeParameters(table)
        let output = try SinkhornConvergenceExperiment.run(parameters, context: RunContext(seed: 5))
        func metric(_ name: String) throws -> Metric { try XCTUnwrap(output.metrics[MetricName("random-assignment/n=12/eta=150/\(name)")], name) }

        XCTAssertEqual(try metric("sinkhorn_converged").value, 0)
        XCTAssertEqual(try metric("sinkhorn_iterations").value, 3)
        XCTAssertEqual(try metric("sns_converged").value, 1, "SNS has its own budget and must converge")
        let snsIterations = try metric("sns_iterations").value
        XCTAssertEqual(snsIterations, 20 + (try metric("newton_steps").value), "N₁ warm-up steps + Newton steps")

        let ratio = try metric("iteration_ratio")
        XCTAssertEqual(ratio.value, 3 / snsIterations)
        let interval = try XCTUnwrap(ratio.interval, "a capped baseline must give an interval")
        XCTAssertEqual(interval.lower, ratio.value)
        XCTAssertEqual(interval.upper, .infinity)
        XCTAssertNil(interval.level, "hard bound, not a confidence interval")
        // Timing ratio: same semantics.
        let time = try metric("wall_time_ratio")
        XCTAssertEqual(time.metricClass, .timing)
        XCTAssertEqual(time.interval?.lower, time.value)
        XCTAssertEqual(time.interval?.upper, .infinity)
        // Cost comparison is meaningless when one run did not converge.
        XCTAssertTrue(try metric("cost_relative_difference").value.isNaN)

        // The tables say the same.
        let iterations = try XCTUnwrap(output.tables["iterations_vs_eta.csv"])
        XCTAssertEqual(iterations.rows.count, 2)
        XCTAssertEqual(iterations.rows[0][3], .text("sinkhorn"))
        XCTAssertEqual(iterations.rows[0][4], .integer(3))
        XCTAssertEqual(iterations.rows[0][5], .integer(0))
        XCTAssertEqual(iterations.rows[1][5], .integer(1))
    }

    func testUncappedRunsHaveNoInterval() throws {
        let table = ParameterTable(file: "suites/sinkhorn.toml", path: "presets.smoke", entries: [
            "cases": .array([.string("densities-w1")]),
            "n": .array([.integer(12)]),
            "eta": .array([.integer(20)]),
            "max_sinkhorn_iterations": .integer(50_000),
            "target_error": .float(1e-9),
        ])
        let output = try SinkhornConvergenceExperiment.run(try SinkhornConvergenceExperiment.decodeParameters(table), context: RunContext(seed: 5))
        let ratio = try XCTUnwrap(output.metrics["densities-w1/n=12/eta=20/iteration_ratio"])
        XCTAssertNil(ratio.interval)
        let sinkhorn = try XCTUnwrap(output.metrics["densities-w1/n=12/eta=20/sinkhorn_iterations"]).value
        let sns = try XCTUnwrap(output.metrics["densities-w1/n=12/eta=20/sns_iterations"]).value
        XCTAssertEqual(ratio.value, sinkhorn / max(sns, 1))
        XCTAssertLessThan(try XCTUnwrap(output.metrics["densities-w1/n=12/eta=20/cost_relative_difference"]).value, 1e-6)
    }

    func testSpeedupIntervalsForEveryConvergenceCombination() throws {
        // Drive `SolverComparison.speedup` through all four (Sinkhorn, SNS) convergence outcomes.
        let problem = try ProblemGenerator.make(.densitiesW2, n: 8, eta: 30, streams: RandomStreams(seed: 1))
        func comparison(sinkhornCap: Int, newtonCap: Int) -> SolverComparison {
            let parameters = SinkhornConvergenceExperiment.Parameters(
                cases: [.densitiesW2], n: [8], eta: [30], targetError: 1e-10, maxSinkhornIterations: sinkhornCap,
                warmupSinkhornSteps: 1, maxNewtonIterations: newtonCap, rhoN: 2, perCase: [], diagnosticDroppedMass: 1e-7,
                replicates: 1, sparsityEta: [], sparsityWarmupFactors: [], fashionMnistDirectory: "", pixelFloor: 1)
            return SolverComparison(problem: problem, parameters: parameters, settings: parameters.settings(for: .densitiesW2))
        }
        let both = comparison(sinkhornCap: 100_000, newtonCap: 100)
        XCTAssertTrue(both.sinkhorn.converged && both.sns.converged)
        XCTAssertNil(both.speedup(10, over: 4).1)
        XCTAssertEqual(both.speedup(10, over: 4).0, 2.5)

        let snsCapped = comparison(sinkhornCap: 100_000, newtonCap: 1)
        XCTAssertTrue(snsCapped.sinkhorn.converged)
        XCTAssertFalse(snsCapped.sns.converged)
        XCTAssertEqual(snsCapped.speedup(10, over: 4).1, MetricInterval(lower: 0, upper: 2.5, level: nil), "upper bound")

        let neither = comparison(sinkhornCap: 2, newtonCap: 1)
        XCTAssertFalse(neither.sinkhorn.converged || neither.sns.converged)
        XCTAssertTrue(neither.speedup(10, over: 4).0.isNaN)
        XCTAssertNil(neither.speedup(10, over: 4).1)
    }
}
