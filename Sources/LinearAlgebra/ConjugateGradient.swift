/// Conjugate gradient for a symmetric positive (semi-)definite operator given as a closure.
///
/// Used by Sinkhorn-Newton-Sparse (Tang et al. 2024, Alg. 1, "Newton step by CG") on its
/// sparsified Hessian, and by any solver that can apply A without forming it. For a singular
/// but consistent system (rhs orthogonal to the null space) CG stays in the range of A and
/// converges to the minimum-norm-component solution from x0 = 0.
public enum ConjugateGradient {
    public struct Result: Sendable {
        public var solution: [Double]
        public var iterations: Int
        /// ‖b − A x‖₂ at exit.
        public var residualNorm: Double
        public var converged: Bool
    }

    /// Solves A x = b to ‖b − A x‖₂ ≤ tolerance · ‖b‖₂.
    /// - Parameter apply: writes A·v into the output buffer (same length as b).
    public static func solve(
        rhs b: [Double], tolerance: Double = 1e-10, maxIterations: Int? = nil,
        apply: (_ v: UnsafeBufferPointer<Double>, _ out: UnsafeMutableBufferPointer<Double>) -> Void
    ) -> Result {
        let n = b.count
        let limit = maxIterations ?? max(2 * n, 10)
        var x = [Double](repeating: 0, count: n)
        var r = b
        var p = b
        var ap = [Double](repeating: 0, count: n)
        var rr = dot(r, r)
        let target = tolerance * tolerance * max(rr, .leastNormalMagnitude)
        var iterations = 0
        while rr > target && iterations < limit {
            p.withUnsafeBufferPointer { pv in ap.withUnsafeMutableBufferPointer { out in apply(pv, out) } }
            let pap = dot(p, ap)
            guard pap > 0 else { break }  // direction in the null space, or A not positive: stop
            let alpha = rr / pap
            for i in 0..<n {
                x[i] += alpha * p[i]
                r[i] -= alpha * ap[i]
            }
            let rrNext = dot(r, r)
            let beta = rrNext / rr
            for i in 0..<n { p[i] = r[i] + beta * p[i] }
            rr = rrNext
            iterations += 1
        }
        return Result(solution: x, iterations: iterations, residualNorm: rr.squareRoot(), converged: rr <= target)
    }

    @inline(__always)
    static func dot(_ x: [Double], _ y: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<x.count { sum += x[i] * y[i] }
        return sum
    }
}
