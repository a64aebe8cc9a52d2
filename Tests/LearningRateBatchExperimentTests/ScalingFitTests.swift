import HarnessCore
import XCTest
@testable import LearningRateBatchExperiment

final class ScalingFitTests: XCTestCase {
    func testSlopeOfExactPowerLaw() {
        let b: [Double] = [4, 8, 16, 32]
        XCTAssertEqual(ScalingFit.logLogSlope(x: b, y: b.map { 3 * pow($0, 0.5) }), 0.5, accuracy: 1e-12)
        XCTAssertEqual(ScalingFit.logLogSlope(x: b, y: b.map { 0.1 * $0 }), 1, accuracy: 1e-12)
        XCTAssertTrue(ScalingFit.logLogSlope(x: b, y: [1, 2, 0, 4]).isNaN)
    }

    /// lr = c·B/(B + B_c) sampled exactly: the fit returns B_c.
    func testCrossoverFitRecoversTheBend() {
        let sizes: [Double] = [4, 8, 16, 32, 64, 128, 256, 512, 1024]
        let rates = sizes.map { 2.5 * $0 / ($0 + 60) }
        XCTAssertEqual(ScalingFit.saturationCrossover(batchSizes: sizes, rates: rates), 60, accuracy: 1e-3)
    }

    func testMeanIntervalUsesStudentT() throws {
        let (mean, interval) = ScalingFit.meanWithInterval([1, 2, 3])
        XCTAssertEqual(mean, 2)
        let half = 4.303 * (1.0 / 3).squareRoot()
        XCTAssertEqual(try XCTUnwrap(interval).lower, 2 - half, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(interval).upper, 2 + half, accuracy: 1e-12)
        XCTAssertNil(ScalingFit.meanWithInterval([5]).interval)
        XCTAssertEqual(ScalingFit.studentT(degreesOfFreedom: 1000, level: 0.95), 1.9623, accuracy: 1e-3)  // tables: 1.9623
    }
}
