import XCTest
import LinearAlgebra

final class ConjugateGradientTests: XCTestCase {
    func testSolvesSPDSystemAndMatchesDirectSolution() throws {
        let n = 40
        let b = Fixtures.gaussian(rows: n, columns: n, name: "cg.spd.b")
        var a = BLAS.gemm(.transposed, .none, b, b)  // BᵀB + I is SPD
        for i in 0..<n { a[i, i] += 1 }
        let rhs = Fixtures.gaussian(rows: 1, columns: n, name: "cg.spd.rhs").elements
        let result = ConjugateGradient.solve(rhs: rhs, tolerance: 1e-12, apply: Fixtures.apply(a))
        XCTAssertTrue(result.converged)
        XCTAssertLessThanOrEqual(result.residualNorm, 1e-12 * Fixtures.norm(rhs))
        // Direct solution x = V Λ⁻¹ Vᵀ b.
        let eigen = try SymmetricEigen(a)
        let v = try XCTUnwrap(eigen.vectors)
        let coefficients = zip(BLAS.gemv(.transposed, v, rhs), eigen.values).map { $0 / $1 }
        let direct = BLAS.gemv(.none, v, coefficients)
        XCTAssertLessThan(Fixtures.maxAbsDifference(result.solution, direct), 1e-8 * Fixtures.norm(direct))
    }

    func testSingularConsistentPathLaplacian() throws {
        // L = D − A of a path graph: null space = constants; rhs sums to zero, so it is consistent.
        let n = 25
        let laplacian = Matrix(rows: n, columns: n) { i, j in
            if i == j { return (i == 0 || i == n - 1) ? 1 : 2 }
            return abs(i - j) == 1 ? -1 : 0
        }
        var rhs = (0..<n).map { Double(($0 * 7) % 5) - 2 }
        let mean = rhs.reduce(0, +) / Double(n)
        rhs = rhs.map { $0 - mean }
        let result = ConjugateGradient.solve(rhs: rhs, tolerance: 1e-10, apply: Fixtures.apply(laplacian))
        XCTAssertTrue(result.converged)
        let residual = zip(BLAS.gemv(.none, laplacian, result.solution), rhs).map { $0 - $1 }
        XCTAssertLessThanOrEqual(Fixtures.norm(residual), 1e-9 * Fixtures.norm(rhs))
        // From x0 = 0 the iterates stay in range(L) = {sum zero}: the pseudo-inverse solution.
        XCTAssertEqual(result.solution.reduce(0, +), 0, accuracy: 1e-9)
        let eigen = try SymmetricEigen(laplacian)
        let v = try XCTUnwrap(eigen.vectors)
        let coefficients = zip(BLAS.gemv(.transposed, v, rhs), eigen.values).map { $1 > 1e-10 ? $0 / $1 : 0 }
        let pseudoInverse = BLAS.gemv(.none, v, coefficients)
        XCTAssertLessThan(Fixtures.maxAbsDifference(result.solution, pseudoInverse), 1e-7)
    }
}

final class PreconditionedConjugateGradientTests: XCTestCase {
    /// A badly scaled SPD matrix: D^{1/2} (tridiagonal Laplacian + I) D^{1/2} with D spanning 1e-4…1e4.
    func testJacobiPreconditionerGivesTheSameSolutionInFewerIterations() {
        let n = 60
        let scale = (0..<n).map { Foundation.pow(10.0, -4 + 8 * Double($0) / Double(n - 1)) }
        var a = Matrix(rows: n, columns: n)
        for i in 0..<n {
            a[i, i] = 3 * scale[i]
            if i > 0 { a[i, i - 1] = -(scale[i] * scale[i - 1]).squareRoot() }
            if i < n - 1 { a[i, i + 1] = -(scale[i] * scale[i + 1]).squareRoot() }
        }
        let b = (0..<n).map { Double($0 % 7) - 3 }
        let apply: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void = { v, out in
            let product = BLAS.gemv(.none, a, Array(v))
            for i in 0..<n { out[i] = product[i] }
        }
        let plain = ConjugateGradient.solve(rhs: b, tolerance: 1e-12, maxIterations: 20 * n, apply: apply)
        let jacobi = ConjugateGradient.solve(
            rhs: b, tolerance: 1e-12, maxIterations: 20 * n, inverseDiagonal: (0..<n).map { 1 / a[$0, $0] }, apply: apply)
        XCTAssertTrue(jacobi.converged)
        XCTAssertLessThan(jacobi.iterations, plain.iterations, "Jacobi should cut iterations on a badly scaled system")
        let residual = zip(BLAS.gemv(.none, a, jacobi.solution), b).map { $0 - $1 }
        XCTAssertLessThan(residual.map { $0 * $0 }.reduce(0, +).squareRoot(), 1e-10 * b.map { $0 * $0 }.reduce(0, +).squareRoot())
    }
}
