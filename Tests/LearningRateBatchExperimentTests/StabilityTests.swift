import HarnessCore
import XCTest
@testable import LearningRateBatchExperiment

/// The divergence rule and the learning-rate scan against known answers.
final class StabilityTests: XCTestCase {
    /// Gradient descent on ½ Σ c_k w_k² multiplies w_k by (1 − η c_k) each step: it diverges
    /// exactly when η > 2 / max c = 2/3 for c = (1, 3) given unlimited steps.
    func testSGDOnAQuadraticDivergesAboveTwoOverCurvature() {
        let model = Fixtures.Quadratic(curvatures: [1, 3])
        let data = Fixtures.regressionData(samples: 16)
        let test = StabilityTest(steps: 200, divergenceFactor: 10, adam: AdamSettings())
        let initial = [1.0, 1.0]
        let loss0 = model.loss(initial, on: data)
        let grid = LearningRateScan.grid(lower: 1e-3, upper: 10, pointsPerDecade: 4)
        let found = LearningRateScan.run(grid: grid, refinementSteps: 30) { rate in
            test.diverges(model: model, data: data, initial: initial, initialLoss: loss0, optimizer: .sgd,
                          learningRate: rate, batchSize: 4, batchStream: Fixtures.streams.stream("test/batches"))
        }
        // With a finite budget the threshold sits where the loss after T = 200 steps reaches k = 10
        // times its start: ½(1 − η)^{2T} + (3/2)(1 − 3η)^{2T} = 10 · 2, i.e. (the first term is
        // negligible there) 3η − 1 = (40/3)^{1/2T}. Just above 2/3, as the infinite-budget limit says.
        let threshold = (1 + pow(40.0 / 3, 1.0 / 400)) / 3
        XCTAssertEqual(found.outcome, .monotone)
        XCTAssertEqual(found.switches.count, 1)
        XCTAssertLessThanOrEqual(found.stable, threshold)
        XCTAssertGreaterThan(found.divergent, threshold)
        XCTAssertEqual(found.estimate, threshold, accuracy: 1e-6)
        XCTAssertGreaterThan(found.stable, 2.0 / 3.0)
    }

    /// Adam's first step moves every coordinate by η (bias-corrected m̂/√v̂ = sign g).
    func testAdamFirstStepIsLearningRateTimesSign() {
        var state = OptimizerState(.adam, learningRate: 0.1, adam: AdamSettings(epsilon: 0), parameterCount: 3)
        var w = [1.0, 2.0, 3.0]
        state.update(&w, gradient: [5, -0.01, 2])
        XCTAssertEqual(w[0], 0.9, accuracy: 1e-15)
        XCTAssertEqual(w[1], 2.1, accuracy: 1e-15)
        XCTAssertEqual(w[2], 2.9, accuracy: 1e-15)
    }

    func testGridIsGeometricAndStaysInTheRange() {
        let grid = LearningRateScan.grid(lower: 1e-3, upper: 1000, pointsPerDecade: 3)
        XCTAssertEqual(grid.count, 19)
        XCTAssertEqual(grid.first, 1e-3)
        XCTAssertEqual(grid.last!, 1000, accuracy: 1e-9)
        for (a, b) in zip(grid, grid.dropFirst()) { XCTAssertEqual(b / a, pow(10, 1.0 / 3), accuracy: 1e-12) }
        XCTAssertEqual(LearningRateScan.grid(lower: 1, upper: 50, pointsPerDecade: 1), [1, 10])
    }

    /// One switch: lr_max is bracketed, then refined by halvings inside that grid interval.
    func testScanOfAThresholdRefinesInsideTheSwitchingInterval() {
        let grid = LearningRateScan.grid(lower: 1, upper: 100, pointsPerDecade: 2)
        var calls: [Double] = []
        let found = LearningRateScan.run(grid: grid, refinementSteps: 12) { calls.append($0); return $0 > 10 }
        XCTAssertEqual(found.outcome, .monotone)
        XCTAssertEqual(found.switches, [3])  // 1, 3.16, 10 stable; 31.6 diverged
        XCTAssertEqual(found.firstDivergentRate, grid[3])
        XCTAssertEqual(calls.count, grid.count + 12)
        XCTAssertLessThanOrEqual(found.stable, 10)
        XCTAssertGreaterThan(found.divergent, 10)
        XCTAssertEqual(found.divergent / found.stable, pow(10.0.squareRoot(), 1.0 / 4096), accuracy: 1e-12)
        XCTAssertEqual(found.estimate, 10, accuracy: 2e-3)
    }

    /// The profile the issue found for Adam on the tanh MLP: stable up to 0.39, diverged from 0.44
    /// to 2.3, stable again from 3.4. Two switches: the cell is non-monotone and has no value; the
    /// first divergent rate is still recorded.
    func testScanReportsANonMonotoneProfileAsInconclusive() {
        let grid = LearningRateScan.grid(lower: 0.01, upper: 100, pointsPerDecade: 10)
        let found = LearningRateScan.run(grid: grid, refinementSteps: 5) { (0.42...2.5).contains($0) }
        XCTAssertEqual(found.outcome, .nonMonotone)
        XCTAssertEqual(found.switches.count, 2)
        XCTAssertTrue(found.estimate.isNaN)
        XCTAssertEqual(found.firstDivergentRate, 0.01 * pow(10, 17.0 / 10), accuracy: 1e-12)  // 0.501
        // Diverged at the bottom, stable above: one switch, still not a threshold.
        let inverted = LearningRateScan.run(grid: grid, refinementSteps: 5) { $0 < 1 }
        XCTAssertEqual(inverted.switches.count, 1)
        XCTAssertEqual(inverted.outcome, .nonMonotone)
    }

    func testScanReportsUnbracketedEnds() {
        let grid = LearningRateScan.grid(lower: 1, upper: 100, pointsPerDecade: 2)
        let never = LearningRateScan.run(grid: grid, refinementSteps: 5) { _ in false }
        XCTAssertEqual(never.outcome, .neverDiverged)
        XCTAssertTrue(never.estimate.isNaN)
        XCTAssertTrue(never.firstDivergentRate.isNaN)
        let always = LearningRateScan.run(grid: grid, refinementSteps: 5) { _ in true }
        XCTAssertEqual(always.outcome, .alwaysDiverged)
        XCTAssertTrue(always.estimate.isNaN)
        XCTAssertEqual(always.firstDivergentRate, 1)
    }

    /// Epochs: every index once before any repeats.
    func testBatchSamplerCoversAnEpochWithoutRepeats() {
        var sampler = BatchSampler(sampleCount: 12, batchSize: 4, stream: Fixtures.streams.stream("test/epoch"))
        let epoch = (0..<3).flatMap { _ in sampler.next() }
        XCTAssertEqual(epoch.sorted(), Array(0..<12))
        var draw = Fixtures.streams.stream("test/subset")
        let subset = BatchSampler.subset(size: 5, of: 9, stream: &draw)
        XCTAssertEqual(Set(subset).count, 5)
        XCTAssertTrue(subset.allSatisfy { (0..<9).contains($0) })
    }
}
