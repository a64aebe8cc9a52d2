import HarnessCore
import XCTest
import LinearAlgebra

final class LanczosTests: XCTestCase {
    private func start(_ n: Int, _ name: String) -> [Double] {
        RandomStream(seed: 7, name: name).normals(n)
    }

    func testTopEigenvaluesOfRandomSymmetricMatrixMatchDsyevd() throws {
        let n = 120
        let a = Fixtures.symmetric(n, name: "lanczos.random")
        let exact = try SymmetricEigen(a, computeVectors: false).values.reversed().map { $0 }
        let result = try Lanczos.topEigenvalues(
            count: 3, dimension: n, steps: 80, start: start(n, "lanczos.random.start"), computeVectors: true,
            apply: Fixtures.apply(a))
        XCTAssertEqual(result.steps, 80)
        XCTAssertEqual(result.restarts, 0)
        for i in 0..<3 {
            XCTAssertEqual(result.values[i], exact[i], accuracy: 1e-8, "eigenvalue \(i)")
            XCTAssertLessThan(result.residualBounds[i], 1e-6)
            // The bound really bounds the residual of the returned Ritz vector.
            let y = try XCTUnwrap(result.vectors)[i]
            XCTAssertEqual(Fixtures.norm(y), 1, accuracy: 1e-10)
            let r = zip(BLAS.gemv(.none, a, y), y).map { $0 - result.values[i] * $1 }
            XCTAssertLessThanOrEqual(Fixtures.norm(r), result.residualBounds[i] + 1e-10)
        }
    }

    func testFullKrylovSpaceReproducesClosedFormTridiagonalSpectrum() throws {
        let n = 30
        let exact = Fixtures.secondDifferenceSpectrum(n).reversed().map { $0 }
        let result = try Lanczos.topEigenvalues(
            count: 5, dimension: n, steps: n, start: start(n, "lanczos.tridiagonal.start"),
            apply: Fixtures.apply(Fixtures.secondDifference(n)))
        XCTAssertLessThan(Fixtures.maxAbsDifference(result.values, Array(exact.prefix(5))), 1e-12)
        XCTAssertTrue(result.residualBounds.allSatisfy { $0 < 1e-10 }, "\(result.residualBounds)")
    }

    func testResidualBoundsAreHonestBeforeConvergence() throws {
        // Clustered top of the (−1, 2, −1) spectrum: 15 steps on n = 200 do not converge.
        let n = 200
        let exact = Fixtures.secondDifferenceSpectrum(n)
        let result = try Lanczos.topEigenvalues(
            count: 4, dimension: n, steps: 15, start: start(n, "lanczos.honest.start"),
            apply: Fixtures.apply(Fixtures.secondDifference(n)))
        for (theta, bound) in zip(result.values, result.residualBounds) {
            let distance = exact.map { abs($0 - theta) }.min()!
            XCTAssertLessThanOrEqual(distance, bound + 1e-12)
            XCTAssertLessThanOrEqual(theta, exact.last! + 1e-12)  // Ritz values interlace
        }
        XCTAssertEqual(result.values, result.values.sorted(by: >))
    }

    func testBreakdownRestartsAndStillFindsTopEigenvalues() throws {
        // Start from the eigenvector of the smallest eigenvalue: the Krylov space is invariant
        // after one step, so only restarts can reach the top of the spectrum.
        let n = 12
        let a = Fixtures.secondDifference(n)
        let bottom = (0..<n).map { sin(Double($0 + 1) * .pi / Double(n + 1)) }
        let result = try Lanczos.topEigenvalues(count: 3, dimension: n, steps: n, start: bottom, apply: Fixtures.apply(a))
        XCTAssertGreaterThanOrEqual(result.restarts, 1)
        let exact = Fixtures.secondDifferenceSpectrum(n).reversed().map { $0 }
        XCTAssertLessThan(Fixtures.maxAbsDifference(result.values, Array(exact.prefix(3))), 1e-12)
    }

    func testLowRankOperatorReportsZeroEigenvalues() throws {
        // A = u uᵀ has eigenvalues ‖u‖², 0, …, 0.
        let u = [1.0, 2, -1, 0.5, 3, 0, -2, 1]
        let a = Matrix(rows: 8, columns: 8) { i, j in u[i] * u[j] }
        let result = try Lanczos.topEigenvalues(
            count: 3, dimension: 8, steps: 6, start: start(8, "lanczos.rank1.start"), apply: Fixtures.apply(a))
        XCTAssertEqual(result.values[0], u.reduce(0) { $0 + $1 * $1 }, accuracy: 1e-12)
        XCTAssertEqual(result.values[1], 0, accuracy: 1e-12)
        XCTAssertEqual(result.values[2], 0, accuracy: 1e-12)
        XCTAssertGreaterThanOrEqual(result.restarts, 1)
    }

    func testRejectsBadArguments() {
        let op = Fixtures.apply(Matrix.identity(4))
        XCTAssertThrowsError(try Lanczos.topEigenvalues(count: 5, dimension: 4, steps: 10, start: [1, 1, 1, 1], apply: op)) {
            guard case .invalidArgument? = $0 as? LanczosError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try Lanczos.topEigenvalues(count: 1, dimension: 4, steps: 4, start: [1, 1, 1], apply: op))
        XCTAssertThrowsError(try Lanczos.topEigenvalues(count: 1, dimension: 4, steps: 4, start: [0, 0, 0, 0], apply: op)) {
            XCTAssertEqual($0 as? LanczosError, .unusableStartVector)
        }
        XCTAssertThrowsError(
            try Lanczos.topEigenvalues(count: 1, dimension: 2, steps: 2, start: [1, 0]) { _, out in out[0] = .nan; out[1] = 0 }
        ) {
            XCTAssertEqual($0 as? LanczosError, .nonFiniteOperatorOutput(step: 0))
        }
    }
}
