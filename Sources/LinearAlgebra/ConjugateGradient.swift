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
    /// - Parameters:
    ///   - inverseDiagonal: optional Jacobi preconditioner M⁻¹ = diag(inverseDiagonal) (all
    ///     entries positive); it changes the path, not the solution, and cuts iterations when
    ///     A's diagonal spans many orders of magnitude.
    ///   - apply: writes A·v into the output buffer (same length as b).
    public static func solve(
        rhs b: [Double], tolerance: Double = 1e-10, maxIterations: Int? = nil, inverseDiagonal: [Double]? = nil,
        apply: (_ v: UnsafeBufferPointer<Double>, _ out: UnsafeMutableBufferPointer<Double>) -> Void
    ) -> Result {
        let n = b.count
        if let inverseDiagonal { precondition(inverseDiagonal.count == n, "preconditioner has \(inverseDiagonal.count) entries, rhs has \(n)") }
        let limit = maxIterations ?? max(2 * n, 10)
        var x = [Double](repeating: 0, count: n)
        var r = b
        var z = inverseDiagonal.map { d in (0..<n).map { r[$0] * d[$0] } } ?? r
        var p = z
        var ap = [Double](repeating: 0, count: n)
        var rz = dot(r, z)
        var rr = dot(r, r)
        let target = tolerance * tolerance * max(rr, .leastNormalMagnitude)
        var iterations = 0
        while rr > target && iterations < limit {
            p.withUnsafeBufferPointer { pv in ap.withUnsafeMutableBufferPointer { out in apply(pv, out) } }
            let pap = dot(p, ap)
            guard pap > 0 else { break }  // direction in the null space, or A not positive: stop
            let alpha = rz / pap
            for i in 0..<n {
                x[i] += alpha * p[i]
                r[i] -= alpha * ap[i]
            }
            if let inverseDiagonal {
                for i in 0..<n { z[i] = r[i] * inverseDiagonal[i] }
            } else {
                z = r
            }
            let rzNext = dot(r, z)
            let beta = rzNext / rz
            for i in 0..<n { p[i] = z[i] + beta * p[i] }
            rz = rzNext
            rr = dot(r, r)
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
