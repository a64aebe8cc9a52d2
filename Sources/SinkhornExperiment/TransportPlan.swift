import Foundation
import LinearAlgebra

/// The plan P(x, y)_ij = exp(η(x_i + y_j − C_ij) − 1) defined by dual potentials (x, y), and the
/// concave Lyapunov potential it maximises (Tang et al. 2024, Sec. 3, Eq. (3)–(4)):
///
///   f(x, y) = −(1/η) Σ_ij P(x, y)_ij + Σ_i r_i x_i + Σ_j c_j y_j,
///   ∇_x f = r − P1,   ∇_y f = c − Pᵀ1,
///   ∇²f = −η [[diag(P1), P], [Pᵀ, diag(Pᵀ1)]].
///
/// Exponents are formed from the potentials directly, so nothing overflows however large η is;
/// entries far below the row maxima underflow to zero, which is their correct value to double
/// precision.
public struct TransportPlan: Sendable {
    public var plan: Matrix
    public var rowSums: [Double]
    public var columnSums: [Double]
    /// f(x, y) at the potentials the plan was built from.
    public var potential: Double

    /// Builds P(x, y), its marginals and f(x, y) in one pass over C.
    ///
    /// The exponentials use `VectorExp` row by row over contiguous buffers. Rows are grouped in
    /// at most `rowBlocks` fixed blocks (a function of n only); each block keeps its own partial
    /// column sums, added afterwards in block order, and each row sum is accumulated in eight
    /// fixed lanes. With `threads > 1` the blocks are shared out with
    /// `DispatchQueue.concurrentPerform`; the summation order never depends on who computes a
    /// block, so the plan, its marginals and f(x, y) are bit-identical for every thread count.
    public init(problem: EntropicOTProblem, x: [Double], y: [Double], threads: Int = 1) {
        let n = problem.rows, m = problem.columns, eta = problem.eta
        var plan = Matrix(rows: n, columns: m)
        var rowSums = [Double](repeating: 0, count: n)
        var columnSums = [Double](repeating: 0, count: m)
        let etaY = y.map { eta * $0 }
        let shifts = x.map { eta * $0 - 1 }
        let rowsPerBlock = (n + Self.rowBlocks - 1) / Self.rowBlocks
        let blocks = (n + rowsPerBlock - 1) / rowsPerBlock
        var partials = [Double](repeating: 0, count: blocks * m)
        plan.elements.withUnsafeMutableBufferPointer { p in
            problem.cost.elements.withUnsafeBufferPointer { cost in
                etaY.withUnsafeBufferPointer { etaY in
                    shifts.withUnsafeBufferPointer { shifts in
                        rowSums.withUnsafeMutableBufferPointer { rowSums in
                            partials.withUnsafeMutableBufferPointer { partials in
                                let work = PlanBlocks(
                                    plan: p.baseAddress!, cost: cost.baseAddress!, etaY: etaY.baseAddress!,
                                    shifts: shifts.baseAddress!, rowSums: rowSums.baseAddress!,
                                    partials: partials.baseAddress!, rows: n, columns: m, eta: eta, rowsPerBlock: rowsPerBlock)
                                // Small plans are not worth waking workers for; results are the same either way.
                                let workers = n * m >= Self.parallelThreshold ? min(max(threads, 1), blocks) : 1
                                if workers > 1 {
                                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                                        for block in stride(from: worker, to: blocks, by: workers) { work.run(block: block) }
                                    }
                                } else {
                                    for block in 0..<blocks { work.run(block: block) }
                                }
                            }
                        }
                    }
                }
            }
        }
        partials.withUnsafeBufferPointer { partials in
            columnSums.withUnsafeMutableBufferPointer { columns in
                for block in 0..<blocks {
                    let partial = partials.baseAddress! + block * m
                    for j in 0..<m { columns[j] += partial[j] }
                }
            }
        }
        var linear = 0.0
        for i in 0..<n { linear += problem.source[i] * x[i] }
        for j in 0..<m { linear += problem.target[j] * y[j] }
        self.plan = plan
        self.rowSums = rowSums
        self.columnSums = columnSums
        potential = linear - rowSums.reduce(0, +) / eta
    }

    /// Plans with fewer entries than this are built on the calling thread.
    static let parallelThreshold = 1 << 16

    /// Row blocks of the plan evaluation: at most 16 of ⌈n/16⌉ rows, whatever the thread count.
    static let rowBlocks = 16

    /// The original evaluation, one scalar `Foundation.exp` per entry and sums in plain row order:
    /// the baseline `claimbench perf sinkhorn` times the fast path against, and a test reference.
    static func scalarReference(problem: EntropicOTProblem, x: [Double], y: [Double]) -> TransportPlan {
        let n = problem.rows, m = problem.columns, eta = problem.eta
        var plan = Matrix(rows: n, columns: m)
        var rowSums = [Double](repeating: 0, count: n)
        var columnSums = [Double](repeating: 0, count: m)
        let etaY = y.map { eta * $0 }
        plan.elements.withUnsafeMutableBufferPointer { p in
            problem.cost.elements.withUnsafeBufferPointer { cost in
                columnSums.withUnsafeMutableBufferPointer { columns in
                    for i in 0..<n {
                        let shift = eta * x[i] - 1
                        let row = i * m
                        var sum = 0.0
                        for j in 0..<m {
                            let value = Foundation.exp(shift + etaY[j] - eta * cost[row + j])
                            p[row + j] = value
                            sum += value
                            columns[j] += value
                        }
                        rowSums[i] = sum
                    }
                }
            }
        }
        var linear = 0.0
        for i in 0..<n { linear += problem.source[i] * x[i] }
        for j in 0..<m { linear += problem.target[j] * y[j] }
        return TransportPlan(plan: plan, rowSums: rowSums, columnSums: columnSums, potential: linear - rowSums.reduce(0, +) / eta)
    }

    private init(plan: Matrix, rowSums: [Double], columnSums: [Double], potential: Double) {
        self.plan = plan
        self.rowSums = rowSums
        self.columnSums = columnSums
        self.potential = potential
    }

    /// ‖P1 − r‖₁ + ‖Pᵀ1 − c‖₁.
    public func marginalError(_ problem: EntropicOTProblem) -> Double {
        var error = 0.0
        for i in 0..<rowSums.count { error += abs(rowSums[i] - problem.source[i]) }
        for j in 0..<columnSums.count { error += abs(columnSums[j] - problem.target[j]) }
        return error
    }

    /// The gradient (r − P1, c − Pᵀ1), stacked.
    public func gradient(_ problem: EntropicOTProblem) -> [Double] {
        zip(problem.source, rowSums).map { $0 - $1 } + zip(problem.target, columnSums).map { $0 - $1 }
    }

    /// ⟨C, P⟩, the transport cost of the plan.
    public func transportCost(_ problem: EntropicOTProblem) -> Double {
        BLAS.dot(plan.elements, problem.cost.elements)
    }

    /// (−∇²f)·v = η [diag(P1) v_x + P v_y ; Pᵀ v_x + diag(Pᵀ1) v_y], densely (for tests and references).
    public func negativeHessianProduct(_ v: [Double], eta: Double) -> [Double] {
        let n = rowSums.count, m = columnSums.count
        let vx = Array(v[0..<n]), vy = Array(v[n..<(n + m)])
        let pvy = BLAS.gemv(plan, vy)
        let ptvx = BLAS.gemv(.transposed, plan, vx)
        return (0..<n).map { eta * (rowSums[$0] * vx[$0] + pvy[$0]) } + (0..<m).map { eta * (columnSums[$0] * vy[$0] + ptvx[$0]) }
    }
}

/// One block of rows of the plan evaluation, shared with the `concurrentPerform` workers.
///
/// `@unchecked Sendable` is safe: block b writes only its own rows of the plan and of the row
/// sums and its own slice of `partials`, inputs are read-only, and the owner reads the results
/// only after `concurrentPerform` has joined every worker.
private struct PlanBlocks: @unchecked Sendable {
    let plan: UnsafeMutablePointer<Double>
    let cost: UnsafePointer<Double>
    let etaY: UnsafePointer<Double>
    let shifts: UnsafePointer<Double>
    let rowSums: UnsafeMutablePointer<Double>
    let partials: UnsafeMutablePointer<Double>
    let rows: Int, columns: Int
    let eta: Double
    let rowsPerBlock: Int

    func run(block: Int) {
        let m = columns
        let columnPartial = partials + block * m
        for i in (block * rowsPerBlock)..<min(rows, (block + 1) * rowsPerBlock) {
            rowSums[i] = Self.row(
                out: plan + i * m, cost: cost + i * m, etaY: etaY, shift: shifts[i], eta: eta, count: m, columnSums: columnPartial)
        }
    }

    /// out_j = exp(shift + ηy_j − ηC_ij) (the argument formed as before the change), added into
    /// `columnSums`; returns the row's sum, accumulated in eight lanes j mod 8 and then the tail.
    @inline(__always)
    static func row(
        out: UnsafeMutablePointer<Double>, cost: UnsafePointer<Double>, etaY: UnsafePointer<Double>, shift: Double,
        eta: Double, count m: Int, columnSums: UnsafeMutablePointer<Double>
    ) -> Double {
        // Arguments first, then one call that exponentiates the row in place (vectorised inside
        // LinearAlgebra), then the column sums: the row stays in L1 between the three passes.
        for j in 0..<m { out[j] = shift + etaY[j] - eta * cost[j] }
        VectorExp.apply(out, count: m)
        for j in 0..<m { columnSums[j] += out[j] }
        let raw = UnsafeRawPointer(out)
        var lanes = SIMD8<Double>()
        let full = m / 8 * 8
        var j = 0
        while j < full {
            lanes += raw.loadUnaligned(fromByteOffset: j * MemoryLayout<Double>.stride, as: SIMD8<Double>.self)
            j += 8
        }
        var sum = lanes.sum()
        while j < m { sum += out[j]; j += 1 }
        return sum
    }
}
