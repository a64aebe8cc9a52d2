import HarnessCore

/// The metrics of one (d, α) cell, named as `KernelDensityRegimesExperiment` documents.
///
/// Everything measured is `stochastic`: the value over all R replicate samples, its delete-one
/// jackknife standard error over those samples (for the means, exactly s/√R) and a 95%
/// Student-t interval with R − 1 degrees of freedom, so that a claim whose bound lies inside the
/// interval is inconclusive. The 32 query points are held fixed across replicates: the errors
/// are over the data samples, conditional on the queries. Theory values are `numeric`, n `exact`.
enum RegimeMetrics {
    static func metrics(_ cell: RegimeCell, minPointsForShareClaims: Int) -> [String: Metric] {
        let f = KernelDensityRegimesExperiment.format
        let cellName = "d=\(cell.dimension)/alpha=\(f(cell.alpha))"
        let prefix = cellName + "/"
        func measured(_ statistic: (RegimeCell.Summary) -> Double) -> Metric {
            .jackknife(statistic(cell.full), leaveOneOut: cell.leaveOneOut.map(statistic))
        }
        var out: [String: Metric] = [
            prefix + "n": .exact(cell.points),
            prefix + "sample_checksum": .exact(cell.sampleChecksum),
            prefix + "h_g": .numeric(cell.extremeValueThreshold),
            prefix + "h_clt": .numeric(cell.cltThreshold),
            prefix + "h_kl_theory": .numeric((try? RegimeTheory.klOptimalBandwidth(alpha: cell.alpha)) ?? .nan),
            prefix + "hill_tail_index_at_h_g": measured(\.hillTailIndexAtExtremeValueThreshold),
            prefix + "share_crossover_over_h_g": measured(\.shareCrossoverOverHG),
        ]
        // The KL optimum against each threshold, and as the tail index μ = (h/h_G)² it sits at
        // (1 < μ < 2 is the α-stable regime between h_G and h_CLT).
        let hG = cell.extremeValueThreshold
        let optima: [(String, (Double) -> Double)] = [
            ("kl_optimal_h_over_h_clt", { $0 / cell.cltThreshold }),
            ("kl_optimal_h_over_h_g", { $0 / hG }),
            ("kl_optimal_tail_index", { ($0 / hG) * ($0 / hG) }),
        ]
        for (name, scale) in optima {
            if cell.full.klOptimumAtEdge {
                // At an end of the grid the optimum is only known to lie beyond it.
                let value = scale(cell.full.klOptimalBandwidth)
                let atLowEnd = cell.full.klOptimalBandwidth == cell.grid[0].bandwidth
                out[prefix + name] = Metric(value, unit: "1", class: .stochastic, interval: atLowEnd
                    ? MetricInterval(lower: 0, upper: value, level: nil) : MetricInterval(lower: value, upper: .infinity, level: nil))
            } else {
                out[prefix + name] = measured { scale($0.klOptimalBandwidth) }
            }
        }
        for (h, point) in cell.grid.enumerated() {
            let p = prefix + "r=\(f(point.ratio))/"
            out[p + "largest_share"] = measured { $0.grid[h].largestShare }
            out[p + "inverse_participation"] = measured { $0.grid[h].inverseParticipation }
            out[p + "relative_variance"] = measured { $0.grid[h].relativeVariance }
            out[p + "excess_kurtosis"] = measured { $0.grid[h].excessKurtosis }
            out[p + "hill_tail_index"] = measured { $0.grid[h].hillTailIndex }
            out[p + "kl_per_dimension"] = measured { $0.grid[h].klPerDimension }
        }
        // The share claims are statements about many comparable terms (or a few dominant ones)
        // among n = e^{αd}: they are judged only where n reaches the declared minimum, under
        // `share-claims/`; smaller cells are still measured and plotted above.
        if cell.points >= minPointsForShareClaims {
            let judged = "share-claims/" + cellName + "/"
            out[judged + "share_crossover_over_h_g"] = out[prefix + "share_crossover_over_h_g"]
            for point in cell.grid {
                let r = "r=\(f(point.ratio))/largest_share"
                out[judged + r] = out[prefix + r]
            }
        }
        return out
    }
}
