import Foundation
import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// `TransportPlan`'s potential f, gradient and Hessian product against central finite differences
/// at a random point, on a rectangular problem (n ≠ m).
final class TransportPlanDerivativeTests: XCTestCase {
    let n = 5, m = 7, eta = 4.0

    private func fixture() throws -> (EntropicOTProblem, [Double], [Double]) {
        let problem = try SinkhornFixtures.rectangularProblem(n: n, m: m, eta: eta, name: "derivatives")
        // Potentials in [−0.2, 0.3): plan entries of order e^(η·O(1) − 1), all comfortably resolved.
        let x = SinkhornFixtures.stream("derivatives/x").uniforms(n).map { 0.5 * $0 - 0.2 }
        let y = SinkhornFixtures.stream("derivatives/y").uniforms(m).map { 0.5 * $0 - 0.2 }
        return (problem, x, y)
    }

    private func split(_ z: [Double]) -> ([Double], [Double]) { (Array(z[0..<n]), Array(z[n...])) }

    func testPlanAndPotentialMatchDefinition() throws {
        let (problem, x, y) = try fixture()
        let plan = TransportPlan(problem: problem, x: x, y: y)
        var total = 0.0
        for i in 0..<n {
            for j in 0..<m {
                let expected = Foundation.exp(eta * (x[i] + y[j] - problem.cost[i, j]) - 1)
                XCTAssertEqual(plan.plan[i, j], expected, accuracy: 1e-14 * expected, "(\(i), \(j))")
                total += expected
            }
            XCTAssertEqual(plan.rowSums[i], plan.plan.elements[(i * m)..<((i + 1) * m)].reduce(0, +), accuracy: 1e-14)
        }
        for j in 0..<m {
            XCTAssertEqual(plan.columnSums[j], (0..<n).reduce(0.0) { $0 + plan.plan[$1, j] }, accuracy: 1e-14)
        }
        let f = -total / eta + SinkhornFixtures.dot(problem.source, x) + SinkhornFixtures.dot(problem.target, y)
        XCTAssertEqual(plan.potential, f, accuracy: 1e-14 * max(1, abs(f)))
    }

    func testGradientMatchesCentralDifferencesOfPotential() throws {
        let (problem, x, y) = try fixture()
        let z = x + y
        let gradient = TransportPlan(problem: problem, x: x, y: y).gradient(problem)
        XCTAssertEqual(gradient.count, n + m)
        let h = 1e-5
        for k in 0..<(n + m) {
            var plus = z, minus = z
            plus[k] += h
            minus[k] -= h
            let (xp, yp) = split(plus), (xm, ym) = split(minus)
            let difference = (TransportPlan(problem: problem, x: xp, y: yp).potential
                - TransportPlan(problem: problem, x: xm, y: ym).potential) / (2 * h)
            // Truncation ≈ h² η² max P / 6 ~ 1e-9, rounding ≈ ε|f|/h ~ 1e-11.
            XCTAssertEqual(gradient[k], difference, accuracy: 1e-7, "component \(k)")
        }
        // Not vacuous: the gradient is far from zero at a random point.
        XCTAssertGreaterThan(SinkhornFixtures.maxAbs(gradient), 1e-2)
    }

    func testNegativeHessianProductMatchesDifferencesOfGradient() throws {
        let (problem, x, y) = try fixture()
        let z = x + y
        let plan = TransportPlan(problem: problem, x: x, y: y)
        let h = 1e-5
        for trial in 0..<3 {
            let v = SinkhornFixtures.stream("derivatives/v\(trial)").uniforms(n + m).map { 2 * $0 - 1 }
            let (xp, yp) = split(zip(z, v).map { $0 + h * $1 })
            let (xm, ym) = split(zip(z, v).map { $0 - h * $1 })
            let gp = TransportPlan(problem: problem, x: xp, y: yp).gradient(problem)
            let gm = TransportPlan(problem: problem, x: xm, y: ym).gradient(problem)
            // ∇²f v ≈ (∇f(z + hv) − ∇f(z − hv)) / 2h, and the product is of −∇²f.
            let hessianV = zip(gp, gm).map { ($0 - $1) / (2 * h) }
            let product = plan.negativeHessianProduct(v, eta: eta)
            XCTAssertEqual(product.count, n + m)
            for k in 0..<(n + m) {
                XCTAssertEqual(product[k], -hessianV[k], accuracy: 1e-6 * max(1, abs(product[k])), "trial \(trial), component \(k)")
            }
        }
    }

    func testNegativeHessianAnnihilatesTheShiftDirection() throws {
        // f(x + t, y − t) = f(x, y) for the all-ones direction (1, −1): it spans the null space of ∇²f.
        let (problem, x, y) = try fixture()
        let plan = TransportPlan(problem: problem, x: x, y: y)
        let direction = [Double](repeating: 1, count: n) + [Double](repeating: -1, count: m)
        XCTAssertLessThan(SinkhornFixtures.maxAbs(plan.negativeHessianProduct(direction, eta: eta)), 1e-13)
        let shifted = TransportPlan(problem: problem, x: x.map { $0 + 0.37 }, y: y.map { $0 - 0.37 })
        XCTAssertEqual(shifted.potential, plan.potential, accuracy: 1e-13)
    }
}
