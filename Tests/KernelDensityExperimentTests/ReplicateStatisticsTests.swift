import Foundation
import XCTest
@testable import KernelDensityExperiment

final class ReplicateStatisticsTests: XCTestCase {
    func testKurtosisAndVarianceKnownAnswers() {
        // Two equal masses at 1 and 3: mean 2, Var (n − 1) = 4/3, m₄/m₂² = 1, excess −2.
        let logs = [1.0, 3.0, 1.0, 3.0].map(log)
        XCTAssertEqual(ReplicateStatistics.excessKurtosis(logs: logs), -2, accuracy: 1e-12)
        XCTAssertEqual(ReplicateStatistics.relativeVariance(logs: logs), (4.0 / 3.0) / 4, accuracy: 1e-12)
        // One replicate dominating: kurtosis near its maximum n − 3 for n values.
        let spike = [0.0] + Array(repeating: -40.0, count: 19)
        XCTAssertEqual(ReplicateStatistics.excessKurtosis(logs: spike), 20 - 2 - 3 + 1.0 / 19, accuracy: 1e-6)
        // Scale-free: shifting every log changes nothing.
        XCTAssertEqual(ReplicateStatistics.excessKurtosis(logs: logs.map { $0 - 900 }), -2, accuracy: 1e-12)
    }

    func testCrossingInterpolatesInLogX() {
        let x = [0.5, 1, 2, 4]
        XCTAssertEqual(ReplicateStatistics.crossing(x: x, y: [0.9, 0.7, 0.3, 0.1], level: 0.5), 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(ReplicateStatistics.crossing(x: x, y: [0.4, 0.3, 0.2, 0.1], level: 0.5).isNaN)
    }

    func testMinimiserOfAParabolaInLogX() {
        let x = [0.25, 0.5, 1, 2, 4]
        let y = x.map { pow(log($0) - log(0.7), 2) }
        let (best, atEdge) = ReplicateStatistics.minimiser(x: x, y: y)
        XCTAssertFalse(atEdge)
        XCTAssertEqual(best, 0.7, accuracy: 1e-12)
        XCTAssertEqual(ReplicateStatistics.minimiser(x: x, y: [1, 2, 3, 4, 5]).x, 0.25)
        XCTAssertTrue(ReplicateStatistics.minimiser(x: x, y: [1, 2, 3, 4, 5]).atEdge)
    }
}
