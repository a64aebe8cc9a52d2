internal import COpenBLAS

/// Why a symmetric eigendecomposition could not be computed.
public enum SymmetricEigenError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The matrix is not square.
    case notSquare(rows: Int, columns: Int)
    /// The order exceeds what 32-bit LAPACK indices can address.
    case tooLarge(order: Int)
    /// An entry is NaN or infinite.
    case nonFiniteEntry(row: Int, column: Int)
    /// |a[i,j] − a[j,i]| exceeds the requested tolerance (relative to the largest |entry|).
    case notSymmetric(row: Int, column: Int, difference: Double)
    /// LAPACK returned `info` ≠ 0: negative means argument −info was invalid, positive means
    /// the divide-and-conquer iteration failed to converge.
    case lapackFailure(routine: String, info: Int)

    public var description: String {
        switch self {
        case let .notSquare(rows, columns):
            return "symmetric eigendecomposition needs a square matrix, got \(rows)×\(columns)"
        case let .tooLarge(order):
            return "symmetric eigendecomposition: order \(order) exceeds LAPACK's 32-bit index range"
        case let .nonFiniteEntry(row, column):
            return "symmetric eigendecomposition: entry (\(row), \(column)) is not finite"
        case let .notSymmetric(row, column, difference):
            return "symmetric eigendecomposition: matrix is not symmetric, |a[\(row),\(column)] − a[\(column),\(row)]| = \(difference)"
        case let .lapackFailure(routine, info) where info < 0:
            return "\(routine): argument \(-info) had an illegal value (info = \(info))"
        case let .lapackFailure(routine, info):
            return "\(routine): eigenvalue iteration failed to converge (info = \(info))"
        }
    }
}

/// Eigenvalues (ascending) and, optionally, orthonormal eigenvectors of a real symmetric
/// matrix, by LAPACK's divide-and-conquer driver `dsyevd` (row-major).
///
/// A = V · diag(values) · Vᵀ, where column j of `vectors` is the eigenvector of `values[j]`.
public struct SymmetricEigen: Sendable, Equatable {
    /// Eigenvalues in ascending order.
    public var values: [Double]
    /// n×n orthogonal matrix whose column j is the unit eigenvector of `values[j]`;
    /// nil when vectors were not requested.
    public var vectors: Matrix?

    /// Decomposes the symmetric matrix `a`.
    ///
    /// - Parameters:
    ///   - computeVectors: also compute the eigenvectors (`jobz = 'V'`).
    ///   - symmetryTolerance: largest accepted |a[i,j] − a[j,i]| relative to max |a[i,j]|;
    ///     LAPACK reads only the lower triangle, so an asymmetric input would otherwise be
    ///     silently symmetrised. Pass `.infinity` to skip the O(n²) check.
    public init(_ a: Matrix, computeVectors: Bool = true, symmetryTolerance: Double = 1e-10) throws(SymmetricEigenError) {
        guard a.isSquare else { throw .notSquare(rows: a.rows, columns: a.columns) }
        let n = a.rows
        guard n <= Int(Int32.max) else { throw .tooLarge(order: n) }
        try Self.validate(a, symmetryTolerance: symmetryTolerance)
        guard n > 0 else {
            values = []
            vectors = computeVectors ? Matrix(rows: 0, columns: 0) : nil
            return
        }
        var storage = a.elements  // overwritten by the eigenvectors
        var w = [Double](repeating: 0, count: n)
        let jobz: CChar = computeVectors ? CChar(UInt8(ascii: "V")) : CChar(UInt8(ascii: "N"))
        let info = LAPACKE_dsyevd(
            LAPACK_ROW_MAJOR, jobz, CChar(UInt8(ascii: "L")), Int32(n), &storage, Int32(n), &w)
        guard info == 0 else { throw .lapackFailure(routine: "LAPACKE_dsyevd", info: Int(info)) }
        values = w
        vectors = computeVectors ? Matrix(rows: n, columns: n, elements: storage) : nil
    }

    /// The unit eigenvector of `values[index]` (column `index` of `vectors`).
    public func vector(_ index: Int) -> [Double] {
        guard let v = vectors else { preconditionFailure("eigenvectors were not computed") }
        precondition(index >= 0 && index < v.columns, "eigenvector index \(index) out of range 0..<\(v.columns)")
        return (0..<v.rows).map { v[$0, index] }
    }

    private static func validate(_ a: Matrix, symmetryTolerance: Double) throws(SymmetricEigenError) {
        let n = a.rows
        var scale = 0.0
        for i in 0..<n {
            for j in 0..<n {
                let x = a[i, j]
                guard x.isFinite else { throw .nonFiniteEntry(row: i, column: j) }
                scale = max(scale, abs(x))
            }
        }
        guard symmetryTolerance.isFinite else { return }
        let limit = symmetryTolerance * scale
        for i in 0..<n {
            for j in 0..<i {
                let difference = abs(a[i, j] - a[j, i])
                if difference > limit { throw .notSymmetric(row: i, column: j, difference: difference) }
            }
        }
    }
}
