import HarnessCore

/// The metrics of one (d, α) cell, named as `KernelDensityRegimesExperiment` documents.
enum RegimeMetrics {
    static func metrics(_ cell: RegimeCell) -> [String: Metric] {
        let f = KernelDensityRegimesExperiment.format
        let prefix = "d=\(cell.dimension)/alpha=\(f(cell.alpha))/"
        var out: [String: Metric] = [
            prefix + "n": .exact(cell.points),
            prefix + "sample_checksum": .exact(cell.sampleChecksum),
            prefix + "h_g": .numeric(cell.extremeValueThreshold),
            prefix + "h_clt": .numeric(cell.cltThreshold),
            prefix + "h_kl_theory": .numeric((try? RegimeTheory.klOptimalBandwidth(alpha: cell.alpha)) ?? .nan),
            prefix + "hill_tail_index_at_h_g": .numeric(cell.hillTailIndexAtExtremeValueThreshold),
        ]
        let ratios = cell.grid.map(\.ratio)
        out[prefix + "share_crossover_over_h_g"] = .numeric(
            ReplicateStatistics.crossing(x: ratios, y: cell.grid.map(\.largestShare), level: 0.5))
        let (best, atEdge) = ReplicateStatistics.minimiser(x: cell.grid.map(\.bandwidth), y: cell.grid.map(\.klPerDimension))
        for (name, threshold) in [("kl_optimal_h_over_h_clt", cell.cltThreshold), ("kl_optimal_h_over_h_g", cell.extremeValueThreshold)] {
            let value = best / threshold
            // At an end of the grid the optimum is only known to lie beyond it.
            let bound: MetricInterval? = !atEdge ? nil
                : best == cell.grid[0].bandwidth ? MetricInterval(lower: 0, upper: value, level: nil)
                : MetricInterval(lower: value, upper: .infinity, level: nil)
            out[prefix + name] = .numeric(value, interval: bound)
        }
        for point in cell.grid {
            let p = prefix + "r=\(f(point.ratio))/"
            out[p + "largest_share"] = .numeric(point.largestShare)
            out[p + "inverse_participation"] = .numeric(point.inverseParticipation)
            out[p + "relative_variance"] = .numeric(point.relativeVariance)
            out[p + "excess_kurtosis"] = .numeric(point.excessKurtosis)
            out[p + "hill_tail_index"] = .numeric(point.hillTailIndex)
            out[p + "kl_per_dimension"] = .numeric(point.klPerDimension)
        }
        return out
    }
}
