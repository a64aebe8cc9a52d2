import Foundation
import HarnessCore
import LinearAlgebra
import XCTest
@testable import KernelDensityExperiment

/// Known answer for the experiment's KL estimate: in d = 1 with many points, ρ̂ → ρ * K_h =
/// N(0, 1 + h²), and KL(N(0, 1) ‖ N(0, 1 + h²)) = ½[log(1 + h²) − h²/(1 + h²)].
final class KLEstimateTests: XCTestCase {
    func testKLOfASmoothEstimateInOneDimension() throws {
        let n = 5000.0, alpha = log(n)
        let hG = try RegimeTheory.extremeValueThreshold(alpha: alpha)
        let bandwidths = [0.7, 1.0, 1.5]
        let streams = RandomStreams(seed: 21)
        let queries = Matrix(rows: 300, columns: 1, elements: streams.stream("test/kl/queries").normals(300))
        let cell = try RegimeCell(
            dimension: 1, alpha: alpha, ratios: bandwidths.map { $0 / hG }, queries: queries, replicates: 4,
            hillTerms: 5, maxPoints: 10_000, streams: streams, threads: 1)
        XCTAssertEqual(cell.points, 5000)
        for (point, h) in zip(cell.grid, bandwidths) {
            XCTAssertEqual(point.bandwidth, h, accuracy: 1e-12)
            // The same Monte Carlo average with ρ̂ replaced by its n → ∞ limit N(0, 1 + h²), over
            // the same query points, so only the finite-n error of ρ̂ remains.
            let s2 = 1 + h * h
            let limit = queries.elements.reduce(0) { $0 + 0.5 * log(s2) - 0.5 * $1 * $1 + 0.5 * $1 * $1 / s2 } / 300
            XCTAssertEqual(point.klPerDimension, limit, accuracy: 0.005, "h = \(h)")
            XCTAssertEqual(limit, 0.5 * (log1p(h * h) - h * h / s2), accuracy: 0.1, "the Monte Carlo average itself")
            // A smooth estimate: many terms share the sum.
            XCTAssertLessThan(point.largestShare, 0.01)
            XCTAssertLessThan(point.relativeVariance, 0.05)
        }
        // KL grows with h in this regime (more smoothing bias).
        XCTAssertLessThan(cell.grid[0].klPerDimension, cell.grid[2].klPerDimension)
    }
}
