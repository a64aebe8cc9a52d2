import Foundation
import HarnessCore
import LinearAlgebra
import XCTest
@testable import KernelDensityExperiment

/// The C row kernel behind `KernelSums` (`vk_kde_row_f64`) on every ISA path this CPU runs: the
/// same bits as the baseline path and as the Swift loop it replaced (re-stated below as the
/// reference), and close to a straightforward Float64 sum. AVX-512 runs only where the CPU has it.
final class KernelSumsPathTests: XCTestCase {
    private func sample(_ n: Int, _ d: Int, seed: UInt64) -> Matrix {
        GaussianSample(stream: RandomStreams(seed: seed).stream("test/kde-paths"), count: n, dimension: d).matrix()
    }

    private func blocks(_ data: Matrix, _ size: Int) -> [Matrix] {
        stride(from: 0, to: data.rows, by: size).map { first in
            let rows = min(size, data.rows - first)
            return Matrix(rows: rows, columns: data.columns, elements: Array(data.elements[first * data.columns ..< (first + rows) * data.columns]))
        }
    }

    private static let bandwidths = (0..<14).map { 0.5 + 2.5 * Double($0) / 13 }

    /// Every observable of the sums, as bit patterns.
    private func observables(_ sums: KernelSums) -> [UInt64] {
        var out: [UInt64] = []
        for i in 0..<sums.queries.rows {
            for h in sums.bandwidths.indices {
                out += [sums.logKernelSum(query: i, bandwidth: h), sums.largestShare(query: i, bandwidth: h),
                        sums.inverseParticipation(query: i, bandwidth: h)].map(\.bitPattern)
            }
            out += sums.nearestSquaredDistances(query: i).map(\.bitPattern)
        }
        return out
    }

    private func run(_ queries: Matrix, _ data: Matrix, block: Int, isa: VectorISA) throws -> KernelSums {
        try VectorISA.withPath(isa) {
            var sums = try KernelSums(queries: queries, bandwidths: Self.bandwidths, nearestCount: 3)
            for part in blocks(data, block) { try sums.add(part) }
            return sums
        }
    }

    /// d ∈ {30, 128}, 14 bandwidths, blocks of 333 (an 8-lane body, a 4-lane chunk and a single
    /// tail element) and a last block of 1.
    func testEveryPathGivesTheBaselineBits() throws {
        for d in [30, 128] {
            let data = sample(1000, d, seed: 11), queries = sample(6, d, seed: 12)
            let baseline = observables(try run(queries, data, block: 333, isa: .baseline))
            for isa in VectorISA.runnable where isa != .baseline {
                XCTAssertEqual(observables(try run(queries, data, block: 333, isa: isa)), baseline, "d = \(d), \(isa.rawValue)")
            }
        }
    }

    /// The per-query step as the Swift code computed it before the C kernel: distances, their
    /// minimum, and per bandwidth e_j = VectorExp.exp(−t(D_j − min)) summed in four lanes j mod 4.
    private func previousAlgorithm(_ queries: Matrix, _ data: Matrix, block: Int) -> (logs: [Double], ipr: [Double]) {
        let q = queries.rows, hs = Self.bandwidths.count
        let rates = Self.bandwidths.map { 1 / (2 * $0 * $0) }
        var minimum = [Double](repeating: .infinity, count: q)
        var sums = [Double](repeating: 0, count: q * hs), squares = sums
        for part in blocks(data, block) {
            var cross = Matrix(rows: q, columns: part.rows)
            BLAS.gemm(.none, .transposed, queries, part, &cross)
            let norms = (0..<part.rows).map { j -> Double in
                var s = [0.0, 0.0, 0.0, 0.0]
                var c = 0
                while c + 4 <= part.columns {
                    for l in 0..<4 { s[l] += part[j, c + l] * part[j, c + l] }
                    c += 4
                }
                while c < part.columns { s[0] += part[j, c] * part[j, c]; c += 1 }
                return (s[0] + s[1]) + (s[2] + s[3])
            }
            for i in 0..<q {
                let xn = (0..<queries.columns).reduce(0) { $0 + queries[i, $1] * queries[i, $1] }
                let row = (0..<part.rows).map { j -> Double in
                    let value = xn + norms[j] - 2 * cross[i, j]
                    return value > 0 ? value : 0
                }
                let oldMin = minimum[i], newMin = min(oldMin, row.min()!)
                minimum[i] = newMin
                for h in 0..<hs {
                    if oldMin.isFinite, newMin < oldMin {
                        let factor = VectorExp.exp(-rates[h] * (oldMin - newMin))
                        sums[i * hs + h] *= factor
                        squares[i * hs + h] *= factor * factor
                    }
                    var s = [0.0, 0.0, 0.0, 0.0], s2 = [0.0, 0.0, 0.0, 0.0]
                    for (j, distance) in row.enumerated() {
                        let e = VectorExp.exp(-rates[h] * (distance - newMin))
                        let lane = j < row.count / 4 * 4 ? j % 4 : 0
                        s[lane] += e
                        s2[lane] += e * e
                    }
                    sums[i * hs + h] += (s[0] + s[1]) + (s[2] + s[3])
                    squares[i * hs + h] += (s2[0] + s2[1]) + (s2[2] + s2[3])
                }
            }
        }
        let logs = (0..<q * hs).map { -rates[$0 % hs] * minimum[$0 / hs] + log(sums[$0]) }
        return (logs, (0..<q * hs).map { squares[$0] / (sums[$0] * sums[$0]) })
    }

    func testSameBitsAsThePreviousSwiftLoop() throws {
        let data = sample(700, 30, seed: 13), queries = sample(4, 30, seed: 14)
        let reference = previousAlgorithm(queries, data, block: 301)
        for isa in VectorISA.runnable {
            let sums = try run(queries, data, block: 301, isa: isa)
            for i in 0..<queries.rows {
                for h in Self.bandwidths.indices {
                    XCTAssertEqual(sums.logKernelSum(query: i, bandwidth: h).bitPattern, reference.logs[i * Self.bandwidths.count + h].bitPattern, "\(isa.rawValue) i=\(i) h=\(h)")
                    XCTAssertEqual(sums.inverseParticipation(query: i, bandwidth: h).bitPattern, reference.ipr[i * Self.bandwidths.count + h].bitPattern)
                }
            }
        }
    }

    /// Against Σ_j Foundation.exp(−|x − y_j|²/(2h²)) with the distances summed term by term.
    func testCloseToAStraightforwardSum() throws {
        let data = sample(900, 128, seed: 15), queries = sample(3, 128, seed: 16)
        for isa in VectorISA.runnable {
            let sums = try run(queries, data, block: 256, isa: isa)
            for i in 0..<queries.rows {
                let distances = (0..<data.rows).map { j in (0..<128).reduce(0.0) { $0 + (queries[i, $1] - data[j, $1]) * (queries[i, $1] - data[j, $1]) } }
                for (h, bandwidth) in Self.bandwidths.enumerated() where bandwidth >= 2 {  // direct terms representable
                    let total = distances.reduce(0.0) { $0 + Foundation.exp(-$1 / (2 * bandwidth * bandwidth)) }
                    let expected = log(total)
                    XCTAssertEqual(sums.logKernelSum(query: i, bandwidth: h), expected, accuracy: 1e-12 * abs(expected), "\(isa.rawValue) h=\(bandwidth)")
                }
            }
        }
    }
}
