import HarnessCore
import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// At convergence both solvers' plans meet the marginals to the target, on every problem family,
/// and agree on the transport cost (the entropic optimum is unique).
final class MarginalConvergenceTests: XCTestCase {
    func testBothSolversMeetMarginalsAndAgreeOnCost() throws {
        let target = 1e-10, n = 24, eta = 40.0
        // The generated families; the image cases are 784 × 784 and have their own tests.
        for kind in TransportCase.allCases where kind.fixedSize == nil {
            let problem = try ProblemGenerator.make(kind, n: n, eta: eta, streams: RandomStreams(seed: SinkhornFixtures.seed))
            let sinkhorn = LogStabilizedSinkhorn(targetError: target, maxIterations: 100_000).solve(problem)
            // The mass-budget rule: this test is about the solvers' fixed point, not about ρ (at the
            // paper's ρ = 2/n SNS needs more than 100 Newton steps on the W₁ densities here; see
            // KeepCountSNSTests for that rule).
            let sns = SinkhornNewtonSparse(targetError: target, warmupIterations: 10, maxNewtonIterations: 100, droppedMass: 1e-4).solve(problem)
            XCTAssertTrue(sinkhorn.converged, "\(kind)")
            XCTAssertTrue(sns.converged, "\(kind)")
            XCTAssertGreaterThan(sns.newtonSteps, 0, "\(kind): Newton phase never ran")

            // Recompute the plans from the returned potentials and measure the error from scratch.
            let sinkhornPlan = TransportPlan(problem: problem, x: sinkhorn.x, y: sinkhorn.y)
            let snsPlan = TransportPlan(problem: problem, x: sns.x, y: sns.y)
            XCTAssertLessThanOrEqual(SinkhornFixtures.marginalError(problem, sinkhornPlan.plan), target, "\(kind): Sinkhorn")
            XCTAssertLessThanOrEqual(SinkhornFixtures.marginalError(problem, snsPlan.plan), target, "\(kind): SNS")
            // The traces end where the solvers said they did.
            XCTAssertLessThanOrEqual(sinkhorn.trace.finalError, target, "\(kind)")
            XCTAssertLessThanOrEqual(sns.trace.finalError, target, "\(kind)")
            XCTAssertTrue(snsPlan.plan.elements.allSatisfy { $0 >= 0 && $0.isFinite })

            let sinkhornCost = SinkhornFixtures.transportCost(problem, sinkhornPlan.plan)
            let snsCost = SinkhornFixtures.transportCost(problem, snsPlan.plan)
            XCTAssertEqual(snsCost, sinkhornCost, accuracy: 1e-8 * abs(sinkhornCost), "\(kind)")
            XCTAssertEqual(sns.transportCost, snsCost, accuracy: 1e-12 * abs(snsCost), "\(kind): reported ⟨C, P⟩")
        }
    }

    func testRectangularProblem() throws {
        // n ≠ m: transposition mistakes in either solver would break the marginals here.
        let problem = try SinkhornFixtures.rectangularProblem(n: 9, m: 14, eta: 30, name: "marginals/rect")
        let sinkhorn = LogStabilizedSinkhorn(targetError: 1e-10, maxIterations: 100_000).solve(problem)
        let sns = SinkhornNewtonSparse(targetError: 1e-10, warmupIterations: 5, maxNewtonIterations: 100, droppedMass: 1e-3).solve(problem)
        XCTAssertTrue(sinkhorn.converged)
        XCTAssertTrue(sns.converged)
        let a = TransportPlan(problem: problem, x: sinkhorn.x, y: sinkhorn.y).plan
        let b = TransportPlan(problem: problem, x: sns.x, y: sns.y).plan
        XCTAssertLessThanOrEqual(SinkhornFixtures.marginalError(problem, a), 1e-10)
        XCTAssertLessThanOrEqual(SinkhornFixtures.marginalError(problem, b), 1e-10)
        // Unique optimum: the plans themselves agree.
        XCTAssertLessThan(SinkhornFixtures.maxAbs(zip(a.elements, b.elements).map { $0 - $1 }), 1e-9)
    }
}
