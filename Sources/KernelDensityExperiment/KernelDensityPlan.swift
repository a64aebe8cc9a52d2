import HarnessCore

/// The plan of a `kde` run (docs/ARCHITECTURE.md, "Plan"): the metrics and tables it reports,
/// its peak memory and the upper bound of every preset key, from the parameters alone.
extension KernelDensityRegimesExperiment {
    /// The (d, α) cells that run: those with n = e^{αd} ≤ max_points, in work-unit order.
    static func runnableCells(_ p: Parameters) -> [(Int, Double)] {
        p.dimensions.flatMap { d in p.alphas.map { (d, $0) } }
            .filter { SampleSize.points(alpha: $0.1, dimension: $0.0) <= Double(p.maxPoints) }
    }

    /// Metric names as `RegimeMetrics` builds them, per runnable cell and bandwidth ratio.
    public static func plannedOutput(_ p: Parameters) -> PlannedOutput {
        var planned = PlannedOutput(tables: ["points.csv", "theory.csv"])
        for (d, alpha) in runnableCells(p) {
            let prefix = "d=\(d)/alpha=\(format(alpha))/"
            planned.add(prefix + "n", .exact)
            planned.add(prefix + "sample_checksum", .exact)
            for name in ["h_g", "h_clt", "h_kl_theory"] { planned.add(prefix + name, .numeric) }
            for name in ["hill_tail_index_at_h_g", "share_crossover_over_h_g", "kl_optimal_h_over_h_clt", "kl_optimal_h_over_h_g",
                         "kl_optimal_tail_index"] {
                planned.add(prefix + name, .stochastic)
            }
            for ratio in p.bandwidthRatios {
                let point = prefix + "r=\(format(ratio))/"
                for name in ["largest_share", "inverse_participation", "relative_variance", "excess_kurtosis", "hill_tail_index",
                             "kl_per_dimension"] {
                    planned.add(point + name, .stochastic)
                }
            }
            // Share claims are judged only on cells with enough points (`RegimeMetrics`).
            guard SampleSize.points(alpha: alpha, dimension: d) >= Double(p.minPointsForShareClaims) else { continue }
            let judged = "share-claims/d=\(d)/alpha=\(format(alpha))/"
            planned.add(judged + "share_crossover_over_h_g", .stochastic)
            for ratio in p.bandwidthRatios { planned.add(judged + "r=\(format(ratio))/largest_share", .stochastic) }
        }
        return planned
    }

    /// Points are generated in blocks of `KernelSums.blockSize`, so memory does not grow with n:
    /// per worker a block, its cross terms with the queries and the running sums; per cell the
    /// per-replicate statistics. Up to two workers' worth is counted.
    public static func peakMemory(_ p: Parameters) -> MemoryEstimate {
        let d = Double(p.dimensions.max() ?? 0), q = Double(p.queries), r = Double(p.replicates)
        let hs = Double(p.bandwidthRatios.count), k = Double(p.hillTerms + 1), block = 2048.0
        let worker = block * d + 3 * q * block + q * hs + q * k
        let perCell = r * q * (3 * hs + 1) + q * d
        return MemoryEstimate(bytes: 8 * (2 * worker + perCell) + 64 * 1024 * 1024, keys: ["queries", "replicates", "dimensions", "bandwidth_ratios"])
    }

    /// Upper bounds of the keys that `decodeParameters` does not bound by a range of its own.
    static func checkBounds(_ p: Parameters, _ table: ParameterTable) throws {
        for (key, count) in [("dimensions", p.dimensions.count), ("alphas", p.alphas.count), ("bandwidth_ratios", p.bandwidthRatios.count)]
        where count > 64 {
            throw table.error(key, "at most 64 values, got \(count)")
        }
        if Set(p.dimensions).count != p.dimensions.count { throw table.error("dimensions", "list each dimension once") }
        if Set(p.alphas).count != p.alphas.count { throw table.error("alphas", "list each alpha once") }
        if let bad = p.alphas.first(where: { $0 > 10 }) { throw table.error("alphas", "alpha = log(n)/d must be at most 10, got \(bad)") }
        if let bad = p.bandwidthRatios.first(where: { $0 > 1000 }) { throw table.error("bandwidth_ratios", "ratio \(bad) is above 1000") }
        if p.queries > 65_536 { throw table.error("queries", "must be at most 65536, got \(p.queries)") }
        if p.replicates > 100_000 { throw table.error("replicates", "must be at most 100000, got \(p.replicates)") }
        if p.hillTerms > 1000 { throw table.error("hill_terms", "must be at most 1000, got \(p.hillTerms)") }
        if p.minPointsForShareClaims > 10_000_000 {
            throw table.error("min_points_for_share_claims", "must be at most 10000000 (the largest sample), got \(p.minPointsForShareClaims)")
        }
    }
}
