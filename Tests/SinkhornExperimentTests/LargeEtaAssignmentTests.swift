import Foundation
import HarnessCore
import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// η → ∞: the entropic plan of a random assignment problem approaches the optimal assignment,
/// found here by brute force over all n! permutations.
///
/// Bound used. Let A = min_σ Σ_i C_iσ(i) (so OT = A/n with uniform marginals 1/n), P* = Π_σ*/n the
/// optimal plan (entropy H(P*) = log n) and P_η the entropic optimum. Optimality of P_η for
/// ⟨C, P⟩ − H(P)/η and feasibility of P* give ⟨C, P_η⟩ − H(P_η)/η ≤ OT − log(n)/η, and
/// H(P_η) ≤ log(n²), so
///     0 ≤ ⟨C, P_η⟩ − OT ≤ (log(n²) − log n)/η = log(n)/η,   i.e.   0 ≤ n⟨C, P_η⟩ − A ≤ n log(n)/η.
/// The computed plan misses the marginals by ε (‖·‖₁); rounding it onto the polytope moves at most
/// ε of mass (Altschuler et al. 2017, Lemma 7, with ‖C‖∞ ≤ 1), which adds n·ε either side.
///
/// Argmax. By Birkhoff, a feasible P is Σ_k λ_k Π_k / n, so n⟨C, P⟩ ≥ A + Δ(1 − λ*), with Δ the gap
/// between the best and second-best assignment and λ* the weight of σ*. Hence
/// 1 − λ* ≤ n log(n)/(η Δ); when that is < 1/2, P_iσ*(i) ≥ λ*/n > (1 − λ*)/n ≥ every other entry of
/// row i. The argmax claim is asserted exactly when this sufficient condition holds.
final class LargeEtaAssignmentTests: XCTestCase {
    struct Assignment {
        var best: [Int]
        var cost: Double
        var gap: Double
    }

    static func bruteForce(_ cost: Matrix) -> Assignment {
        let n = cost.rows
        var best: [Int] = [], bestCost = Double.infinity, second = Double.infinity
        for permutation in SinkhornFixtures.permutations(n) {
            var total = 0.0
            for i in 0..<n { total += cost[i, permutation[i]] }
            if total < bestCost {
                second = bestCost
                bestCost = total
                best = permutation
            } else if total < second {
                second = total
            }
        }
        return Assignment(best: best, cost: bestCost, gap: second - bestCost)
    }

    func testPermutationEnumerationIsComplete() {
        for n in 1...6 {
            let all = SinkhornFixtures.permutations(n)
            XCTAssertEqual(all.count, (1...n).reduce(1, *))
            XCTAssertEqual(Set(all).count, all.count, "n=\(n): duplicates")
            XCTAssertTrue(all.allSatisfy { $0.sorted() == Array(0..<n) })
        }
    }

    func testTransportCostApproachesOptimalAssignment() throws {
        let target = 1e-9
        var argmaxChecked = 0
        for n in [4, 5, 6, 7] {
            for eta in [200.0, 500.0] {
                let problem = try ProblemGenerator.make(.randomAssignment, n: n, eta: eta, streams: RandomStreams(seed: SinkhornFixtures.seed))
                let exact = Self.bruteForce(problem.cost)
                // A negligible dropped mass: at η ≥ 200 the plan's off-assignment entries (~e^(−ηΔ)/n)
                // are exactly what couples the Hessian's blocks, and a budget like 1e-4 drops them all,
                // which turns Newton's convergence linear with a rate close to one (observed: n = 5,
                // η = 200 stalls near 5e-8 for 200 steps). That is the sparsification's trade-off, not
                // the subject here.
                let result = SinkhornNewtonSparse(targetError: target, warmupIterations: 20, maxNewtonIterations: 200, droppedMass: 1e-12).solve(problem)
                XCTAssertTrue(result.converged, "n=\(n) η=\(eta)")
                let plan = TransportPlan(problem: problem, x: result.x, y: result.y).plan
                let epsilon = SinkhornFixtures.marginalError(problem, plan)
                let scaled = Double(n) * SinkhornFixtures.transportCost(problem, plan)
                let bound = Double(n) * Foundation.log(Double(n)) / eta
                let slack = Double(n) * epsilon + 1e-12
                XCTAssertGreaterThanOrEqual(scaled, exact.cost - slack, "n=\(n) η=\(eta): below the optimal assignment")
                XCTAssertLessThanOrEqual(scaled, exact.cost + bound + slack, "n=\(n) η=\(eta): n⟨C,P⟩ = \(scaled), A = \(exact.cost), bound \(bound)")

                if Double(n) * Foundation.log(Double(n)) / (eta * exact.gap) < 0.5 {
                    argmaxChecked += 1
                    for i in 0..<n {
                        let row = Array(plan.elements[(i * n)..<((i + 1) * n)])
                        let argmax = row.indices.max { row[$0] < row[$1] }!
                        XCTAssertEqual(argmax, exact.best[i], "n=\(n) η=\(eta): row \(i)")
                    }
                }
            }
        }
        // The sufficient condition must have held somewhere, or the argmax claim went untested.
        XCTAssertGreaterThanOrEqual(argmaxChecked, 3)
    }

    func testSinkhornAgreesWithAssignmentBound() throws {
        // Plain (log-stabilised) Sinkhorn on the same kind of problem, one size.
        let n = 6, eta = 200.0
        let problem = try ProblemGenerator.make(.randomAssignment, n: n, eta: eta, streams: RandomStreams(seed: SinkhornFixtures.seed + 1))
        let exact = Self.bruteForce(problem.cost)
        // Sinkhorn's convergence is sublinear at this η (error ~ 1/k), so a looser target; its ε enters
        // the slack below.
        let result = LogStabilizedSinkhorn(targetError: 2e-5, maxIterations: 100_000).solve(problem)
        XCTAssertTrue(result.converged)
        let plan = TransportPlan(problem: problem, x: result.x, y: result.y).plan
        let epsilon = SinkhornFixtures.marginalError(problem, plan)
        let scaled = Double(n) * SinkhornFixtures.transportCost(problem, plan)
        let slack = Double(n) * epsilon + 1e-12
        XCTAssertGreaterThanOrEqual(scaled, exact.cost - slack)
        XCTAssertLessThanOrEqual(scaled, exact.cost + Double(n) * Foundation.log(Double(n)) / eta + slack)
    }
}
