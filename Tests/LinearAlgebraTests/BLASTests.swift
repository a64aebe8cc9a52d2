import XCTest
import LinearAlgebra

final class BLASTests: XCTestCase {
    func testGemvMatchesNaiveLoopWithAndWithoutTranspose() {
        let a = Fixtures.gaussian(rows: 7, columns: 5, name: "gemv.a")
        let x5 = Fixtures.gaussian(rows: 1, columns: 5, name: "gemv.x5").elements
        let x7 = Fixtures.gaussian(rows: 1, columns: 7, name: "gemv.x7").elements
        XCTAssertLessThan(Fixtures.maxAbsDifference(BLAS.gemv(.none, a, x5), Fixtures.naiveProduct(a, x5)), 1e-13)
        XCTAssertLessThan(
            Fixtures.maxAbsDifference(BLAS.gemv(.transposed, a, x7), Fixtures.naiveProduct(a.transposed, x7)), 1e-13)
    }

    func testGemvAccumulatesWithAlphaAndBeta() {
        let a = Fixtures.gaussian(rows: 4, columns: 3, name: "gemv.ab")
        let x = [1.0, -2.0, 0.5]
        var y = [1.0, 2.0, 3.0, 4.0]
        BLAS.gemv(.none, alpha: 2, a, x, beta: -1, &y)
        let expected = zip(Fixtures.naiveProduct(a, x), [1.0, 2.0, 3.0, 4.0]).map { 2 * $0 - $1 }
        XCTAssertLessThan(Fixtures.maxAbsDifference(y, expected), 1e-13)
    }

    func testGemmMatchesNaiveLoopForAllTransposeCombinations() {
        // Non-square: op(A) is 6×4, op(B) is 4×3.
        let a = Fixtures.gaussian(rows: 6, columns: 4, name: "gemm.a")
        let b = Fixtures.gaussian(rows: 4, columns: 3, name: "gemm.b")
        let expected = Fixtures.naiveProduct(a, b)
        let at = a.transposed, bt = b.transposed
        let cases: [(BLAS.Transpose, BLAS.Transpose, Matrix, Matrix)] = [
            (.none, .none, a, b), (.transposed, .none, at, b), (.none, .transposed, a, bt), (.transposed, .transposed, at, bt),
        ]
        for (ta, tb, x, y) in cases {
            let c = BLAS.gemm(ta, tb, x, y)
            XCTAssertEqual(c.rows, 6)
            XCTAssertEqual(c.columns, 3)
            XCTAssertLessThan(Fixtures.maxAbsDifference(c.elements, expected.elements), 1e-13, "\(ta) \(tb)")
        }
    }

    func testGemmAccumulatesWithAlphaAndBeta() {
        let a = Fixtures.gaussian(rows: 3, columns: 5, name: "gemm.ab.a")
        let b = Fixtures.gaussian(rows: 5, columns: 2, name: "gemm.ab.b")
        var c = Matrix(rows: 3, columns: 2, repeating: 1)
        BLAS.gemm(.none, .none, alpha: 0.5, a, b, beta: 3, &c)
        let expected = Fixtures.naiveProduct(a, b).elements.map { 0.5 * $0 + 3 }
        XCTAssertLessThan(Fixtures.maxAbsDifference(c.elements, expected), 1e-13)
    }

    func testDot() {
        XCTAssertEqual(BLAS.dot([1, 2, 3], [4, -5, 6]), 12)
        XCTAssertEqual(BLAS.dot([], []), 0)
    }
}
