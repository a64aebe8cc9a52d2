import Foundation
import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// The 2-point problem r = c = (1/2, 1/2), C = [[0, 1], [1, 0]] has a closed-form entropic plan.
///
/// Derivation. Stationarity of the Lagrangian of min ⟨C, P⟩ + (1/η) Σ P log P s.t. P1 = r, Pᵀ1 = c
/// gives P_ij = exp(η(x_i + y_j − C_ij) − 1) = u_i K_ij v_j with K = exp(−ηC − 1) (entrywise),
/// u = exp(ηx), v = exp(ηy). Any such matrix has the scaling-invariant cross ratio
///   P11 P22 / (P12 P21) = K11 K22 / (K12 K21) = e⁻¹ e⁻¹ / (e^(−η−1) e^(−η−1)) = e^(2η).
/// The marginal constraints force P11 + P12 = 1/2 = P11 + P21 and P21 + P22 = 1/2, hence
/// P12 = P21 = 1/2 − a and P22 = a with a = P11. So a² / (1/2 − a)² = e^(2η), and since all entries
/// are positive, a / (1/2 − a) = e^η, i.e. a = e^η / (2(1 + e^η)) = 1 / (2(1 + e^(−η))).
/// The solution is unique (strict convexity), so both solvers must converge to it.
final class TwoPointClosedFormTests: XCTestCase {
    private func problem(eta: Double) throws -> EntropicOTProblem {
        try EntropicOTProblem(
            source: [0.5, 0.5], target: [0.5, 0.5],
            cost: Matrix(rows: 2, columns: 2, elements: [0, 1, 1, 0]), eta: eta)
    }

    private func expectedDiagonal(eta: Double) -> Double { 1 / (2 * (1 + Foundation.exp(-eta))) }
    /// 1/2 − a, written without cancellation: e^(−η) / (2(1 + e^(−η))).
    private func expectedOffDiagonal(eta: Double) -> Double { Foundation.exp(-eta) / (2 * (1 + Foundation.exp(-eta))) }

    private func assertClosedForm(_ plan: Matrix, eta: Double, solver: String, file: StaticString = #filePath, line: UInt = #line) {
        let a = expectedDiagonal(eta: eta), b = expectedOffDiagonal(eta: eta)
        XCTAssertEqual(plan[0, 0], a, accuracy: 1e-10, "\(solver) η=\(eta): P11", file: file, line: line)
        XCTAssertEqual(plan[1, 1], a, accuracy: 1e-10, "\(solver) η=\(eta): P22", file: file, line: line)
        XCTAssertEqual(plan[0, 1], b, accuracy: 1e-10, "\(solver) η=\(eta): P12", file: file, line: line)
        XCTAssertEqual(plan[1, 0], b, accuracy: 1e-10, "\(solver) η=\(eta): P21", file: file, line: line)
        // The cross ratio is the quantity the derivation pins down; check it relatively where the
        // off-diagonal entries are resolvable.
        if b > 1e-6 {
            XCTAssertEqual(plan[0, 0] / plan[0, 1], Foundation.exp(eta), accuracy: 1e-6 * Foundation.exp(eta), "\(solver) η=\(eta): a/(1/2 − a)", file: file, line: line)
        }
    }

    func testSanityOfTheClosedForm() {
        // a + b = 1/2 and a/b = e^η, independent of the solvers.
        for eta in [0.5, 3.0, 20.0] {
            XCTAssertEqual(expectedDiagonal(eta: eta) + expectedOffDiagonal(eta: eta), 0.5, accuracy: 1e-15)
            XCTAssertEqual(expectedDiagonal(eta: eta) / expectedOffDiagonal(eta: eta), Foundation.exp(eta), accuracy: 1e-12 * Foundation.exp(eta))
        }
    }

    func testSinkhornReproducesClosedForm() throws {
        for eta in [0.5, 3.0, 20.0, 60.0] {
            let problem = try problem(eta: eta)
            let result = LogStabilizedSinkhorn(targetError: 1e-13, maxIterations: 10_000).solve(problem)
            XCTAssertTrue(result.converged, "η=\(eta)")
            assertClosedForm(TransportPlan(problem: problem, x: result.x, y: result.y).plan, eta: eta, solver: "Sinkhorn")
        }
    }

    func testSinkhornNewtonSparseReproducesClosedForm() throws {
        for eta in [0.5, 3.0, 20.0, 60.0] {
            let problem = try problem(eta: eta)
            // (For this symmetric problem the log-domain initialisation, one exact row and one exact
            // column update, already lands on the solution; the asymmetric test below makes Newton work.)
            let result = SinkhornNewtonSparse(targetError: 1e-13, warmupIterations: 0, maxNewtonIterations: 100, droppedMass: 0).solve(problem)
            XCTAssertTrue(result.converged, "η=\(eta)")
            assertClosedForm(TransportPlan(problem: problem, x: result.x, y: result.y).plan, eta: eta, solver: "SNS")
            XCTAssertEqual(result.transportCost, 2 * expectedOffDiagonal(eta: eta), accuracy: 1e-10, "η=\(eta): ⟨C, P⟩ = 2(1/2 − a)")
        }
    }

    /// Asymmetric marginals r = (p, 1 − p), c = (q, 1 − q), same cost. The cross-ratio argument above
    /// still holds: with a = P11 the marginals force P12 = p − a, P21 = q − a, P22 = 1 − p − q + a,
    /// and a(1 − p − q + a) / ((p − a)(q − a)) = e^(2η). The left side increases strictly in a on
    /// (max(0, p + q − 1), min(p, q)), so bisection on its logarithm finds a to rounding.
    private func asymmetricDiagonal(p: Double, q: Double, eta: Double) -> Double {
        func g(_ a: Double) -> Double {
            Foundation.log(a) + Foundation.log(1 - p - q + a) - Foundation.log(p - a) - Foundation.log(q - a) - 2 * eta
        }
        var low = max(0, p + q - 1), high = min(p, q)
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if mid <= low || mid >= high { break }
            if g(mid) < 0 { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }

    func testBothSolversReproduceAsymmetricClosedForm() throws {
        let p = 0.3, q = 0.6
        for eta in [0.5, 3.0, 20.0] {
            let problem = try EntropicOTProblem(
                source: [p, 1 - p], target: [q, 1 - q],
                cost: Matrix(rows: 2, columns: 2, elements: [0, 1, 1, 0]), eta: eta)
            let a = asymmetricDiagonal(p: p, q: q, eta: eta)
            let expected = [a, p - a, q - a, 1 - p - q + a]
            let sinkhorn = LogStabilizedSinkhorn(targetError: 1e-13, maxIterations: 100_000).solve(problem)
            let sns = SinkhornNewtonSparse(targetError: 1e-13, warmupIterations: 0, maxNewtonIterations: 100, droppedMass: 0).solve(problem)
            XCTAssertTrue(sinkhorn.converged, "η=\(eta)")
            XCTAssertTrue(sns.converged, "η=\(eta)")
            XCTAssertGreaterThan(sns.newtonSteps, 0, "η=\(eta): the Newton phase never ran")
            for (name, x, y) in [("Sinkhorn", sinkhorn.x, sinkhorn.y), ("SNS", sns.x, sns.y)] {
                let plan = TransportPlan(problem: problem, x: x, y: y).plan
                for k in 0..<4 {
                    XCTAssertEqual(plan.elements[k], expected[k], accuracy: 1e-10, "\(name) η=\(eta): entry \(k)")
                }
            }
        }
    }
}
