/// Marginal error per iteration and the wall time at which it was reached, for one solver run.
///
/// The error is ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁ (Tang et al. 2024, Sec. 6), evaluated on the current plan.
public struct ConvergenceTrace: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var iteration: Int
        public var seconds: Double
        public var error: Double
    }

    public private(set) var points: [Point] = []

    public init() {}

    public mutating func record(iteration: Int, seconds: Double, error: Double) {
        points.append(Point(iteration: iteration, seconds: seconds, error: error))
    }

    /// The first iteration whose error is at most `target`, if any.
    public func iterations(toReach target: Double) -> Int? { points.first { $0.error <= target }?.iteration }

    /// Seconds until the error first reached `target`, if it did.
    public func seconds(toReach target: Double) -> Double? { points.first { $0.error <= target }?.seconds }

    /// The points a figure needs: every one of the first `dense` iterations, then iterations spaced
    /// by a factor `growth` at least, and always the last. A 400,000-iteration Sinkhorn trace shrinks
    /// to about a thousand rows, still drawn as a smooth curve on a log or linear axis.
    public func sampledForFigures(dense: Int = 100, growth: Double = 1.01) -> [Point] {
        precondition(growth > 1, "growth must exceed 1")
        var sample: [Point] = []
        var nextIteration = 0.0
        for (index, point) in points.enumerated() {
            let isLast = index == points.count - 1
            guard point.iteration < dense || Double(point.iteration) >= nextIteration || isLast else { continue }
            sample.append(point)
            nextIteration = Double(point.iteration) * growth
        }
        return sample
    }

    public var finalError: Double { points.last?.error ?? .nan }
    public var iterations: Int { points.last?.iteration ?? 0 }
}
