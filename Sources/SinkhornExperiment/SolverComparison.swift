import Foundation
import HarnessCore
import LinearAlgebra

/// Sinkhorn and SNS (Alg. 1 with the case's ρ and N₁) on one problem, and the metrics comparing them.
struct SolverComparison {
    let sinkhorn: LogStabilizedSinkhorn.Result
    let sns: SinkhornNewtonSparse.Result
    let sinkhornSeconds: Double
    let snsSeconds: Double
    let sinkhornCost: Double

    /// `threads` parallelises plan evaluations only; every result is bit-identical for any value.
    init(problem: EntropicOTProblem, parameters: SinkhornConvergenceExperiment.Parameters,
         settings: SinkhornConvergenceExperiment.CaseSettings, threads: Int = 1) {
        var sinkhornResult: LogStabilizedSinkhorn.Result?
        sinkhornSeconds = Stopwatch.time {
            var solver = LogStabilizedSinkhorn(targetError: parameters.targetError, maxIterations: parameters.maxSinkhornIterations)
            solver.threads = threads
            sinkhornResult = solver.solve(problem)
        }
        sinkhorn = sinkhornResult!
        var snsResult: SinkhornNewtonSparse.Result?
        snsSeconds = Stopwatch.time {
            var solver = SinkhornNewtonSparse(
                targetError: parameters.targetError, warmupIterations: settings.warmupSinkhornSteps,
                maxNewtonIterations: settings.maxNewtonIterations, sparsification: settings.sparsification)
            solver.diagnosticDroppedMass = parameters.diagnosticDroppedMass
            solver.threads = threads
            snsResult = solver.solve(problem)
        }
        sns = snsResult!
        sinkhornCost = TransportPlan(problem: problem, x: sinkhorn.x, y: sinkhorn.y, threads: threads).transportCost(problem)
    }

    /// baseline / candidate, with what a capped run implies: a Sinkhorn run stopped at its cap
    /// makes the ratio a lower bound [r, ∞); an SNS run stopped at its cap makes it an upper
    /// bound [0, r]; when both stopped nothing is known (NaN).
    func speedup(_ baseline: Double, over candidate: Double) -> (Double, MetricInterval?) {
        let value = baseline / candidate
        switch (sinkhorn.converged, sns.converged) {
        case (true, true): return (value, nil)
        case (false, true): return (value, MetricInterval(lower: value, upper: .infinity, level: nil))
        case (true, false): return (value, MetricInterval(lower: 0, upper: value, level: nil))
        case (false, false): return (.nan, nil)
        }
    }

    var iterationRatio: (Double, MetricInterval?) {
        speedup(Double(sinkhorn.trace.iterations), over: max(Double(sns.trace.iterations), 1))
    }

    func metrics(problem: EntropicOTProblem) -> [String: Metric] {
        let (ratio, ratioBound) = iterationRatio
        let (timeRatio, timeBound) = speedup(sinkhornSeconds, over: snsSeconds)
        let difference = abs(sns.transportCost - sinkhornCost) / abs(sinkhornCost)
        return [
            "sinkhorn_iterations": .numeric(Double(sinkhorn.trace.iterations)),
            "sinkhorn_converged": .exact(sinkhorn.converged ? 1 : 0),
            "sns_iterations": .numeric(Double(sns.trace.iterations)),
            "sns_converged": .exact(sns.converged ? 1 : 0),
            "newton_steps": .numeric(Double(sns.newtonSteps)),
            "iteration_ratio": .numeric(ratio, unit: "x", interval: ratioBound),
            // Alg. 1's ρ as kept (⌈ρn²⌉ / n²) and the share of the plan's mass it dropped.
            "kept_fraction": .numeric(sns.keptFractionAtSwitch),
            "dropped_mass_at_switch": .numeric(sns.droppedMassAtSwitch),
            // Ours, a diagnostic: the kept fraction a mass budget would need at the same point.
            "mass_budget_kept_fraction": .numeric(sns.massBudgetKeptFractionAtSwitch),
            "transport_cost_sinkhorn": .numeric(sinkhornCost),
            "transport_cost_sns": .numeric(sns.transportCost),
            // Only meaningful when both reached the target.
            "cost_relative_difference": .numeric(sinkhorn.converged && sns.converged ? difference : .nan),
            "problem_checksum": .exact(ProblemChecksum.of(problem)),
            "sinkhorn_seconds": .timing(sinkhornSeconds, unit: "s"),
            "sns_seconds": .timing(snsSeconds, unit: "s"),
            "wall_time_ratio": .timing(timeRatio, unit: "x", interval: timeBound),
        ]
    }
}

/// A checksum of a problem's bits (cost, then source and target marginals), exact on any
/// machine (`BitChecksum`: integer FNV-1a over the IEEE-754 bit patterns).
enum ProblemChecksum {
    static func of(_ problem: EntropicOTProblem) -> Double {
        var checksum = BitChecksum()
        checksum.add(problem.cost.elements)
        checksum.add(problem.source)
        checksum.add(problem.target)
        return checksum.value
    }
}
