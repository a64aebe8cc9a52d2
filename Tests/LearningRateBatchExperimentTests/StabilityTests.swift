import HarnessCore
import XCTest
@testable import LearningRateBatchExperiment

/// The divergence rule and the bisection against known answers.
final class StabilityTests: XCTestCase {
    /// Gradient descent on ½ Σ c_k w_k² multiplies w_k by (1 − η c_k) each step: it diverges
    /// exactly when η > 2 / max c = 2/3 for c = (1, 3) given unlimited steps.
    func testSGDOnAQuadraticDivergesAboveTwoOverCurvature() {
        let model = Fixtures.Quadratic(curvatures: [1, 3])
        let data = Fixtures.regressionData(samples: 16)
        let test = StabilityTest(steps: 200, divergenceFactor: 10, adam: AdamSettings())
        let initial = [1.0, 1.0]
        let loss0 = model.loss(initial, on: data)
        let found = LearningRateBisection.search(lower: 1e-3, upper: 10, iterations: 30) { rate in
            test.diverges(model: model, data: data, initial: initial, initialLoss: loss0, optimizer: .sgd,
                          learningRate: rate, batchSize: 4, batchStream: Fixtures.streams.stream("test/batches"))
        }
        // With a finite budget the threshold sits where the loss after T = 200 steps reaches k = 10
        // times its start: ½(1 − η)^{2T} + (3/2)(1 − 3η)^{2T} = 10 · 2, i.e. (the first term is
        // negligible there) 3η − 1 = (40/3)^{1/2T}. Just above 2/3, as the infinite-budget limit says.
        let threshold = (1 + pow(40.0 / 3, 1.0 / 400)) / 3
        XCTAssertEqual(found.bound, .bracketed)
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

    func testBisectionReportsUnbracketedEnds() {
        let never = LearningRateBisection.search(lower: 1, upper: 100, iterations: 5) { _ in false }
        XCTAssertEqual(never.bound, .atLeast)
        XCTAssertEqual(never.estimate, 100)
        let always = LearningRateBisection.search(lower: 1, upper: 100, iterations: 5) { _ in true }
        XCTAssertEqual(always.bound, .atMost)
        XCTAssertEqual(always.estimate, 1)
        // A threshold at 10: bracket width after k halvings of log range is 100^(1/2^k).
        let found = LearningRateBisection.search(lower: 1, upper: 100, iterations: 12) { $0 > 10 }
        XCTAssertLessThanOrEqual(found.stable, 10)
        XCTAssertGreaterThan(found.divergent, 10)
        XCTAssertEqual(found.divergent / found.stable, pow(100, 1 / 4096), accuracy: 1e-12)
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
