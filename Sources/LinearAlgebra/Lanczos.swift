internal import COpenBLAS

/// Why a Lanczos run could not produce Ritz values.
public enum LanczosError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Inconsistent sizes or counts (the message says which).
    case invalidArgument(String)
    /// The start vector is zero or not finite.
    case unusableStartVector
    /// The operator wrote NaN or ±∞ at the given (zero-based) Krylov step.
    case nonFiniteOperatorOutput(step: Int)
    /// LAPACK returned `info` ≠ 0 on the tridiagonal eigenproblem.
    case lapackFailure(routine: String, info: Int)

    public var description: String {
        switch self {
        case let .invalidArgument(message): return "Lanczos: \(message)"
        case .unusableStartVector: return "Lanczos: the start vector is zero or contains non-finite entries"
        case let .nonFiniteOperatorOutput(step): return "Lanczos: the operator returned non-finite values at step \(step)"
        case let .lapackFailure(routine, info): return "Lanczos: \(routine) failed (info = \(info))"
        }
    }
}

/// Lanczos iteration with full reorthogonalisation for the largest eigenvalues of a symmetric
/// operator that is only available as a matrix–vector product (e.g. a Hessian–vector product).
///
/// Builds an orthonormal Krylov basis V = [v₀ … v_{m−1}] from the caller's start vector, so that
/// Vᵀ A V = T is tridiagonal, then takes the eigenvalues of T (LAPACK `dstev`) as Ritz values.
/// Every new direction is orthogonalised twice against the whole basis (classical Gram–Schmidt,
/// "twice is enough"), so no spurious copies of converged eigenvalues appear. Memory: m·n doubles.
///
/// Breakdown: when the new residual is negligible (β_j ≤ `breakdownTolerance`·‖T‖), the basis
/// spans an invariant subspace. The iteration then continues from a deterministic fresh unit vector
/// orthogonal to the basis (the coordinate direction least represented in it), with a zero
/// coupling in T, so eigenvalues outside the start vector's Krylov space are still found; the
/// dropped coupling is added to the residual bounds.
public enum Lanczos {
    public struct Result: Sendable, Equatable {
        /// The `count` largest Ritz values, largest first.
        public var values: [Double]
        /// Upper bounds on ‖A yᵢ − θᵢ yᵢ‖₂ for the unit Ritz vectors yᵢ: |β_m · s_{m,i}| plus
        /// the couplings dropped at breakdowns. For symmetric A, some eigenvalue lies within
        /// this distance of θᵢ.
        public var residualBounds: [Double]
        /// Unit Ritz vectors (length n), in the order of `values`; nil unless requested.
        public var vectors: [[Double]]?
        /// Krylov dimension built: min(steps, n).
        public var steps: Int
        /// Invariant subspaces found, each followed by a restart from a fresh orthogonal vector.
        public var restarts: Int
    }

    /// The `count` largest (algebraic) eigenvalues of the symmetric operator `apply`.
    ///
    /// - Parameters:
    ///   - count: number of eigenvalues wanted (k ≤ min(steps, n)).
    ///   - dimension: n, the length of the vectors `apply` acts on.
    ///   - steps: Krylov steps m (clamped to n); m of a few times k, e.g. 2k + 20, is typical.
    ///   - start: the start vector (length n, not zero); draw it from the run's random stream
    ///     so the run is reproducible.
    ///   - computeVectors: also return the Ritz vectors.
    ///   - breakdownTolerance: relative size of β below which the Krylov space counts as invariant.
    ///   - apply: writes A·v into `out` (both length n). It is called exactly `min(steps, n)` times.
    public static func topEigenvalues(
        count k: Int, dimension n: Int, steps m: Int, start: [Double],
        computeVectors: Bool = false, breakdownTolerance: Double = 1e-10,
        apply: (_ v: UnsafeBufferPointer<Double>, _ out: UnsafeMutableBufferPointer<Double>) -> Void
    ) throws(LanczosError) -> Result {
        guard n >= 1, n <= Int(Int32.max) else { throw .invalidArgument("dimension \(n) out of range") }
        guard start.count == n else { throw .invalidArgument("start vector has \(start.count) entries, dimension is \(n)") }
        let mMax = min(m, n)
        guard k >= 1, k <= mMax else {
            throw .invalidArgument("count \(k) must be in 1...min(steps, dimension) = 1...\(mMax)")
        }
        guard start.allSatisfy(\.isFinite) else { throw .unusableStartVector }
        let startNorm = cblas_dnrm2(Int32(n), start, 1)
        guard startNorm > 0, startNorm.isFinite else { throw .unusableStartVector }

        let basis = KrylovBasis(dimension: n, capacity: mMax)
        defer { basis.deallocate() }
        for i in 0..<n { basis.row(0)[i] = start[i] / startNorm }

        let w = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        defer { w.deallocate() }
        var alpha: [Double] = []
        var beta: [Double] = []  // beta[j] couples v_j and v_{j+1}
        var dropped: [(position: Int, norm: Double)] = []
        var finalBeta = 0.0
        var normEstimate = 0.0  // ≥ ‖T‖ (row sums of |T|)

        for j in 0..<mMax {
            w.initialize(repeating: 0)
            apply(UnsafeBufferPointer(basis.row(j)), w)
            guard w.allSatisfy(\.isFinite) else { throw .nonFiniteOperatorOutput(step: j) }
            var a = cblas_ddot(Int32(n), basis.row(j).baseAddress, 1, w.baseAddress, 1)
            cblas_daxpy(Int32(n), -a, basis.row(j).baseAddress, 1, w.baseAddress, 1)
            if j > 0 { cblas_daxpy(Int32(n), -beta[j - 1], basis.row(j - 1).baseAddress, 1, w.baseAddress, 1) }
            a += basis.orthogonalise(w, againstFirst: j + 1)[j]
            alpha.append(a)
            let b = cblas_dnrm2(Int32(n), w.baseAddress, 1)
            normEstimate = max(normEstimate, abs(a) + b + (j > 0 ? beta[j - 1] : 0))
            if j + 1 == mMax {
                finalBeta = b
                break
            }
            let next = basis.row(j + 1)
            if b <= breakdownTolerance * normEstimate {
                dropped.append((j, b))
                beta.append(0)
                basis.freshDirection(orthogonalToFirst: j + 1, into: next)
            } else {
                beta.append(b)
                for i in 0..<n { next[i] = w[i] / b }
            }
        }

        // Eigen-decomposition of the tridiagonal T (ascending values, vectors in columns of z).
        let steps = alpha.count
        var d = alpha
        var e = beta + [0]  // LAPACK reads steps − 1 entries; keep the buffer non-empty
        var z = [Double](repeating: 0, count: steps * steps)
        let info = LAPACKE_dstev(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), Int32(steps), &d, &e, &z, Int32(steps))
        guard info == 0 else { throw .lapackFailure(routine: "LAPACKE_dstev", info: Int(info)) }

        let wanted = (0..<k).map { steps - 1 - $0 }  // columns of the k largest, largest first
        let values = wanted.map { d[$0] }
        let bounds = wanted.map { c in
            dropped.reduce(abs(finalBeta * z[(steps - 1) * steps + c])) { $0 + abs($1.norm * z[$1.position * steps + c]) }
        }
        var vectors: [[Double]]?
        if computeVectors {
            vectors = wanted.map { c in
                var y = [Double](repeating: 0, count: n)
                // y = Vᵀ s, with s = column c of z (stride `steps` in row-major storage).
                z.withUnsafeBufferPointer { zp in
                    cblas_dgemv(
                        CblasRowMajor, CblasTrans, Int32(steps), Int32(n), 1, basis.storage.baseAddress, Int32(n),
                        zp.baseAddress! + c, Int32(steps), 0, &y, 1)
                }
                return y
            }
        }
        return Result(values: values, residualBounds: bounds, vectors: vectors, steps: steps, restarts: dropped.count)
    }
}

/// The orthonormal Krylov vectors v₀ … v_{capacity−1}, stored as rows of one row-major buffer
/// so that projections onto the first j vectors are single dgemv calls.
private struct KrylovBasis {
    let dimension: Int
    let capacity: Int
    let storage: UnsafeMutableBufferPointer<Double>
    /// Scratch for the projection coefficients.
    let coefficients: UnsafeMutableBufferPointer<Double>

    init(dimension: Int, capacity: Int) {
        self.dimension = dimension
        self.capacity = capacity
        storage = .allocate(capacity: dimension * capacity)
        storage.initialize(repeating: 0)
        coefficients = .allocate(capacity: capacity)
        coefficients.initialize(repeating: 0)
    }

    func deallocate() {
        storage.deallocate()
        coefficients.deallocate()
    }

    func row(_ j: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: storage[j * dimension ..< (j + 1) * dimension])
    }

    /// Removes from `w` its components along v₀ … v_{count−1}, in two passes of classical
    /// Gram–Schmidt; returns the total coefficients removed (Vᵀw summed over both passes).
    @discardableResult
    func orthogonalise(_ w: UnsafeMutableBufferPointer<Double>, againstFirst count: Int) -> UnsafeBufferPointer<Double> {
        let total = UnsafeMutableBufferPointer(rebasing: coefficients[0..<count])
        total.update(repeating: 0)
        var pass = [Double](repeating: 0, count: count)
        for _ in 0..<2 {
            cblas_dgemv(
                CblasRowMajor, CblasNoTrans, Int32(count), Int32(dimension), 1, storage.baseAddress, Int32(dimension),
                w.baseAddress, 1, 0, &pass, 1)
            cblas_dgemv(
                CblasRowMajor, CblasTrans, Int32(count), Int32(dimension), -1, storage.baseAddress, Int32(dimension),
                pass, 1, 1, w.baseAddress, 1)
            for i in 0..<count { total[i] += pass[i] }
        }
        return UnsafeBufferPointer(total)
    }

    /// Writes into `out` a unit vector orthogonal to v₀ … v_{count−1} (count < dimension):
    /// the coordinate vector eᵢ with the largest component outside the basis (smallest i on
    /// ties), orthogonalised. Deterministic, so runs stay reproducible.
    func freshDirection(orthogonalToFirst count: Int, into out: UnsafeMutableBufferPointer<Double>) {
        // ‖(I − V Vᵀ) eᵢ‖² = 1 − Σⱼ vⱼ[i]², accumulated row by row (contiguous reads).
        var outside = [Double](repeating: 1, count: dimension)
        for j in 0..<count {
            let v = row(j)
            for i in 0..<dimension { outside[i] -= v[i] * v[i] }
        }
        var best = 0
        for i in 1..<dimension where outside[i] > outside[best] { best = i }
        out.update(repeating: 0)
        out[best] = 1
        orthogonalise(out, againstFirst: count)
        let norm = cblas_dnrm2(Int32(dimension), out.baseAddress, 1)
        for i in 0..<dimension { out[i] /= norm }
    }
}
