internal import COpenBLAS

/// Thin, typed wrappers over OpenBLAS's CBLAS level-2 and level-3 routines.
public enum BLAS {
    public enum Transpose: Sendable { case none, transposed }

    /// y ← α·op(A)·x + β·y (dgemv).
    public static func gemv(
        _ transpose: Transpose = .none, alpha: Double = 1, _ a: Matrix, _ x: [Double], beta: Double = 0, _ y: inout [Double]
    ) {
        let (inCount, outCount) = transpose == .none ? (a.columns, a.rows) : (a.rows, a.columns)
        precondition(x.count == inCount, "gemv: x has \(x.count) entries, op(A) has \(inCount) columns")
        precondition(y.count == outCount, "gemv: y has \(y.count) entries, op(A) has \(outCount) rows")
        guard a.rows > 0, a.columns > 0 else { return }
        cblas_dgemv(
            CblasRowMajor, transpose == .none ? CblasNoTrans : CblasTrans, Int32(a.rows), Int32(a.columns),
            alpha, a.elements, Int32(a.columns), x, 1, beta, &y, 1)
    }

    /// Returns op(A)·x.
    public static func gemv(_ transpose: Transpose = .none, _ a: Matrix, _ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: transpose == .none ? a.rows : a.columns)
        gemv(transpose, a, x, &y)
        return y
    }

    /// Returns A·x.
    public static func gemv(_ a: Matrix, _ x: [Double]) -> [Double] { gemv(.none, a, x) }

    /// C ← α·op(A)·op(B) + β·C (dgemm).
    public static func gemm(
        _ transposeA: Transpose = .none, _ transposeB: Transpose = .none, alpha: Double = 1,
        _ a: Matrix, _ b: Matrix, beta: Double = 0, _ c: inout Matrix
    ) {
        let (m, k) = transposeA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kb, n) = transposeB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
        precondition(k == kb, "gemm: inner dimensions differ (\(k) vs \(kb))")
        precondition(c.rows == m && c.columns == n, "gemm: C is \(c.rows)×\(c.columns), expected \(m)×\(n)")
        guard m > 0, n > 0 else { return }
        cblas_dgemm(
            CblasRowMajor, transposeA == .none ? CblasNoTrans : CblasTrans, transposeB == .none ? CblasNoTrans : CblasTrans,
            Int32(m), Int32(n), Int32(k), alpha, a.elements, Int32(a.columns), b.elements, Int32(b.columns),
            beta, &c.elements, Int32(c.columns))
    }

    /// Returns op(A)·op(B).
    public static func gemm(_ transposeA: Transpose = .none, _ transposeB: Transpose = .none, _ a: Matrix, _ b: Matrix) -> Matrix {
        var c = Matrix(rows: transposeA == .none ? a.rows : a.columns, columns: transposeB == .none ? b.columns : b.rows)
        gemm(transposeA, transposeB, a, b, &c)
        return c
    }

    /// Returns A·B.
    public static func gemm(_ a: Matrix, _ b: Matrix) -> Matrix { gemm(.none, .none, a, b) }

    /// Dot product (ddot).
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot: lengths differ (\(x.count) vs \(y.count))")
        return cblas_ddot(Int32(x.count), x, 1, y, 1)
    }
}

/// OpenBLAS's thread pool and build, recorded in every run's provenance.
public enum BLASRuntime {
    /// Pins OpenBLAS to `count` threads (results of a threaded BLAS can differ in the last bits
    /// with the thread count, so the count is part of the provenance).
    public static func setThreads(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be at least 1")
        openblas_set_num_threads(Int32(count))
    }

    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's configuration string, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64".
    public static var configuration: String {
        let config = openblas_get_config().map { String(cString: $0) } ?? "unknown"
        let core = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        return "\(config) (core: \(core))"
    }
}
