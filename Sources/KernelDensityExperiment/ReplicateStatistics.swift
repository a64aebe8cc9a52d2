import Foundation

/// Summaries of one query's density estimates across replicate samples, and of curves over the
/// bandwidth grid.
public enum ReplicateStatistics {
    /// Var/mean² of the values e^{logs}, computed after dividing by the largest (so nothing
    /// overflows); the sample variance with the n − 1 denominator.
    public static func relativeVariance(logs: [Double]) -> Double {
        let values = scaled(logs)
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return variance / (mean * mean)
    }

    /// Excess kurtosis m₄/m₂² − 3 of the values e^{logs} (moment estimator): 0 for a Gaussian,
    /// large when a few replicates dominate (heavy, α-stable tails).
    public static func excessKurtosis(logs: [Double]) -> Double {
        let values = scaled(logs)
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        var m2 = 0.0, m4 = 0.0
        for v in values {
            let c = (v - mean) * (v - mean)
            m2 += c
            m4 += c * c
        }
        m2 /= n
        m4 /= n
        return m2 > 0 ? m4 / (m2 * m2) - 3 : .nan
    }

    private static func scaled(_ logs: [Double]) -> [Double] {
        let top = logs.max() ?? 0
        return logs.map { exp($0 - top) }
    }

    /// Where a decreasing curve y(x) first crosses `level`, by linear interpolation in log x;
    /// NaN when it never crosses. `x` ascending.
    public static func crossing(x: [Double], y: [Double], level: Double) -> Double {
        for i in 0..<(x.count - 1) where y[i] >= level && y[i + 1] < level {
            let f = (y[i] - level) / (y[i] - y[i + 1])
            return exp(log(x[i]) + f * (log(x[i + 1]) - log(x[i])))
        }
        return .nan
    }

    /// The minimiser of y(x) on the grid, refined by the parabola through the smallest value
    /// and its neighbours in log x. At an end of the grid, the end point and `atEdge` = true.
    public static func minimiser(x: [Double], y: [Double]) -> (x: Double, atEdge: Bool) {
        guard let best = y.indices.filter({ !y[$0].isNaN }).min(by: { y[$0] < y[$1] }) else { return (.nan, false) }
        guard best > 0, best < x.count - 1 else { return (x[best], true) }
        let (a, b, c) = (log(x[best - 1]), log(x[best]), log(x[best + 1]))
        let (fa, fb, fc) = (y[best - 1], y[best], y[best + 1])
        let numerator = (b - a) * (b - a) * (fb - fc) - (b - c) * (b - c) * (fb - fa)
        let denominator = (b - a) * (fb - fc) - (b - c) * (fb - fa)
        guard denominator != 0 else { return (x[best], false) }
        let vertex = b - 0.5 * numerator / denominator
        return (exp(min(max(vertex, a), c)), false)
    }
}
