import Foundation
import HarnessCore

/// Log–log slopes and Student-t intervals over seeds (the saturating law is `SaturatingLaw`).
public enum ScalingFit {
    /// Least-squares slope of log y on log x (natural logs). NaN with fewer than two points
    /// or a non-positive value.
    public static func logLogSlope(x: [Double], y: [Double]) -> Double {
        precondition(x.count == y.count, "slope: \(x.count) x values, \(y.count) y values")
        guard x.count >= 2, x.allSatisfy({ $0 > 0 }), y.allSatisfy({ $0 > 0 && $0.isFinite }) else { return .nan }
        let lx = x.map { log($0) }, ly = y.map { log($0) }
        let mx = lx.reduce(0, +) / Double(lx.count), my = ly.reduce(0, +) / Double(ly.count)
        var sxy = 0.0, sxx = 0.0
        for i in lx.indices {
            sxy += (lx[i] - mx) * (ly[i] - my)
            sxx += (lx[i] - mx) * (lx[i] - mx)
        }
        return sxx > 0 ? sxy / sxx : .nan
    }

    /// Mean of `values` with a two-sided Student-t interval at `level` (0.95 or 0.90); no
    /// interval for fewer than two values. NaNs make the result NaN (nothing measurable).
    public static func meanWithInterval(_ values: [Double], level: Double = 0.95) -> (mean: Double, interval: MetricInterval?) {
        guard !values.isEmpty else { return (.nan, nil) }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count >= 2, mean.isFinite else { return (mean, nil) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        let half = studentT(degreesOfFreedom: values.count - 1, level: level) * (variance / Double(values.count)).squareRoot()
        return (mean, MetricInterval(lower: mean - half, upper: mean + half, level: level))
    }

    /// Two-sided Student-t quantile t_{(1+level)/2, df} for level 0.95 or 0.90 (tabulated to
    /// df = 30, then the normal quantile with a 1/df correction, accurate to 1e-3).
    public static func studentT(degreesOfFreedom df: Int, level: Double) -> Double {
        precondition(df >= 1, "t quantile needs at least one degree of freedom")
        let t95: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
                             2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        let t90: [Double] = [6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761,
                             1.753, 1.746, 1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697]
        let (table, z) = level == 0.90 ? (t90, 1.6449) : (t95, 1.9600)
        precondition(level == 0.90 || level == 0.95, "t quantile tabulated for levels 0.90 and 0.95 only")
        return df <= table.count ? table[df - 1] : z + (z * z * z + z) / (4 * Double(df))
    }
}
