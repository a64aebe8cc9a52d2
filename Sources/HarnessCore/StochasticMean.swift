/// A `stochastic` metric from replicate values: their mean, its standard error s/√R, and a
/// two-sided 95% Student-t interval mean ± t·s/√R (DESIGN.md, "Determinism class").
public enum StochasticMean {
    /// The mean of `values` as a stochastic metric; with fewer than two values, or any value not
    /// finite, no standard error or interval (the value is then the plain mean, NaN if empty).
    public static func metric(_ values: [Double], unit: String = "1") -> Metric {
        guard !values.isEmpty else { return Metric(.nan, unit: unit, class: .stochastic) }
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        guard values.count >= 2, values.allSatisfy(\.isFinite) else { return Metric(mean, unit: unit, class: .stochastic) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
        let standardError = (variance / count).squareRoot()
        let half = studentT95(degreesOfFreedom: values.count - 1) * standardError
        return Metric(mean, unit: unit, class: .stochastic,
                      interval: MetricInterval(lower: mean - half, upper: mean + half, level: 0.95),
                      standardError: standardError)
    }

    /// t_{0.975, df}: tabulated to df = 30 (three decimals), then the normal quantile with its
    /// first 1/df correction (within 1e-3).
    public static func studentT95(degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1, "a t quantile needs at least one degree of freedom")
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
                               2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        let z = 1.959964
        return df <= table.count ? table[df - 1] : z + (z * z * z + z) / (4 * Double(df))
    }
}
