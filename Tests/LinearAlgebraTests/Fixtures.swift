import Foundation
import HarnessCore
import LinearAlgebra

/// Deterministic test matrices and reference (naive) kernels for the LinearAlgebra tests.
enum Fixtures {
    /// An m×n matrix of standard normals from the named stream (seed fixed per test).
    static func gaussian(rows: Int, columns: Int, name: String) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: RandomStream(seed: 20240611, name: name).normals(rows * columns))
    }

    /// A random symmetric matrix (B + Bᵀ)/2 with B Gaussian.
    static func symmetric(_ n: Int, name: String) -> Matrix {
        let b = gaussian(rows: n, columns: n, name: name)
        return Matrix(rows: n, columns: n) { i, j in 0.5 * (b[i, j] + b[j, i]) }
    }

    /// The tridiagonal (−1, 2, −1) matrix (Dirichlet Laplacian of a path).
    static func secondDifference(_ n: Int) -> Matrix {
        Matrix(rows: n, columns: n) { i, j in i == j ? 2 : (abs(i - j) == 1 ? -1 : 0) }
    }

    /// Its eigenvalues 2 − 2cos(kπ/(n+1)), k = 1…n, ascending.
    static func secondDifferenceSpectrum(_ n: Int) -> [Double] {
        (1...n).map { 2 - 2 * cos(Double($0) * .pi / Double(n + 1)) }
    }

    /// Householder reflector I − 2uuᵀ/(uᵀu): symmetric and orthogonal.
    static func householder(_ u: [Double]) -> Matrix {
        let uu = u.reduce(0) { $0 + $1 * $1 }
        return Matrix(rows: u.count, columns: u.count) { i, j in (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu }
    }

    static func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.columns == b.rows)
        return Matrix(rows: a.rows, columns: b.columns) { i, j in
            (0..<a.columns).reduce(0) { $0 + a[i, $1] * b[$1, j] }
        }
    }

    static func naiveProduct(_ a: Matrix, _ x: [Double]) -> [Double] {
        (0..<a.rows).map { i in (0..<a.columns).reduce(0) { $0 + a[i, $1] * x[$1] } }
    }

    static func maxAbsDifference(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        return zip(x, y).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    static func norm(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// A matrix as the operator closure Lanczos and CG take.
    static func apply(_ a: Matrix) -> (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void {
        { v, out in
            for i in 0..<a.rows {
                var s = 0.0
                for j in 0..<a.columns { s += a[i, j] * v[j] }
                out[i] = s
            }
        }
    }
}
