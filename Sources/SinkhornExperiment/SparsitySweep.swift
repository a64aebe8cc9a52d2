import Foundation
import HarnessCore

/// How much of the plan's mass Alg. 1's keep-count rule drops at the switch to Newton, as η and
/// the warm-up N₁ grow (Tang et al. 2024, Sec. 5: after the warm-up the plan is approximately
/// sparse, within an error that shrinks as η grows, for η above a bound set by the cost gap).
///
/// Each point runs N₁ Sinkhorn steps on the problem at η, evaluates the plan there, and applies
/// the case's rule exactly as SNS's first Newton step does.
enum SparsitySweep {
    struct Point {
        var eta: Double
        var warmup: Int
        var droppedMass: Double
        var massBudgetKeptFraction: Double
    }

    static func point(_ problem: EntropicOTProblem, warmup: Int, rule: SparsificationRule, diagnosticDroppedMass: Double, threads: Int) -> Point {
        var sinkhorn = LogStabilizedSinkhorn(targetError: 0, maxIterations: warmup)
        sinkhorn.threads = threads
        let warm = sinkhorn.solve(problem)
        let plan = TransportPlan(problem: problem, x: warm.x, y: warm.y, threads: threads)
        return Point(
            eta: problem.eta, warmup: warmup,
            droppedMass: SparsifiedHessian(plan: plan, eta: problem.eta, rule: rule).droppedMassFraction,
            massBudgetKeptFraction: SparsifiedHessian.massBudgetKeptFraction(plan, droppedMass: diagnosticDroppedMass))
    }

    /// The largest ratio of consecutive values, next / previous: at most 1 exactly when the
    /// sequence never grows. 0 → 0 counts as 1, 0 → positive as +∞; NaN for fewer than two values.
    static func largestGrowth(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return .nan }
        return zip(values, values.dropFirst()).map { previous, next in
            previous > 0 ? next / previous : (next > 0 ? .infinity : 1)
        }.max()!
    }
}
