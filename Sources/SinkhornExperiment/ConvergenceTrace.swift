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

    public var finalError: Double { points.last?.error ?? .nan }
    public var iterations: Int { points.last?.iteration ?? 0 }
}
