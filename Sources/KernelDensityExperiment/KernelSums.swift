import Foundation
import LinearAlgebra
internal import VectorKernels

/// The kernel sums Z_h(x) = Σ_i exp(−|x − y_i|²/(2h²)) of q fixed queries against a sample
/// streamed in blocks, for several bandwidths at once, in a form that cannot underflow.
///
/// Each block of B points costs one dgemm for the cross terms, C = X·Yᵀ (q × B), and then
/// |x − y|² = |x|² + |y|² − 2x·y. Every sum is kept relative to the smallest squared distance
/// seen so far, D_min (the largest term): s_h = Σ exp(−t_h(D_i − D_min)), t_h = 1/(2h²), so the
/// largest term is exactly 1, s_h ≥ 1, and every exponent is ≤ 0; when a block lowers D_min the
/// running sums are rescaled by exp(−t_h·ΔD_min) ≤ 1. Then log Z_h = −t_h·D_min + log s_h, the
/// largest term's share of the sum is 1/s_h and the inverse participation ratio
/// Σ K_i²/(Σ K_i)² = Σ exp(−2t_h(D_i − D_min))/s_h². Memory is O(q·(B + d + bandwidths)),
/// independent of n. The k smallest squared distances per query are kept for the Hill estimator
/// (the order of the terms does not depend on h).
///
/// Per query and block, the distances, their minimum and every bandwidth's two sums come from one
/// C kernel (`vk_kde_row_f64`, VectorKernels) on the active ISA path: each distance is assembled
/// once from the cross term and the norms, and each exponential (`VectorExp`'s algorithm, the
/// same bits on every path) is summed in registers, in four lanes j mod 4.
///
/// Deterministic: the summation order is fixed by the block and lane layout, never by threads
/// or the ISA path.
public struct KernelSums {
    public let queries: Matrix
    public let bandwidths: [Double]
    /// How many smallest squared distances each query keeps.
    public let nearestCount: Int
    public private(set) var points = 0
    private let rates: [Double]
    private let queryNorms: [Double]
    private var minDistance: [Double]
    private var sums: [Double]
    private var squareSums: [Double]
    private var nearest: [Double]
    private var cross: Matrix
    private var row: [Double]

    public init(queries: Matrix, bandwidths: [Double], nearestCount: Int = 1) throws {
        for h in bandwidths where !(h > 0 && h.isFinite) { throw KernelDensityInputError.nonPositiveBandwidth(h) }
        precondition(nearestCount >= 1, "keep at least the nearest point")
        self.queries = queries
        self.bandwidths = bandwidths
        self.nearestCount = nearestCount
        rates = bandwidths.map { 1 / (2 * $0 * $0) }
        queryNorms = (0..<queries.rows).map { i in (0..<queries.columns).reduce(0) { $0 + queries[i, $1] * queries[i, $1] } }
        minDistance = [Double](repeating: .infinity, count: queries.rows)
        sums = [Double](repeating: 0, count: queries.rows * bandwidths.count)
        squareSums = sums
        nearest = [Double](repeating: .infinity, count: queries.rows * nearestCount)
        cross = Matrix(rows: 0, columns: 0)
        row = []
    }

    /// Adds the points in the rows of `block` (B × d) to every sum.
    public mutating func add(_ block: Matrix) throws {
        guard block.columns == queries.columns else {
            throw KernelDensityInputError.dimensionMismatch(expected: queries.columns, got: block.columns)
        }
        let b = block.rows, q = queries.rows, hs = bandwidths.count
        guard b > 0 else { return }
        if cross.rows != q || cross.columns != b {
            cross = Matrix(rows: q, columns: b)
            row = [Double](repeating: 0, count: b)
        }
        BLAS.gemm(.none, .transposed, queries, block, &cross)
        var pointNorms = [Double](repeating: 0, count: b)
        block.elements.withUnsafeBufferPointer { y in
            let d = block.columns
            for j in 0..<b {
                // Four partial sums, so a large d is not one serial chain of additions.
                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                var c = 0
                while c + 4 <= d {
                    let base = j * d + c
                    s0 += y[base] * y[base]
                    s1 += y[base + 1] * y[base + 1]
                    s2 += y[base + 2] * y[base + 2]
                    s3 += y[base + 3] * y[base + 3]
                    c += 4
                }
                while c < d { s0 += y[j * d + c] * y[j * d + c]; c += 1 }
                pointNorms[j] = (s0 + s1) + (s2 + s3)
            }
        }
        let k = nearestCount
        var blockSums = [Double](repeating: 0, count: hs), blockSquares = blockSums
        for i in 0..<q {
            // Squared distances of query i to the block, the new minimum, and each bandwidth's
            // sums relative to it: one C kernel on the active ISA path (`vk_kde_row_f64`).
            let oldMin = minDistance[i]
            let newMin = cross.elements.withUnsafeBufferPointer { c in
                pointNorms.withUnsafeBufferPointer { yn in
                    rates.withUnsafeBufferPointer { t in
                        row.withUnsafeMutableBufferPointer { r in
                            blockSums.withUnsafeMutableBufferPointer { s in
                                blockSquares.withUnsafeMutableBufferPointer { s2 in
                                    vk_kde_row_f64(
                                        c.baseAddress! + i * b, yn.baseAddress!, queryNorms[i], b, oldMin, t.baseAddress!, hs,
                                        r.baseAddress!, s.baseAddress!, s2.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
            minDistance[i] = newMin
            for h in 0..<hs {
                if oldMin.isFinite, newMin < oldMin {
                    let factor = VectorExp.exp(-rates[h] * (oldMin - newMin))
                    sums[i * hs + h] *= factor
                    squareSums[i * hs + h] *= factor * factor
                }
                sums[i * hs + h] += blockSums[h]
                squareSums[i * hs + h] += blockSquares[h]
            }
            // The k smallest squared distances, ascending; most points fail the first comparison.
            nearest.withUnsafeMutableBufferPointer { kept in
                row.withUnsafeBufferPointer { r in
                    let base = i * k
                    var bound = kept[base + k - 1]
                    for j in 0..<b where r[j] < bound {
                        var position = k - 1
                        while position > 0, kept[base + position - 1] > r[j] {
                            kept[base + position] = kept[base + position - 1]
                            position -= 1
                        }
                        kept[base + position] = r[j]
                        bound = kept[base + k - 1]
                    }
                }
            }
        }
        points += b
    }

    /// log Z_h(x_i) = log Σ exp(−|x_i − y|²/(2h²)) for bandwidth number `h`.
    public func logKernelSum(query i: Int, bandwidth h: Int) -> Double {
        -rates[h] * minDistance[i] + log(sums[i * bandwidths.count + h])
    }

    /// max_j K_j / Σ K_j.
    public func largestShare(query i: Int, bandwidth h: Int) -> Double { 1 / sums[i * bandwidths.count + h] }

    /// Σ K_j² / (Σ K_j)².
    public func inverseParticipation(query i: Int, bandwidth h: Int) -> Double {
        let s = sums[i * bandwidths.count + h]
        return squareSums[i * bandwidths.count + h] / (s * s)
    }

    /// The `nearestCount` smallest squared distances of query i, ascending (+∞ where n is smaller).
    public func nearestSquaredDistances(query i: Int) -> ArraySlice<Double> {
        nearest[i * nearestCount ..< (i + 1) * nearestCount]
    }
}
