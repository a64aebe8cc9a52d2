import Foundation
import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// `SparsifiedHessian` against the dense −∇²f and a brute-force masked reference.
final class SparsifiedHessianTests: XCTestCase {
    let n = 12, m = 15, eta = 30.0

    /// A plan like the one SNS sees after its warm-up: the log-domain starting point of Sinkhorn,
    /// whose entries span many orders of magnitude at this η.
    private func fixture() throws -> (EntropicOTProblem, TransportPlan) {
        let problem = try SinkhornFixtures.rectangularProblem(n: n, m: m, eta: eta, name: "hessian")
        let start = LogStabilizedSinkhorn.initialPotentials(problem)
        return (problem, TransportPlan(problem: problem, x: start.x, y: start.y))
    }

    private func randomVector(_ name: String) -> [Double] {
        SinkhornFixtures.stream("hessian/" + name).uniforms(n + m).map { 2 * $0 - 1 }
    }

    /// η [diag(P1) v_x + P̃ v_y ; P̃ᵀ v_x + diag(Pᵀ1) v_y] with P̃ = P on entries ≥ threshold, else 0.
    private func reference(_ plan: TransportPlan, threshold: Double, _ v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: n + m)
        for i in 0..<n { out[i] = plan.rowSums[i] * v[i] }
        for j in 0..<m { out[n + j] = plan.columnSums[j] * v[n + j] }
        for i in 0..<n {
            for j in 0..<m where plan.plan[i, j] >= threshold {
                out[i] += plan.plan[i, j] * v[n + j]
                out[n + j] += plan.plan[i, j] * v[i]
            }
        }
        return out.map { eta * $0 }
    }

    func testNoBudgetEqualsDenseNegativeHessian() throws {
        let (_, plan) = try fixture()
        let hessian = SparsifiedHessian(plan: plan, eta: eta, droppedMass: 0)
        XCTAssertEqual(hessian.keptEntries, plan.plan.elements.filter { $0 > 0 }.count)
        for trial in 0..<4 {
            let v = randomVector("dense\(trial)")
            let sparse = SinkhornFixtures.apply(hessian, v)
            let dense = plan.negativeHessianProduct(v, eta: eta)
            let scale = SinkhornFixtures.maxAbs(dense)
            XCTAssertLessThanOrEqual(SinkhornFixtures.maxAbs(zip(sparse, dense).map { $0 - $1 }), 1e-13 * scale, "trial \(trial)")
        }
        // With nothing dropped, (1, −1) is in the null space: H(1, −1) = η(P1 − P1, Pᵀ1 − Pᵀ1) = 0.
        let shift = [Double](repeating: 1, count: n) + [Double](repeating: -1, count: m)
        XCTAssertLessThan(SinkhornFixtures.maxAbs(SinkhornFixtures.apply(hessian, shift)), 1e-12 * eta)
    }

    func testBudgetBoundsDroppedMassAndApplyMatchesMaskedReference() throws {
        let (_, plan) = try fixture()
        let entries = plan.plan.elements
        let total = entries.reduce(0, +)
        var previousKept = Int.max
        var droppedSomething = false
        for budget in [1e-8, 1e-4, 1e-2, 0.2, 0.6] {
            let hessian = SparsifiedHessian(plan: plan, eta: eta, droppedMass: budget)
            let threshold = MassThreshold.threshold(entries, droppedMass: budget)
            let kept = entries.filter { $0 >= threshold }
            // Sum the dropped entries smallest first, so the check itself rounds as little as possible.
            let dropped = entries.filter { $0 < threshold }.sorted().reduce(0, +)
            XCTAssertLessThanOrEqual(dropped, budget * total, "budget \(budget)")
            XCTAssertEqual(hessian.keptEntries, kept.count, "budget \(budget)")
            XCTAssertEqual(hessian.keptFraction, Double(kept.count) / Double(n * m), "budget \(budget)")
            XCTAssertLessThanOrEqual(hessian.keptEntries, previousKept, "a larger budget keeps no more entries")
            previousKept = hessian.keptEntries
            if hessian.keptEntries < entries.count { droppedSomething = true }
            // The diagonal blocks keep the exact marginals, whatever was dropped.
            XCTAssertEqual(hessian.rowSums, plan.rowSums)
            XCTAssertEqual(hessian.columnSums, plan.columnSums)
            for trial in 0..<2 {
                let v = randomVector("masked\(trial)")
                let expected = reference(plan, threshold: threshold, v)
                let actual = SinkhornFixtures.apply(hessian, v)
                XCTAssertLessThanOrEqual(
                    SinkhornFixtures.maxAbs(zip(actual, expected).map { $0 - $1 }), 1e-13 * SinkhornFixtures.maxAbs(expected),
                    "budget \(budget), trial \(trial)")
            }
        }
        XCTAssertTrue(droppedSomething, "no budget dropped any entry: the fixture does not exercise sparsification")
    }

    func testSymmetricAndPositiveDefinite() throws {
        let (_, plan) = try fixture()
        for budget in [0.0, 1e-4, 1e-2, 0.2] {
            let hessian = SparsifiedHessian(plan: plan, eta: eta, droppedMass: budget)
            for trial in 0..<6 {
                let v = randomVector("sym-v\(trial)"), w = randomVector("sym-w\(trial)")
                let hv = SinkhornFixtures.apply(hessian, v), hw = SinkhornFixtures.apply(hessian, w)
                let vHw = SinkhornFixtures.dot(v, hw), wHv = SinkhornFixtures.dot(w, hv)
                let scale = SinkhornFixtures.norm(v) * SinkhornFixtures.norm(hw) + SinkhornFixtures.norm(w) * SinkhornFixtures.norm(hv)
                XCTAssertEqual(vHw, wHv, accuracy: 1e-13 * scale, "budget \(budget), trial \(trial): not symmetric")
                XCTAssertGreaterThan(SinkhornFixtures.dot(v, hv), 0, "budget \(budget), trial \(trial): vᵀHv ≤ 0")
            }
            // Positive semi-definite by the sum-of-squares identity
            //   vᵀHv/η = Σ_kept P_ij (v_i + w_j)² + Σ_i (P1 − P̃1)_i v_i² + Σ_j (Pᵀ1 − P̃ᵀ1)_j w_j²,
            // which the tests check numerically on a vector nearly in the dense null space.
            let nearNull = ([Double](repeating: 1, count: n) + [Double](repeating: -1, count: m)).enumerated()
                .map { $0.element + 1e-3 * (randomVector("near-null")[$0.offset]) }
            XCTAssertGreaterThanOrEqual(SinkhornFixtures.dot(nearNull, SinkhornFixtures.apply(hessian, nearNull)), 0, "budget \(budget)")
        }
    }
}
