import Foundation

/// Standard errors and Student-t intervals for `stochastic` metrics (docs/ARCHITECTURE.md, "Run
/// record": mean ± standard error over replicates or seeds).
///
/// Two estimators, both over independent replicates:
/// - the mean of per-replicate values: standard error s/√R, where s² is the sample variance;
/// - any other statistic of the R replicates (a variance ratio, a kurtosis, a crossing point):
///   the delete-one jackknife, SE² = (R − 1)/R · Σᵢ (θ₍ᵢ₎ − θ̄₍·₎)² with θ₍ᵢ₎ computed without
///   replicate i (Efron & Tibshirani, *An Introduction to the Bootstrap*, ch. 11). For the mean
///   the jackknife gives exactly s/√R, which the tests check.
/// The interval is value ± t_{0.975, R−1} · SE (a 95% Student-t interval).
public enum StochasticEstimate {
    /// Level of every interval built here.
    public static let level = 0.95

    /// The two-sided 95% Student-t quantile t_{0.975, df}: tabulated for df ≤ 30 (three
    /// decimals, as printed in standard tables), then the Cornish–Fisher expansion in 1/df
    /// around the normal quantile (error below 2·10⁻⁴ for df > 30).
    public static func studentT95(degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1, "a t quantile needs at least one degree of freedom")
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
                               2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df <= table.count { return table[df - 1] }
        let z = 1.959963984540054, n = Double(df)
        let z3 = z * z * z, z5 = z3 * z * z
        return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
    }

    /// The standard error of the mean of `samples`: s/√R. NaN for fewer than two samples.
    public static func standardErrorOfMean(_ samples: [Double]) -> Double {
        guard samples.count >= 2 else { return .nan }
        let n = Double(samples.count)
        let mean = samples.reduce(0, +) / n
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (variance / n).squareRoot()
    }

    /// The delete-one jackknife standard error from the R leave-one-out values θ₍ᵢ₎.
    /// NaN when fewer than two are given or any is not finite.
    public static func jackknifeStandardError(leaveOneOut values: [Double]) -> Double {
        guard values.count >= 2, values.allSatisfy(\.isFinite) else { return .nan }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        return ((n - 1) / n * values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }).squareRoot()
    }
}

extension Metric {
    /// A `stochastic` metric: `value` with its standard error over `replicates` independent
    /// replicates and a 95% t-interval. A standard error that could not be estimated (NaN) gives
    /// the unbounded interval, so a claim on it is inconclusive rather than judged on a point.
    public static func stochastic(_ value: Double, standardError: Double, replicates: Int, unit: String = "1") -> Metric {
        guard standardError.isFinite, replicates >= 2, value.isFinite else {
            let interval = value.isNaN ? nil : MetricInterval(lower: -.infinity, upper: .infinity, level: nil)
            return Metric(value, unit: unit, class: .stochastic, interval: interval, standardError: nil)
        }
        let half = StochasticEstimate.studentT95(degreesOfFreedom: replicates - 1) * standardError
        return Metric(value, unit: unit, class: .stochastic,
                      interval: MetricInterval(lower: value - half, upper: value + half, level: StochasticEstimate.level),
                      standardError: standardError)
    }

    /// The mean of independent per-replicate values, with SE s/√R and a 95% t-interval.
    public static func stochastic(samples: [Double], unit: String = "1") -> Metric {
        let mean = samples.isEmpty ? .nan : samples.reduce(0, +) / Double(samples.count)
        return stochastic(mean, standardError: StochasticEstimate.standardErrorOfMean(samples), replicates: samples.count, unit: unit)
    }

    /// A statistic of all R replicates (`value`) with the jackknife SE from its R leave-one-out values.
    public static func jackknife(_ value: Double, leaveOneOut: [Double], unit: String = "1") -> Metric {
        stochastic(value, standardError: StochasticEstimate.jackknifeStandardError(leaveOneOut: leaveOneOut),
                   replicates: leaveOneOut.count, unit: unit)
    }
}
