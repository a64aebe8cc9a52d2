import Foundation
import HarnessCore
import LinearAlgebra
internal import VectorKernels

/// Sinkhorn's matrix scaling (Tang et al. 2024, Sec. 3, Alg. "Sinkhorn"), kept stable for any η
/// by the log-domain absorption of Schmitzer (2019, "Stabilized sparse scaling algorithms for
/// entropy regularized transport problems", Alg. 2).
///
/// The potentials (x, y) live in the log domain. The kernel K = P(x, y) is built from them, so
/// its entries are at most about one; iterations then scale it, P = diag(u) K diag(v). Plain
/// Sinkhorn is memory-bound: two matrix-vector passes (K v and Kᵀ u) stream K twice per
/// iteration. Here each iteration is one sweep over K (`vk_sinkhorn_sweep_f64`, VectorKernels):
/// per row, (K v)_i, then u_i = r_i / (K v)_i, then u_i·K_i added into Kᵀu while the row is in L1,
/// so K is read from memory once per iteration. When a scaling
/// leaves [1e-50, 1e50] it is absorbed into the potentials (x += log u / η, y += log v / η) and K
/// is rebuilt, so nothing overflows or underflows. Each iteration is one row update followed by
/// one column update; after it the column marginal is exact, so the marginal error reduces to the
/// row error ‖u ∘ K v − r‖₁, which the next row update computes anyway: the sweep that measures
/// iteration t's error also computes iteration t + 1's scalings, which are kept only when the
/// loop continues, so the iterates, stopping rule and result are those of the two-pass form.
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
        // From here on u, v hold the next iteration's scalings (computed ahead by the sweep).
        if error > targetError && iteration < maxIterations { scaling.updateScalings(problem) }
        while error > targetError && iteration < maxIterations {
            iteration += 1
            if needsAbsorption(scaling.u) || needsAbsorption(scaling.v) {
                for i in 0..<n { x[i] += Foundation.log(scaling.u[i]) / eta }
                for j in 0..<m { y[j] += Foundation.log(scaling.v[j]) / eta }
                scaling = Scaling(kernel: TransportPlan(problem: problem, x: x, y: y, threads: threads).plan)
                absorptions += 1
                error = scaling.rowError(problem)
                if error > targetError && iteration < maxIterations { scaling.updateScalings(problem) }
            } else {
                error = scaling.sweep(problem)
                if error > targetError && iteration < maxIterations { scaling.acceptSweep(problem) }
            }
            trace.record(iteration: iteration, seconds: Stopwatch.now() - t0, error: error)
        }
        for i in 0..<n { x[i] += Foundation.log(scaling.u[i]) / eta }
        for j in 0..<m { y[j] += Foundation.log(scaling.v[j]) / eta }
        return Result(x: x, y: y, trace: trace, converged: error <= targetError, absorptions: absorptions)
    }

    /// The scaled plan diag(u) K diag(v) on a fixed kernel K and one Sinkhorn iteration on it.
    /// `sweep` + `acceptSweep` is one iteration in one pass over K (the error of the current
    /// scalings, then the next ones); `updateScalings` and `rowError` are its two halves as
    /// separate passes, used after a (re)start. `claimbench perf sinkhorn` times `sweep` + `acceptSweep`.
    struct Scaling {
        let kernel: Matrix
        var u: [Double], v: [Double]
        /// K v and Kᵀ u.
        var kv: [Double], ktu: [Double]
        /// r / K v from the last sweep, the next u if the iteration continues.
        var nextU: [Double]

        init(kernel: Matrix) {
            self.kernel = kernel
            u = [Double](repeating: 1, count: kernel.rows)
            v = [Double](repeating: 1, count: kernel.columns)
            kv = [Double](repeating: 0, count: kernel.rows)
            ktu = [Double](repeating: 0, count: kernel.columns)
            nextU = u
        }

        /// Both marginals of K (u = v = 1): ‖K1 − r‖₁ + ‖Kᵀ1 − c‖₁. Leaves K v in `kv`.
        mutating func startingError(_ problem: EntropicOTProblem) -> Double {
            rowProducts()
            columnProducts()
            var error = 0.0
            for i in 0..<kv.count { error += abs(kv[i] - problem.source[i]) }
            for j in 0..<ktu.count { error += abs(ktu[j] - problem.target[j]) }
            return error
        }

        /// Row update u = r / K v (from the current `kv`), then column update v = c / Kᵀ u:
        /// one pass over K.
        mutating func updateScalings(_ problem: EntropicOTProblem) {
            for i in 0..<u.count { u[i] = problem.source[i] / kv[i] }
            columnProducts()
            for j in 0..<v.count { v[j] = problem.target[j] / ktu[j] }
        }

        /// K v and the row error ‖u ∘ K v − r‖₁, the whole marginal error after a column update:
        /// one pass over K.
        mutating func rowError(_ problem: EntropicOTProblem) -> Double {
            rowProducts()
            return currentRowError(problem)
        }

        /// One pass over K: K v and the row error ‖u ∘ K v − r‖₁ (as `rowError`), and at once the
        /// next row update r / K v (into `nextU`) with Kᵀ of it (into `ktu`).
        mutating func sweep(_ problem: EntropicOTProblem) -> Double {
            let (n, m) = (kernel.rows, kernel.columns)
            kernel.elements.withUnsafeBufferPointer { k in
                v.withUnsafeBufferPointer { v in
                    problem.source.withUnsafeBufferPointer { r in
                        kv.withUnsafeMutableBufferPointer { kv in
                            nextU.withUnsafeMutableBufferPointer { next in
                                ktu.withUnsafeMutableBufferPointer { ktu in
                                    vk_sinkhorn_sweep_f64(
                                        k.baseAddress!, n, m, v.baseAddress!, r.baseAddress!, kv.baseAddress!, next.baseAddress!,
                                        ktu.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
            return currentRowError(problem)
        }

        /// Completes the iteration the last `sweep` started: u = `nextU`, v = c / Kᵀ u.
        mutating func acceptSweep(_ problem: EntropicOTProblem) {
            swap(&u, &nextU)
            for j in 0..<v.count { v[j] = problem.target[j] / ktu[j] }
        }

        private func currentRowError(_ problem: EntropicOTProblem) -> Double {
            var error = 0.0
            for i in 0..<u.count { error += abs(u[i] * kv[i] - problem.source[i]) }
            return error
        }

        /// kv = K v.
        private mutating func rowProducts() {
            let (n, m) = (kernel.rows, kernel.columns)
            kernel.elements.withUnsafeBufferPointer { k in
                v.withUnsafeBufferPointer { v in
                    kv.withUnsafeMutableBufferPointer { vk_row_products_f64(k.baseAddress!, n, m, v.baseAddress!, $0.baseAddress!) }
                }
            }
        }

        /// ktu = Kᵀ u.
        private mutating func columnProducts() {
            let (n, m) = (kernel.rows, kernel.columns)
            kernel.elements.withUnsafeBufferPointer { k in
                u.withUnsafeBufferPointer { u in
                    ktu.withUnsafeMutableBufferPointer { vk_column_products_f64(k.baseAddress!, n, m, u.baseAddress!, $0.baseAddress!) }
                }
            }
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
