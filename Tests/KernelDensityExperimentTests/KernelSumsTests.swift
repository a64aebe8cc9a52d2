import Foundation
import HarnessCore
import LinearAlgebra
import XCTest
@testable import KernelDensityExperiment

/// The blocked log-sum-exp kernel sums against direct sums.
final class KernelSumsTests: XCTestCase {
    private func sample(_ n: Int, _ d: Int, seed: UInt64 = 3) -> Matrix {
        GaussianSample(stream: RandomStreams(seed: seed).stream("test/y"), count: n, dimension: d).matrix()
    }

    private func squaredDistance(_ a: Matrix, _ i: Int, _ b: Matrix, _ j: Int) -> Double {
        (0..<a.columns).reduce(0) { $0 + (a[i, $1] - b[j, $1]) * (a[i, $1] - b[j, $1]) }
    }

    private func sums(_ queries: Matrix, _ data: Matrix, _ bandwidths: [Double], block: Int, nearest: Int = 1) throws -> KernelSums {
        var sums = try KernelSums(queries: queries, bandwidths: bandwidths, nearestCount: nearest)
        var first = 0
        while first < data.rows {
            let rows = min(block, data.rows - first)
            try sums.add(Matrix(rows: rows, columns: data.columns,
                                elements: Array(data.elements[first * data.columns ..< (first + rows) * data.columns])))
            first += rows
        }
        return sums
    }

    /// Moderate bandwidths, where the direct sum is representable: log Z, share and IPR agree.
    func testLogSumExpMatchesTheDirectSum() throws {
        let data = sample(1000, 7), queries = sample(5, 7, seed: 4)
        let bandwidths = [0.6, 1.0, 2.5]
        let result = try sums(queries, data, bandwidths, block: 128)  // 1000 = 7·128 + 104: a partial last block
        XCTAssertEqual(result.points, 1000)
        for i in 0..<queries.rows {
            for (h, bandwidth) in bandwidths.enumerated() {
                let terms = (0..<data.rows).map { exp(-squaredDistance(queries, i, data, $0) / (2 * bandwidth * bandwidth)) }
                let total = terms.reduce(0, +)
                XCTAssertEqual(result.logKernelSum(query: i, bandwidth: h), log(total), accuracy: 1e-12)
                XCTAssertEqual(result.largestShare(query: i, bandwidth: h), terms.max()! / total, accuracy: 1e-12)
                XCTAssertEqual(result.inverseParticipation(query: i, bandwidth: h),
                               terms.reduce(0) { $0 + $1 * $1 } / (total * total), accuracy: 1e-12)
            }
        }
    }

    /// A bandwidth so small that every direct term underflows to 0: the log form stays exact.
    func testTinyBandwidthDoesNotUnderflow() throws {
        let data = sample(300, 30), queries = sample(3, 30, seed: 5)
        let h = 0.05  // terms near e^{−60/(2·0.0025)} = e^{−12000}
        let result = try sums(queries, data, [h], block: 64)
        for i in 0..<queries.rows {
            let logs = (0..<data.rows).map { -squaredDistance(queries, i, data, $0) / (2 * h * h) }
            XCTAssertEqual(exp(logs.max()!), 0, "the direct sum underflows")
            let top = logs.max()!
            let reference = top + log(logs.reduce(0) { $0 + exp($1 - top) })
            XCTAssertEqual(result.logKernelSum(query: i, bandwidth: 0), reference, accuracy: 1e-9 * abs(reference))
            XCTAssertTrue(result.largestShare(query: i, bandwidth: 0) > 0.99)
        }
    }

    func testNearestDistancesAreTheSmallestOnes() throws {
        let data = sample(500, 4), queries = sample(4, 4, seed: 6)
        let result = try sums(queries, data, [1], block: 50, nearest: 6)
        for i in 0..<queries.rows {
            let sorted = (0..<data.rows).map { squaredDistance(queries, i, data, $0) }.sorted()
            for (a, b) in zip(result.nearestSquaredDistances(query: i), sorted.prefix(6)) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        }
    }

    func testBlockSizeOnlyMovesRounding() throws {
        let data = sample(777, 5), queries = sample(3, 5, seed: 7)
        let a = try sums(queries, data, [0.3, 1.2], block: 777), b = try sums(queries, data, [0.3, 1.2], block: 100)
        for i in 0..<3 {
            for h in 0..<2 {
                XCTAssertEqual(a.logKernelSum(query: i, bandwidth: h), b.logKernelSum(query: i, bandwidth: h), accuracy: 1e-12)
            }
        }
    }

    func testBadInputIsRejected() throws {
        let queries = sample(2, 3)
        XCTAssertThrowsError(try KernelSums(queries: queries, bandwidths: [1, 0])) {
            XCTAssertEqual($0 as? KernelDensityInputError, .nonPositiveBandwidth(0))
        }
        var sums = try KernelSums(queries: queries, bandwidths: [1])
        XCTAssertThrowsError(try sums.add(Matrix(rows: 2, columns: 4))) {
            XCTAssertEqual($0 as? KernelDensityInputError, .dimensionMismatch(expected: 3, got: 4))
        }
        XCTAssertThrowsError(try GaussianKernelDensity(sample: Matrix(rows: 0, columns: 2), bandwidth: 1))
        XCTAssertThrowsError(try GaussianKernelDensity(sample: queries, bandwidth: -2))
    }
}
