import Foundation

/// lr_max as the first learning rate at which training diverges, found by trying every rate of a
/// geometric grid and recording each switch between stable and diverged.
///
/// A bisection assumes one switch (stable below lr_max, diverged above) and lands on whichever
/// switch it happens to find when there are several: Adam on the tanh MLP can be stable up to
/// 0.39, diverge from 0.44 to 2.3 and be stable again from 3.4 (issue 13). The scan sees every
/// switch on its grid, so such a (seed, B) cell is reported as non-monotone, with no value, instead
/// of a number picked by the search path. Only a profile with exactly one switch, from stable to
/// diverged, gives lr_max; it is then refined by a bisection inside that one grid interval.
public struct LearningRateScan: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable {
        /// Stable up to one grid rate, diverged from the next on: lr_max is bracketed.
        case monotone
        /// Stability switches more than once, or from diverged back to stable: no single lr_max.
        case nonMonotone = "non-monotone"
        /// No grid rate diverged: lr_max is above the grid.
        case neverDiverged = "never-diverged"
        /// Every grid rate diverged: lr_max is below the grid.
        case alwaysDiverged = "always-diverged"
    }

    /// The grid's rates, increasing, and whether each diverged.
    public var rates: [Double]
    public var diverged: [Bool]
    /// Largest rate known stable and smallest known divergent after refinement (monotone cells;
    /// otherwise the grid rates around the first divergence, or NaN where there is none).
    public var stable: Double
    public var divergent: Double

    /// The grid indices i where diverged[i] differs from diverged[i − 1].
    public var switches: [Int] { rates.indices.dropFirst().filter { diverged[$0] != diverged[$0 - 1] } }

    public var outcome: Outcome {
        if !diverged.contains(true) { return .neverDiverged }
        if !diverged.contains(false) { return .alwaysDiverged }
        return switches.count == 1 && !diverged[0] ? .monotone : .nonMonotone
    }

    /// lr_max = √(stable · divergent) for a monotone cell, NaN (inconclusive) for any other.
    public var estimate: Double { outcome == .monotone ? (stable * divergent).squareRoot() : .nan }

    /// The rate where training first diverged on the grid, whatever happened above it.
    public var firstDivergentRate: Double { diverged.firstIndex(of: true).map { rates[$0] } ?? .nan }

    /// `lower`, then every rate `lower · 10^(k / pointsPerDecade)` up to `upper` (included when it
    /// falls within rounding of a grid point; the grid never passes `upper`).
    public static func grid(lower: Double, upper: Double, pointsPerDecade: Int) -> [Double] {
        precondition(lower > 0 && upper > lower && pointsPerDecade >= 1, "scan grid: need 0 < lower < upper and ≥ 1 point per decade")
        let steps = Int((log10(upper / lower) * Double(pointsPerDecade) + 1e-9).rounded(.down))
        return (0...steps).map { lower * pow(10, Double($0) / Double(pointsPerDecade)) }
    }

    /// Tries every rate of `grid` (increasing), then, for a monotone profile, bisects log η
    /// `refinementSteps` times inside the interval where stability switched.
    public static func run(grid: [Double], refinementSteps: Int, diverges: (Double) -> Bool) -> LearningRateScan {
        precondition(grid.count >= 2 && zip(grid, grid.dropFirst()).allSatisfy { $0 < $1 }, "scan: the grid must increase")
        precondition(refinementSteps >= 0, "scan: refinement steps must be non-negative")
        let outcomes = grid.map(diverges)
        var scan = LearningRateScan(rates: grid, diverged: outcomes, stable: .nan, divergent: .nan)
        guard let first = outcomes.firstIndex(of: true) else { return scan }
        scan.divergent = grid[first]
        scan.stable = first > 0 ? grid[first - 1] : .nan
        guard scan.outcome == .monotone else { return scan }
        for _ in 0..<refinementSteps {
            let middle = (scan.stable * scan.divergent).squareRoot()
            if diverges(middle) { scan.divergent = middle } else { scan.stable = middle }
        }
        return scan
    }
}
