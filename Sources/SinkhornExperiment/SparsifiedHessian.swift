import Foundation
import LinearAlgebra

/// The sparsified Newton matrix of Sinkhorn-Newton-Sparse (Tang et al. 2024, Alg. 1,
/// "M ← Sparsify(∇²f(z), ρ)"): the off-diagonal block P is truncated to its largest entries,
/// while the diagonal keeps the exact marginals P1 and Pᵀ1, giving
///
///   H = η [[diag(P1), P̃], [P̃ᵀ, diag(Pᵀ1)]]  ≈  −∇²f.
///
/// Which entries survive is decided by mass rather than by a fixed count: the smallest entries
/// are dropped as long as their total stays below `droppedMass` of the plan's mass. The kept
/// fraction ρ is then a measurement of how sparse the Hessian really is at that point (Sec. 5's
/// approximate-sparsity claim) instead of a number chosen in advance.
///
/// H is symmetric and diagonally dominant, hence positive semi-definite, and positive definite
/// once any entry is dropped, so conjugate gradient applies. Stored in CSR form.
public struct SparsifiedHessian: Sendable {
    public let eta: Double
    public let rowSums: [Double]
    public let columnSums: [Double]
    let rowStart: [Int]
    let columnIndex: [Int32]
    let values: [Double]

    /// Entries kept, as a fraction of n·m: the measured ρ.
    public var keptFraction: Double { Double(values.count) / Double(rowSums.count * columnSums.count) }
    public var keptEntries: Int { values.count }

    /// Keeps the largest entries of the plan, dropping at most `droppedMass` (relative) of its mass.
    public init(plan: TransportPlan, eta: Double, droppedMass: Double) {
        let n = plan.plan.rows, m = plan.plan.columns
        let threshold = MassThreshold.threshold(plan.plan.elements, droppedMass: droppedMass)
        var rowStart = [Int](repeating: 0, count: n + 1)
        var columnIndex: [Int32] = []
        var values: [Double] = []
        plan.plan.elements.withUnsafeBufferPointer { p in
            for i in 0..<n {
                for j in 0..<m where p[i * m + j] >= threshold {
                    columnIndex.append(Int32(j))
                    values.append(p[i * m + j])
                }
                rowStart[i + 1] = values.count
            }
        }
        self.eta = eta
        rowSums = plan.rowSums
        columnSums = plan.columnSums
        self.rowStart = rowStart
        self.columnIndex = columnIndex
        self.values = values
    }

    /// 1 / diag(H): the Jacobi preconditioner for conjugate gradient.
    public var inverseDiagonal: [Double] { (rowSums + columnSums).map { 1 / (eta * $0) } }

    /// out = H·v, for v = (v_x, v_y) stacked.
    public func apply(_ v: UnsafeBufferPointer<Double>, _ out: UnsafeMutableBufferPointer<Double>) {
        let n = rowSums.count, m = columnSums.count
        for j in 0..<m { out[n + j] = columnSums[j] * v[n + j] }
        columnIndex.withUnsafeBufferPointer { columns in
            values.withUnsafeBufferPointer { entries in
                for i in 0..<n {
                    var sum = rowSums[i] * v[i]
                    let vi = v[i]
                    for k in rowStart[i]..<rowStart[i + 1] {
                        let j = Int(columns[k])
                        sum += entries[k] * v[n + j]
                        out[n + j] += entries[k] * vi
                    }
                    out[i] = sum
                }
            }
        }
        for k in 0..<(n + m) { out[k] *= eta }
    }
}

/// The cut-off below which entries may be dropped with a bounded loss of mass.
///
/// Entries are binned by their binary exponent (one linear pass, no sort); whole bins are
/// dropped from the smallest up while the dropped mass stays within `droppedMass · total`, so
/// the threshold is a power of two and the dropped mass is guaranteed below the bound.
enum MassThreshold {
    static func threshold(_ values: [Double], droppedMass: Double) -> Double {
        // Bins for exponents −1100 … 1100 (subnormals share the lowest).
        let offset = 1100, binCount = 2201
        var mass = [Double](repeating: 0, count: binCount)
        var total = 0.0
        values.withUnsafeBufferPointer { v in
            for value in v where value > 0 {
                let bin = min(max(Int(value.exponent) + offset, 0), binCount - 1)
                mass[bin] += value
                total += value
            }
        }
        let budget = droppedMass * total
        var dropped = 0.0
        var bin = 0
        while bin < binCount && dropped + mass[bin] <= budget {
            dropped += mass[bin]
            bin += 1
        }
        // Keep everything in bins ≥ `bin`: values ≥ 2^(bin − offset).
        return bin == 0 ? 0 : Foundation.pow(2.0, Double(bin - offset))
    }
}
