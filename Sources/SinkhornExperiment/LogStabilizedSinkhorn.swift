import Foundation
import HarnessCore
import LinearAlgebra

/// Sinkhorn's matrix scaling (Tang et al. 2024, Sec. 3, Alg. "Sinkhorn"), kept stable for any η
/// by the log-domain absorption of Schmitzer (2019, "Stabilized sparse scaling algorithms for
/// entropy regularized transport problems", Alg. 2).
///
/// The potentials (x, y) live in the log domain. The kernel K = P(x, y) is built from them, so
/// its entries are at most about one; iterations then scale it, P = diag(u) K diag(v), with two
/// dgemv passes (K v and Kᵀ u), which is the memory-bound cost of plain Sinkhorn. When a scaling
/// leaves [1e-50, 1e50] it is absorbed into the potentials (x += log u / η, y += log v / η) and K
/// is rebuilt, so nothing overflows or underflows. Each iteration is one row update followed by
/// one column update; after it the column marginal is exact, so the marginal error reduces to the
/// row error ‖u ∘ K v − r‖₁, which the next row update computes anyway.
public struct LogStabilizedSinkhorn: Sendable {
    public var targetError: Double
    public var maxIterations: Int
    /// Scalings are absorbed once any leaves [1/threshold, threshold].
    public var absorptionThreshold: Double = 1e50
    /// Threads for rebuilding the kernel (`TransportPlan`); results do not depend on it.
    public var threads = 1

    public init(targetError: Double = 1e-10, maxIterations: Int = 10_000) {
        self.targetError = targetError
        self.maxIterations = maxIterations
    }

    public struct Result: Sendable {
        /// Potentials with the final scalings absorbed: the plan is P(x, y).
        public var x: [Double]
        public var y: [Double]
        public var trace: ConvergenceTrace
        public var converged: Bool
        /// Times the scalings were absorbed into the potentials (each costs one rebuild of K).
        public var absorptions: Int
    }

    /// Runs from potentials (x, y), or from a log-domain initialisation when `start` is nil.
    /// `clock` is the time origin of the trace (so SNS can continue the same timeline).
    public func solve(_ problem: EntropicOTProblem, start: (x: [Double], y: [Double])? = nil, clock: Double? = nil) -> Result {
        let t0 = clock ?? Stopwatch.now()
        let n = problem.rows, m = problem.columns, eta = problem.eta
        var (x, y) = start ?? Self.initialPotentials(problem)
        var scaling = Scaling(kernel: TransportPlan(problem: problem, x: x, y: y, threads: threads).plan)
        var trace = ConvergenceTrace()
        var absorptions = 0

        // Iteration 0: both marginals of the starting plan.
        var error = scaling.startingError(problem)
        trace.record(iteration: 0, seconds: Stopwatch.now() - t0, error: error)

        var iteration = 0
        while error > targetError && iteration < maxIterations {
            scaling.updateScalings(problem)
            iteration += 1
            if needsAbsorption(scaling.u) || needsAbsorption(scaling.v) {
                for i in 0..<n { x[i] += Foundation.log(scaling.u[i]) / eta }
                for j in 0..<m { y[j] += Foundation.log(scaling.v[j]) / eta }
                scaling = Scaling(kernel: TransportPlan(problem: problem, x: x, y: y, threads: threads).plan)
                absorptions += 1
            }
            error = scaling.rowError(problem)
            trace.record(iteration: iteration, seconds: Stopwatch.now() - t0, error: error)
        }
        for i in 0..<n { x[i] += Foundation.log(scaling.u[i]) / eta }
        for j in 0..<m { y[j] += Foundation.log(scaling.v[j]) / eta }
        return Result(x: x, y: y, trace: trace, converged: error <= targetError, absorptions: absorptions)
    }

    /// The scaled plan diag(u) K diag(v) on a fixed kernel K, and one Sinkhorn iteration on it
    /// split in its two halves (`updateScalings`, then `rowError`), as `solve` interleaves them
    /// with absorption. `claimbench perf sinkhorn` times exactly these two calls.
    struct Scaling {
        let kernel: Matrix
        var u: [Double], v: [Double]
        /// K v and Kᵀ u.
        var kv: [Double], ktu: [Double]

        init(kernel: Matrix) {
            self.kernel = kernel
            u = [Double](repeating: 1, count: kernel.rows)
            v = [Double](repeating: 1, count: kernel.columns)
            kv = [Double](repeating: 0, count: kernel.rows)
            ktu = [Double](repeating: 0, count: kernel.columns)
        }

        /// Both marginals of K (u = v = 1): ‖K1 − r‖₁ + ‖Kᵀ1 − c‖₁. Leaves K v in `kv`.
        mutating func startingError(_ problem: EntropicOTProblem) -> Double {
            BLAS.gemv(.none, kernel, v, &kv)
            BLAS.gemv(.transposed, kernel, u, &ktu)
            var error = 0.0
            for i in 0..<kv.count { error += abs(kv[i] - problem.source[i]) }
            for j in 0..<ktu.count { error += abs(ktu[j] - problem.target[j]) }
            return error
        }

        /// Row update u = r / K v (from the current `kv`), then column update v = c / Kᵀ u:
        /// one dgemv pass over K.
        mutating func updateScalings(_ problem: EntropicOTProblem) {
            for i in 0..<u.count { u[i] = problem.source[i] / kv[i] }
            BLAS.gemv(.transposed, kernel, u, &ktu)
            for j in 0..<v.count { v[j] = problem.target[j] / ktu[j] }
        }

        /// K v (the second dgemv pass) and the row error ‖u ∘ K v − r‖₁, the whole marginal
        /// error after a column update.
        mutating func rowError(_ problem: EntropicOTProblem) -> Double {
            BLAS.gemv(.none, kernel, v, &kv)
            var error = 0.0
            for i in 0..<u.count { error += abs(u[i] * kv[i] - problem.source[i]) }
            return error
        }
    }

    private func needsAbsorption(_ scaling: [Double]) -> Bool {
        let low = 1 / absorptionThreshold, high = absorptionThreshold
        for s in scaling where !(s > low && s < high) { return true }
        return false
    }

    /// One exact row update and one exact column update from x = y = 0, in log-sum-exp form:
    /// x_i = (log r_i + 1 − LSE_j η(y_j − C_ij)) / η, then y_j likewise with the new x.
    static func initialPotentials(_ problem: EntropicOTProblem) -> (x: [Double], y: [Double]) {
        let n = problem.rows, m = problem.columns, eta = problem.eta
        let cost = problem.cost.elements
        var x = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var top = -Double.infinity
            for j in 0..<m { top = max(top, -eta * cost[i * m + j]) }
            var sum = 0.0
            for j in 0..<m { sum += Foundation.exp(-eta * cost[i * m + j] - top) }
            x[i] = (Foundation.log(problem.source[i]) + 1 - top - Foundation.log(sum)) / eta
        }
        var top = [Double](repeating: -.infinity, count: m)
        for i in 0..<n {
            for j in 0..<m { top[j] = max(top[j], eta * (x[i] - cost[i * m + j])) }
        }
        var sum = [Double](repeating: 0, count: m)
        for i in 0..<n {
            for j in 0..<m { sum[j] += Foundation.exp(eta * (x[i] - cost[i * m + j]) - top[j]) }
        }
        let y = (0..<m).map { j in (Foundation.log(problem.target[j]) + 1 - top[j] - Foundation.log(sum[j])) / eta }
        return (x, y)
    }
}
