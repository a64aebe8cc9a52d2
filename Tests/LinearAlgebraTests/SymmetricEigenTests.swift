import Foundation
import XCTest
import LinearAlgebra

final class SymmetricEigenTests: XCTestCase {
    func testSecondDifferenceMatrixHasClosedFormSpectrum() throws {
        let n = 40
        let a = Fixtures.secondDifference(n)
        let eigen = try SymmetricEigen(a)
        XCTAssertLessThan(Fixtures.maxAbsDifference(eigen.values, Fixtures.secondDifferenceSpectrum(n)), 1e-12)
        for j in [0, 17, n - 1] {
            let v = eigen.vector(j)
            let av = BLAS.gemv(.none, a, v)
            XCTAssertLessThan(Fixtures.maxAbsDifference(av, v.map { eigen.values[j] * $0 }), 1e-12)
            XCTAssertEqual(Fixtures.norm(v), 1, accuracy: 1e-12)
        }
    }

    func testHouseholderConjugatedDiagonalRecoversSpectrumAndVectors() throws {
        let spectrum = [-3.0, -1.0, 0.0, 0.5, 2.0, 7.0]
        let q = Fixtures.householder([1, -2, 0.5, 3, 1, -1])
        let d = Matrix(rows: 6, columns: 6) { i, j in i == j ? spectrum[i] : 0 }
        let a = BLAS.gemm(.none, .transposed, BLAS.gemm(.none, .none, q, d), q)
        let eigen = try SymmetricEigen(a)
        XCTAssertLessThan(Fixtures.maxAbsDifference(eigen.values, spectrum), 1e-12)
        let v = try XCTUnwrap(eigen.vectors)
        // A V = V Λ and Vᵀ V = I.
        let av = BLAS.gemm(.none, .none, a, v)
        let vl = Matrix(rows: 6, columns: 6) { i, j in v[i, j] * eigen.values[j] }
        XCTAssertLessThan(Fixtures.maxAbsDifference(av.elements, vl.elements), 1e-12)
        XCTAssertLessThan(
            Fixtures.maxAbsDifference(BLAS.gemm(.transposed, .none, v, v).elements, Matrix.identity(6).elements), 1e-12)
        // Eigenvector j is ± column j of the reflector (distinct eigenvalues).
        for j in 0..<6 {
            let column = (0..<6).map { q[$0, j] }
            XCTAssertEqual(abs(BLAS.dot(column, eigen.vector(j))), 1, accuracy: 1e-12)
        }
    }

    func testValuesOnlyMatchValuesWithVectors() throws {
        let a = Fixtures.symmetric(25, name: "eigen.valuesOnly")
        let withVectors = try SymmetricEigen(a)
        let valuesOnly = try SymmetricEigen(a, computeVectors: false)
        XCTAssertNil(valuesOnly.vectors)
        XCTAssertLessThan(Fixtures.maxAbsDifference(withVectors.values, valuesOnly.values), 1e-12)
        XCTAssertEqual(valuesOnly.values, valuesOnly.values.sorted())
    }

    func testEmptyMatrix() throws {
        XCTAssertEqual(try SymmetricEigen(Matrix(rows: 0, columns: 0)).values, [])
    }

    func testRejectsNonSquareAsymmetricAndNonFiniteInput() {
        XCTAssertThrowsError(try SymmetricEigen(Matrix(rows: 2, columns: 3))) { error in
            XCTAssertEqual(error as? SymmetricEigenError, .notSquare(rows: 2, columns: 3))
            XCTAssertTrue("\(error)".contains("2×3"), "\(error)")
        }
        let asymmetric = Matrix(rows: 2, columns: 2, elements: [1, 2, 3, 4])
        XCTAssertThrowsError(try SymmetricEigen(asymmetric)) { error in
            guard case .notSymmetric(1, 0, _)? = error as? SymmetricEigenError else { return XCTFail("\(error)") }
        }
        XCTAssertNoThrow(try SymmetricEigen(asymmetric, symmetryTolerance: .infinity))
        let withNaN = Matrix(rows: 2, columns: 2, elements: [1, .nan, .nan, 1])
        XCTAssertThrowsError(try SymmetricEigen(withNaN)) { error in
            XCTAssertEqual(error as? SymmetricEigenError, .nonFiniteEntry(row: 0, column: 1))
        }
    }
}
