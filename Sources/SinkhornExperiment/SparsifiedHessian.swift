import Foundation
import LinearAlgebra

/// Which plan entries the sparsified Hessian keeps.
public enum SparsificationRule: Sendable, Equatable, Encodable, CustomStringConvertible {
    /// The paper's rule (Tang et al. 2024, Alg. 1 and Sec. 6): keep the ⌈ρ·n·m⌉ largest entries
    /// with ρ = `perRow` / n, so that ρ = 2/n (the paper's default) keeps 2m entries, on average
    /// two per row of a square plan. Exactly that many are kept; ties at the cut-off go to the
    /// first in row-major order.
    case keepCount(perRow: Double)
    /// Ours, a diagnostic: drop the smallest entries while they hold at most this share of the
    /// plan's mass (`MassThreshold`), so that the kept fraction measures how sparse the plan is.
    case droppedMass(Double)

    public var description: String {
        switch self {
        case .keepCount(let perRow): "keep the ρn² largest entries, ρ = \(perRow)/n"
        case .droppedMass(let share): "drop at most \(share) of the mass"
        }
    }

    /// Entries `keepCount` keeps in an n × m plan: ⌈perRow · m⌉ = ⌈ρ·n·m⌉, at least one, at most n·m.
    public static func keptCount(perRow: Double, rows: Int, columns: Int) -> Int {
        let wanted = (perRow * Double(columns)).rounded(.up)
        return Int(min(Double(rows * columns), max(1, wanted)))
    }
}

/// The sparsified Newton matrix of Sinkhorn-Newton-Sparse (Tang et al. 2024, Alg. 1,
/// "M ← Sparsify(∇²f(z), ρ)"): the off-diagonal block P is truncated to its largest entries,
/// while the diagonal keeps the exact marginals P1 and Pᵀ1, giving
///
///   H = η [[diag(P1), P̃], [P̃ᵀ, diag(Pᵀ1)]]  ≈  −∇²f.
///
/// (The diagonal entries P1, Pᵀ1 are each at least as large as any entry of their row or
/// column, so a largest-entries rule applied to the whole Hessian keeps them too.) Which entries
/// of P survive is set by a `SparsificationRule`: the paper's fixed count ρn², or our mass budget.
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
    /// The share of the plan's mass the dropped entries held: Σ dropped / Σ P.
    public let droppedMassFraction: Double

    /// Entries kept, as a fraction of n·m: ρ.
    public var keptFraction: Double { Double(values.count) / Double(rowSums.count * columnSums.count) }
    public var keptEntries: Int { values.count }

    /// Keeps the largest entries of the plan, dropping at most `droppedMass` (relative) of its mass.
    public init(plan: TransportPlan, eta: Double, droppedMass: Double) {
        self.init(plan: plan, eta: eta, rule: .droppedMass(droppedMass))
    }

    public init(plan: TransportPlan, eta: Double, rule: SparsificationRule) {
        let n = plan.plan.rows, m = plan.plan.columns
        // Keep entries > threshold, and up to `ties` entries equal to it (row-major order).
        let threshold: Double
        var ties: Int
        switch rule {
        case .droppedMass(let share):
            threshold = MassThreshold.threshold(plan.plan.elements, droppedMass: share)
            ties = Int.max
        case .keepCount(let perRow):
            let count = SparsificationRule.keptCount(perRow: perRow, rows: n, columns: m)
            let selection = KeepCountThreshold.select(plan.plan.elements, count: count)
            threshold = selection.threshold
            ties = count - selection.above
        }
        var rowStart = [Int](repeating: 0, count: n + 1)
        var columnIndex: [Int32] = []
        var values: [Double] = []
        var droppedMass = 0.0
        plan.plan.elements.withUnsafeBufferPointer { p in
            for i in 0..<n {
                let row = p.baseAddress! + i * m
                for j in 0..<m {
                    let keep = row[j] > threshold || (row[j] == threshold && ties > 0)
                    if row[j] == threshold && keep { ties -= 1 }
                    if keep {
                        columnIndex.append(Int32(j))
                        values.append(row[j])
                    } else {
                        droppedMass += row[j]
                    }
                }
                rowStart[i + 1] = values.count
            }
        }
        let totalMass = plan.rowSums.reduce(0, +)
        self.eta = eta
        rowSums = plan.rowSums
        columnSums = plan.columnSums
        self.rowStart = rowStart
        self.columnIndex = columnIndex
        self.values = values
        droppedMassFraction = totalMass > 0 ? droppedMass / totalMass : 0
    }

    /// Our diagnostic: the fraction of the plan's n·m entries that must be kept so that the
    /// dropped ones hold at most `droppedMass` of its mass (`MassThreshold`), without building H.
    public static func massBudgetKeptFraction(_ plan: TransportPlan, droppedMass: Double) -> Double {
        let threshold = MassThreshold.threshold(plan.plan.elements, droppedMass: droppedMass)
        let kept = plan.plan.elements.reduce(0) { $0 + ($1 >= threshold ? 1 : 0) }
        return Double(kept) / Double(plan.plan.elements.count)
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
