import Foundation
import HarnessCore
import ImageDatasets
import LinearAlgebra

/// The `sinkhorn` suite: Sinkhorn vs Sinkhorn-Newton-Sparse on the paper's problem families
/// (Tang et al. 2024, Sec. 6, Fig. 1–3, Table 1), swept over size n and inverse regularisation η.
/// SNS is Alg. 1 with its fixed keep-count rule: N₁ Sinkhorn steps, then Newton steps whose
/// Hessian keeps the ρn² largest plan entries (ρ = 2/n, or the case's `per_case` value).
///
/// For every (case, n, η) both solvers run to the same marginal-error target; metrics are named
/// `<case>/n=<n>/eta=<η>/<metric>` (`SolverComparison.metrics`):
/// - `sinkhorn_iterations`, `sns_iterations` (N₁ warm-up + Newton steps), `newton_steps`,
///   `sinkhorn_converged`, `sns_converged`;
/// - `iteration_ratio` = Sinkhorn / SNS iterations. When Sinkhorn stops at its iteration cap
///   without reaching the target, the ratio is a lower bound, stored as the interval [ratio, ∞);
/// - `kept_fraction` (ρ as kept) and `dropped_mass_at_switch`: the share of the plan's mass the
///   keep-count rule drops at the first Newton step;
/// - `mass_budget_kept_fraction` (ours, a diagnostic): the share of entries that must be kept to
///   drop at most `diagnostic_dropped_mass` of the mass at that point;
/// - `transport_cost_sinkhorn`, `transport_cost_sns`, `cost_relative_difference`;
/// - `problem_checksum` (exact): a checksum of the generated cost and marginals' bits;
/// - `sinkhorn_seconds`, `sns_seconds`, `wall_time_ratio` (timing; never golden-compared).
///
/// Per (case, n), the sparsity sweep (`SparsitySweep`) adds `sparsity/eta=<η>/dropped_mass`,
/// `sparsity/warmup=<N>/dropped_mass` and their largest consecutive growth,
/// `sparsity/dropped_mass_growth_eta` and `sparsity/dropped_mass_growth_warmup`.
///
/// With `replicates` R ≥ 2, random assignment is also solved on R independent instances per
/// (n, η) (replicate 0 is the main one): `replicates/sns_iterations` and
/// `replicates/iteration_ratio` are `stochastic` means with standard errors and 95% t intervals.
///
/// The run is made of work units (`SinkhornUnits.swift`): one per (case, n, η) comparison, its
/// replicates included, and one per (case, n) sparsity sweep; `run` runs them all and assembles.
public enum SinkhornConvergenceExperiment: Experiment {
    public static let id: ExperimentID = "sinkhorn.convergence"

    /// The sparsity sweep of one (case, n): over `sparsity_eta` at the case's N₁, and over
    /// `sparsity_warmup_factors` × N₁ at the largest η of the grid.
    static func sweep(_ kind: TransportCase, n: Int, parameters: Parameters, context: RunContext, images: ImageInputs?)
        throws -> (eta: [SparsitySweep.Point], warmup: [SparsitySweep.Point]) {
        let settings = parameters.settings(for: kind)
        func point(eta: Double, warmup: Int) throws -> SparsitySweep.Point {
            let problem = try ProblemGenerator.make(kind, n: n, eta: eta, streams: context.streams, images: images)
            return SparsitySweep.point(problem, warmup: warmup, rule: settings.sparsification,
                                       diagnosticDroppedMass: parameters.diagnosticDroppedMass, threads: context.threads)
        }
        let largestEta = parameters.eta.max()!
        return (try parameters.sparsityEta.map { try point(eta: $0, warmup: settings.warmupSinkhornSteps) },
                try parameters.sparsityWarmupFactors.map { try point(eta: largestEta, warmup: $0 * settings.warmupSinkhornSteps) })
    }

    /// Stochastic means over random-assignment instances. When Sinkhorn stopped at its cap on
    /// some instance, that ratio is only a lower bound, so the mean's interval is open above
    /// ([t-interval's lower end, ∞)); when SNS stopped at its cap anywhere, the mean ratio is NaN.
    static func replicateMetrics(_ comparisons: [SolverComparison]) -> [String: Metric] {
        var ratio = Metric.stochastic(samples: comparisons.map(\.iterationRatio.0), unit: "x")
        if comparisons.contains(where: { !$0.sns.converged }) {
            ratio = Metric(.nan, unit: "x", class: .stochastic)
        } else if comparisons.contains(where: { !$0.sinkhorn.converged }), let interval = ratio.interval {
            ratio.interval = MetricInterval(lower: interval.lower, upper: .infinity, level: interval.level)
        }
        return [
            "sns_iterations": Metric.stochastic(samples: comparisons.map { Double($0.sns.trace.iterations) }),
            "iteration_ratio": ratio,
            "instances": .exact(comparisons.count),
        ]
    }

    /// η as it appears in metric names: shortest round-trip form, no trailing ".0".
    static func format(_ eta: Double) -> String {
        eta == eta.rounded() && abs(eta) < 1e15 ? String(Int(eta)) : "\(eta)"
    }
}
