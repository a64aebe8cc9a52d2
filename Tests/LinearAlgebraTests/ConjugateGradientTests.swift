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
