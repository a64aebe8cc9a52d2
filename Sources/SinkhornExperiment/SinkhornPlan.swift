import HarnessCore

/// The plan of a `sinkhorn` run (docs/ARCHITECTURE.md, "Plan"): the metrics and tables it
/// reports, its peak memory and the upper bound of every preset key, from the parameters alone.
extension SinkhornConvergenceExperiment {
    /// Metric names as `run` builds them: `<case>/n=<n>/eta=<η>/<metric>` per grid cell
    /// (`SolverComparison.metrics`), random assignment's replicate means, the sparsity sweep per
    /// (case, n), and the Fashion-MNIST split's checksum when an image case runs.
    public static func plannedOutput(_ p: Parameters) -> PlannedOutput {
        var planned = PlannedOutput(tables: ["convergence.csv", "iterations_vs_eta.csv", "sparsity.csv"])
        if p.cases.contains(where: { $0.fixedSize != nil }) {
            planned.add("fashion-mnist/test_split_checksum", .exact)
            planned.add("fashion-mnist/test_split_images", .exact)
        }
        for kind in p.cases {
            for n in p.sizes(for: kind) {
                for eta in p.eta {
                    let label = "\(kind.rawValue)/n=\(n)/eta=\(format(eta))/"
                    for name in ["sinkhorn_iterations", "sns_iterations", "newton_steps", "kept_fraction", "dropped_mass_at_switch",
                                 "mass_budget_kept_fraction", "transport_cost_sinkhorn", "transport_cost_sns", "cost_relative_difference"] {
                        planned.add(label + name, .numeric)
                    }
                    planned.add(label + "iteration_ratio", .numeric, unit: "x")
                    for name in ["sinkhorn_converged", "sns_converged", "problem_checksum"] { planned.add(label + name, .exact) }
                    planned.add(label + "sinkhorn_seconds", .timing, unit: "s")
                    planned.add(label + "sns_seconds", .timing, unit: "s")
                    planned.add(label + "wall_time_ratio", .timing, unit: "x")
                    if kind == .randomAssignment && p.replicates >= 2 {
                        planned.add(label + "replicates/sns_iterations", .stochastic)
                        planned.add(label + "replicates/iteration_ratio", .stochastic, unit: "x")
                        planned.add(label + "replicates/instances", .exact)
                    }
                }
                let sweep = "\(kind.rawValue)/n=\(n)/sparsity/"
                for eta in p.sparsityEta { planned.add(sweep + "eta=\(format(eta))/dropped_mass", .numeric) }
                let warmup = p.settings(for: kind).warmupSinkhornSteps
                for factor in p.sparsityWarmupFactors { planned.add(sweep + "warmup=\(factor * warmup)/dropped_mass", .numeric) }
                planned.add(sweep + "dropped_mass_growth_eta", .numeric)
                planned.add(sweep + "dropped_mass_growth_warmup", .numeric)
            }
        }
        return planned
    }

    /// At most about eight n × n Float64 matrices live at once at the largest n: the cost, the
    /// Sinkhorn kernel, the plans of both solvers and the sparsified Hessian (values and indices).
    public static func peakMemory(_ p: Parameters) -> MemoryEstimate {
        let n = Double(p.cases.flatMap { p.sizes(for: $0) }.max() ?? 0)
        return MemoryEstimate(bytes: 8 * 8 * n * n + 64 * 1024 * 1024, keys: ["n"])
    }

    /// Upper bounds of the keys that `decodeParameters` does not bound by a range of its own.
    static func checkBounds(_ p: Parameters, _ table: ParameterTable) throws {
        for (key, count) in [("cases", p.cases.count), ("n", p.n.count), ("eta", p.eta.count)] where count > 64 {
            throw table.error(key, "at most 64 values, got \(count)")
        }
        if Set(p.cases).count != p.cases.count { throw table.error("cases", "list each case once") }
        if Set(p.n).count != p.n.count { throw table.error("n", "list each size once") }
        if Set(p.eta).count != p.eta.count { throw table.error("eta", "list each value once") }
        if p.cases.count * p.n.count * p.eta.count > 4096 {
            throw table.error("eta", "the grid cases × n × eta has \(p.cases.count * p.n.count * p.eta.count) cells, above 4096: split the preset")
        }
        if let bad = p.eta.first(where: { $0 > 1e6 }) { throw table.error("eta", "inverse regularisation \(bad) is above 1e6") }
        if !(p.targetError <= 1) { throw table.error("target_error", "must be at most 1 (an L1 marginal error), got \(p.targetError)") }
        if p.maxSinkhornIterations > 10_000_000 { throw table.error("max_sinkhorn_iterations", "must be at most 10000000") }
        if p.warmupSinkhornSteps > 100_000 { throw table.error("warmup_sinkhorn_steps", "must be at most 100000") }
        if p.maxNewtonIterations > 100_000 { throw table.error("max_newton_iterations", "must be at most 100000") }
        if p.replicates > 1000 { throw table.error("replicates", "must be at most 1000, got \(p.replicates)") }
        for (key, count) in [("sparsity_eta", p.sparsityEta.count), ("sparsity_warmup_factors", p.sparsityWarmupFactors.count)] where count > 64 {
            throw table.error(key, "at most 64 values, got \(count)")
        }
        if let bad = p.sparsityEta.first(where: { $0 > 1e6 }) { throw table.error("sparsity_eta", "inverse regularisation \(bad) is above 1e6") }
        if let bad = p.sparsityWarmupFactors.first(where: { $0 > 1000 }) {
            throw table.error("sparsity_warmup_factors", "factor \(bad) is above 1000")
        }
    }
}
