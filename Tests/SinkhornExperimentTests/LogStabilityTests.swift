import Foundation
import HarnessCore
import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// η = 1e4 with costs in [0, 1]: the plain kernel exp(−ηC − 1) underflows to zero for all but the
/// cheapest entries (e^(−10⁴) ≪ 2^(−1074)), so only the log-domain absorption keeps the solvers alive.
final class LogStabilityTests: XCTestCase {
    let n = 20, eta = 1e4

    private func problem() throws -> EntropicOTProblem {
        try ProblemGenerator.make(.randomAssignment, n: n, eta: eta, streams: RandomStreams(seed: SinkhornFixtures.seed))
    }

    func testPlainKernelWouldUnderflow() throws {
        // The premise: a naive Gibbs kernel is numerically useless here.
        let problem = try problem()
        let underflowed = problem.cost.elements.filter { Foundation.exp(-eta * $0 - 1) == 0 }.count
        XCTAssertGreaterThan(underflowed, n * n / 2)
    }

    func testSinkhornStaysFiniteAndAbsorbs() throws {
        let problem = try problem()
        let result = LogStabilizedSinkhorn(targetError: 1e-9, maxIterations: 3_000).solve(problem)
        XCTAssertTrue(result.x.allSatisfy(\.isFinite), "x has non-finite entries")
        XCTAssertTrue(result.y.allSatisfy(\.isFinite), "y has non-finite entries")
        XCTAssertFalse(result.trace.points.isEmpty)
        XCTAssertTrue(result.trace.points.allSatisfy { $0.error.isFinite && $0.error >= 0 }, "NaN or ∞ in the trace")
        XCTAssertGreaterThan(result.absorptions, 0, "no absorption at η = 1e4")
        let plan = TransportPlan(problem: problem, x: result.x, y: result.y)
        XCTAssertTrue(plan.plan.elements.allSatisfy { $0.isFinite && $0 >= 0 })
        XCTAssertTrue(plan.potential.isFinite)
        // A plan, not garbage: after the final column update its column marginals are exact, and
        // the reported error is the one the rebuilt plan actually has.
        let error = SinkhornFixtures.marginalError(problem, plan.plan)
        XCTAssertEqual(error, result.trace.finalError, accuracy: 1e-9 + 1e-6 * result.trace.finalError)
        XCTAssertLessThan(error, result.trace.points[0].error, "Sinkhorn made no progress")
        var columnError = 0.0
        for j in 0..<n { columnError += abs(plan.columnSums[j] - problem.target[j]) }
        XCTAssertLessThan(columnError, 1e-12)
    }

    /// Regression: after the warm-up the sparsified Hessian is nearly singular (blocks coupled only
    /// by entries ~e^(−100)), the Newton direction has ‖Δ‖∞ ~ 1e13 and the first acceptable step is
    /// ~2⁻⁵⁰. The line search used to stop after 40 halvings and SNS quit with 0 Newton steps at
    /// marginal error 0.40.
    func testNewtonReachesTargetAtHugeEta() throws {
        let problem = try problem()
        let target = 1e-9
        let result = SinkhornNewtonSparse(targetError: target, warmupIterations: 50, maxNewtonIterations: 300, droppedMass: 1e-6).solve(problem)
        XCTAssertTrue(result.x.allSatisfy(\.isFinite) && result.y.allSatisfy(\.isFinite))
        XCTAssertTrue(result.trace.points.allSatisfy { $0.error.isFinite }, "NaN or ∞ in the trace")
        XCTAssertTrue(result.converged, "final error \(result.trace.finalError) after \(result.newtonSteps) Newton steps")
        let plan = TransportPlan(problem: problem, x: result.x, y: result.y)
        XCTAssertLessThanOrEqual(SinkhornFixtures.marginalError(problem, plan.plan), target)
        XCTAssertTrue(plan.potential.isFinite)
        // Near-unregularised: n⟨C, P⟩ is within n log(n)/η of an assignment cost, hence at most
        // the identity assignment's cost plus that (a crude but solver-independent upper bound).
        let identity = (0..<n).reduce(0.0) { $0 + problem.cost[$1, $1] }
        XCTAssertLessThanOrEqual(Double(n) * result.transportCost, identity + Double(n) * Foundation.log(Double(n)) / eta + 1e-6)
    }

    func testTwoPointClosedFormAtHugeEta() throws {
        // Closed form (see TwoPointClosedFormTests): P11 = P22 = 1/(2(1 + e^(−η))) = 1/2 to double precision.
        let problem = try EntropicOTProblem(source: [0.5, 0.5], target: [0.5, 0.5],
                                            cost: Matrix(rows: 2, columns: 2, elements: [0, 1, 1, 0]), eta: eta)
        let result = LogStabilizedSinkhorn(targetError: 1e-14, maxIterations: 100).solve(problem)
        XCTAssertTrue(result.converged)
        let plan = TransportPlan(problem: problem, x: result.x, y: result.y).plan
        XCTAssertEqual(plan[0, 0], 0.5, accuracy: 1e-14)
        XCTAssertEqual(plan[1, 1], 0.5, accuracy: 1e-14)
        XCTAssertEqual(plan[0, 1], 0, accuracy: 1e-300)
        XCTAssertEqual(plan[1, 0], 0, accuracy: 1e-300)
    }
}
