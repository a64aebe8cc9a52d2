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
                let row = p.baseAddress! + i * m
                for j in 0..<m where row[j] >= threshold {
                    columnIndex.append(Int32(j))
                    values.append(row[j])
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
///
/// The pass reads the exponent straight from the bit pattern, without branches (a plan mixes
/// zeros and normal entries unpredictably), and spreads consecutive entries over four
/// histograms, so that adding to the same bin twice in a row does not wait on the last store.
enum MassThreshold {
    /// Bin b holds values in [2^(b − 1074), 2^(b − 1073)): subnormals by their true exponent
    /// (bins 0 … 51), normals by their biased exponent field plus 51 (bins 52 … 2097). Bin 2098
    /// (exponent field 2047) would catch +∞ or NaN, so even a broken plan never indexes past the end.
    static let binCount = 2099
    static let lanes = 4

    /// Keep entries ≥ the result: a power of two (2^−1074 keeps every positive entry), or +∞
    /// when every bin may go. `values` are non-negative and finite, as a plan's entries are.
    static func threshold(_ values: [Double], droppedMass: Double) -> Double {
        assert(values.allSatisfy { $0 >= 0 && $0.isFinite }, "MassThreshold expects non-negative finite values")
        var mass = [Double](repeating: 0, count: binCount * lanes)
        values.withUnsafeBufferPointer { v in
            mass.withUnsafeMutableBufferPointer { mass in
                // Branch-free: a plan mixes zeros (underflowed exp) and normal entries in no
                // predictable order. Zeros and subnormals share bin 0 here; zeros add nothing.
                for index in 0..<v.count {
                    let field = Int(truncatingIfNeeded: v[index].bitPattern >> 52)
                    mass[(field > 0 ? field + 51 : 0) * lanes + index & (lanes - 1)] += v[index]
                }
                // Subnormals (rare: exp(·) within 36 of underflow) are moved to the bins of
                // their true exponents in a second pass, only when there are any.
                guard (0..<lanes).contains(where: { mass[$0] > 0 }) else { return }
                for lane in 0..<lanes { mass[lane] = 0 }
                for value in v where value > 0 && value < Double.leastNormalMagnitude {
                    mass[(Int(value.exponent) + 1074) * lanes] += value
                }
            }
        }
        let binMass = (0..<binCount).map { bin in (0..<lanes).reduce(0.0) { $0 + mass[bin * lanes + $1] } }
        let budget = droppedMass * binMass.reduce(0, +)
        var dropped = 0.0
        var bin = 0
        while bin < binCount && dropped + binMass[bin] <= budget {
            dropped += binMass[bin]
            bin += 1
        }
        // Keep everything in bins ≥ `bin`: values ≥ 2^(bin − 1074).
        return bin == binCount ? .infinity : Foundation.pow(2.0, Double(bin - 1074))
    }
}
