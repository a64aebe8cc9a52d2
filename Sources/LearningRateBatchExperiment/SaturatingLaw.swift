import Foundation

/// The saturating law lr_max(B) = c · (B / (B + B*))^α, fitted by least squares on log lr_max.
///
/// It holds the paper's two laws as special cases (Granziol et al. 2020 as we read them, see
/// `SpikedBatchHessianTheory`): α = 1 is SGD's c·B/(B + B*) (Sec. 5), α = ½ is Adam's
/// c·√(B/(B + B*)) (Sec. 6). Below B* it rises like B^α (the "small-B exponent" the scaling claims
/// test); above B* it flattens to the plateau c. Fitting α instead of reading a straight line off a
/// window of batch sizes keeps the exponent honest when the window reaches the bend: the exact
/// SGD law with B* = 13 has a log–log slope of only 0.61 on B ∈ {4, 8, 16}, yet its α is 1.
public struct SaturatingLaw: Sendable, Equatable {
    /// The plateau c, the value at B → ∞.
    public var plateau: Double
    /// B*, where the law reaches 2^(−α) of its plateau.
    public var crossover: Double
    /// α, the log–log slope for B ≪ B*. NaN when the fitted B* is below the smallest B (no batch
    /// size in the small-B regime, so nothing measures it).
    public var exponent: Double
    /// Root mean square of the log residuals.
    public var rmsLogResidual: Double
    /// Where B* ended up: below the smallest B, inside the batch sizes' reach, or at the upper end
    /// of the search range [min B / `searchMargin`, max B · `searchMargin`].
    public var position: Position

    public enum Position: String, Sendable {
        /// Inside the range: the data show the bend.
        case interior
        /// Below the smallest B: every B is past the bend, where the law rises by less than a
        /// factor 2^α; the small-B exponent α is not identified and is reported as NaN.
        case belowRange
        /// At the upper end: no bend within the batch sizes; α is the power-law slope.
        case aboveRange
    }

    public static let searchMargin = 100.0

    public func rate(batchSize b: Double) -> Double { plateau * pow(b / (b + crossover), exponent) }

    /// The most the fitted α can move, for this B*, when every log lr_max it was fitted to is off
    /// by at most `logError` (a scan's resolution): the least-squares slope on x = log(B/(B + B*))
    /// moves by Σ δᵢ(xᵢ − x̄)/Σ(xᵢ − x̄)², largest for δᵢ = ±logError with the sign of xᵢ − x̄.
    public func exponentShift(batchSizes: [Double], logError: Double) -> Double {
        let x = batchSizes.map { log($0 / ($0 + crossover)) }
        let mean = x.reduce(0, +) / Double(x.count)
        let spread = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return spread > 0 ? logError * x.reduce(0) { $0 + abs($1 - mean) } / spread : .infinity
    }

    /// The fraction of the plateau reached at `b`: (b/(b + B*))^α.
    public func plateauFraction(batchSize b: Double) -> Double { pow(b / (b + crossover), exponent) }

    /// The least-squares fit of log lr = log c + α·log(B/(B + B*)) to the points whose rate is
    /// finite and positive; nil with fewer than three such points, or fewer than three distinct B.
    ///
    /// For a fixed B* the model is linear in (log c, α), so both are closed-form; B* is found by
    /// a scan of log B* over the search range (200 points) refined by golden-section search
    /// within the best point's neighbours.
    public static func fit(batchSizes: [Double], rates: [Double]) -> SaturatingLaw? {
        precondition(batchSizes.count == rates.count, "saturating law: \(batchSizes.count) sizes, \(rates.count) rates")
        let points = zip(batchSizes, rates).filter { $0.0 > 0 && $0.1 > 0 && $0.1.isFinite }
        guard points.count >= 3, Set(points.map(\.0)).count >= 3 else { return nil }
        let sizes = points.map(\.0), logs = points.map { log($0.1) }

        func solve(_ logCrossover: Double) -> (logC: Double, alpha: Double, residual: Double) {
            let crossover = exp(logCrossover)
            let x = sizes.map { log($0 / ($0 + crossover)) }
            let n = Double(x.count)
            let mx = x.reduce(0, +) / n, my = logs.reduce(0, +) / n
            var sxx = 0.0, sxy = 0.0
            for i in x.indices {
                sxx += (x[i] - mx) * (x[i] - mx)
                sxy += (x[i] - mx) * (logs[i] - my)
            }
            let alpha = sxx > 0 ? sxy / sxx : 0
            let logC = my - alpha * mx
            var residual = 0.0
            for i in x.indices { residual += (logs[i] - logC - alpha * x[i]) * (logs[i] - logC - alpha * x[i]) }
            return (logC, alpha, residual)
        }

        let low = log(sizes.min()! / searchMargin), high = log(sizes.max()! * searchMargin)
        let count = 200
        let grid = (0..<count).map { low + (high - low) * Double($0) / Double(count - 1) }
        let residuals = grid.map { solve($0).residual }
        let best = residuals.indices.min { residuals[$0] < residuals[$1] }!
        var a = grid[max(0, best - 1)], b = grid[min(count - 1, best + 1)]
        let ratio = (5.0.squareRoot() - 1) / 2
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = solve(c).residual, fd = solve(d).residual
        for _ in 0..<60 {
            if fc < fd {
                b = d; d = c; fd = fc
                c = b - ratio * (b - a); fc = solve(c).residual
            } else {
                a = c; c = d; fc = fd
                d = a + ratio * (b - a); fd = solve(d).residual
            }
        }
        var logCrossover = (a + b) / 2
        if residuals[best] < solve(logCrossover).residual { logCrossover = grid[best] }
        let position: Position = exp(logCrossover) < sizes.min()! ? .belowRange : (best == count - 1 ? .aboveRange : .interior)
        let solution = solve(logCrossover)
        return SaturatingLaw(
            plateau: exp(solution.logC), crossover: exp(logCrossover),
            exponent: position == .belowRange ? .nan : solution.alpha,
            rmsLogResidual: (solution.residual / Double(sizes.count)).squareRoot(), position: position)
    }
}
