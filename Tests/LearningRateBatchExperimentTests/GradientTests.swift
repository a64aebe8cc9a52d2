import HarnessCore
import LinearAlgebra
import XCTest
@testable import LearningRateBatchExperiment

/// Hand-written backpropagation against central finite differences of the loss.
final class GradientTests: XCTestCase {
    private func assertGradientMatchesFiniteDifferences(_ model: some TrainableModel, data: Dataset, seed: Int) {
        var w = model.initialParameters(Fixtures.streams.stream("test/init", replicate: seed))
        // Move off the initialisation so no bias or weight sits at a special value.
        let shift = Fixtures.streams.stream("test/shift", replicate: seed).normals(w.count)
        for k in w.indices { w[k] += 0.3 * shift[k] }
        let (loss, gradient) = model.lossAndGradient(w, on: data)
        XCTAssertEqual(loss, model.loss(w, on: data), accuracy: 1e-14 * max(1, abs(loss)))
        for k in w.indices {
            let numerical = Fixtures.numericalDerivative(model, w, k, on: data)
            XCTAssertEqual(gradient[k], numerical, accuracy: 1e-7 * max(1, abs(numerical)), "parameter \(k)")
        }
    }

    func testMLPGradientMatchesFiniteDifferences() {
        let model = TwoLayerMLP(inputDimension: 5, hiddenUnits: 4)
        XCTAssertEqual(model.parameterCount, 4 * 5 + 4 + 4 + 1)
        for seed in 0..<3 { assertGradientMatchesFiniteDifferences(model, data: Fixtures.regressionData(samples: 17), seed: seed) }
    }

    func testSoftplusMLPGradientMatchesFiniteDifferences() {
        let model = TwoLayerMLP(inputDimension: 5, hiddenUnits: 4, activation: .softplus)
        for seed in 0..<3 { assertGradientMatchesFiniteDifferences(model, data: Fixtures.regressionData(samples: 17), seed: seed) }
    }

    /// softplus′ = sigmoid, recovered from the activation: 1 − e^{−softplus(z)} = sigmoid(z).
    func testActivationDerivativesFromActivations() {
        for z in [-30.0, -2, -0.1, 0, 0.7, 5, 30] {
            XCTAssertEqual(TwoLayerMLP.Activation.softplus.derivative(fromActivation: LogisticRegression.softplus(z)),
                           1 / (1 + exp(-z)), accuracy: 1e-15)
            XCTAssertEqual(TwoLayerMLP.Activation.tanh.derivative(fromActivation: tanh(z)), 1 / (cosh(z) * cosh(z)), accuracy: 1e-15)
        }
    }

    /// The GEMM gradient and the per-sample loop baseline agree to rounding.
    func testMLPGradientMatchesLoopReference() {
        let model = TwoLayerMLP(inputDimension: 7, hiddenUnits: 5)
        let data = Fixtures.regressionData(samples: 23, dimension: 7)
        let w = model.initialParameters(Fixtures.streams.stream("test/init"))
        let (loss, gradient) = model.lossAndGradient(w, on: data)
        let (referenceLoss, referenceGradient) = model.referenceLossAndGradient(w, on: data)
        XCTAssertEqual(loss, referenceLoss, accuracy: 1e-14)
        for (a, b) in zip(gradient, referenceGradient) { XCTAssertEqual(a, b, accuracy: 1e-14) }
    }

    func testLogisticGradientMatchesFiniteDifferences() {
        let model = LogisticRegression(inputDimension: 5)
        for seed in 0..<3 { assertGradientMatchesFiniteDifferences(model, data: Fixtures.classificationData(samples: 17), seed: seed) }
    }

    /// At w = 0 every logit is 0: the loss is log 2 whatever the labels.
    func testLogisticLossAtZeroIsLogTwo() {
        let data = Fixtures.classificationData()
        XCTAssertEqual(LogisticRegression(inputDimension: 5).loss([Double](repeating: 0, count: 6), on: data), log(2), accuracy: 1e-15)
        XCTAssertEqual(LogisticRegression.softplus(800), 800)  // no overflow
        XCTAssertEqual(LogisticRegression.softplus(-800), 0)
    }

    /// With zero output weights and bias b₂ the MLP predicts b₂ everywhere: loss = mean ½(b₂ − y)².
    func testMLPWithZeroOutputWeightsPredictsItsBias() {
        let model = TwoLayerMLP(inputDimension: 5, hiddenUnits: 4)
        let data = Fixtures.regressionData()
        var w = model.initialParameters(Fixtures.streams.stream("test/init"))
        for k in model.outputWeightRange { w[k] = 0 }
        w[model.outputBiasIndex] = 0.25
        let expected = data.targets.reduce(0) { $0 + 0.5 * (0.25 - $1) * (0.25 - $1) } / Double(data.count)
        XCTAssertEqual(model.loss(w, on: data), expected, accuracy: 1e-14)
    }

    /// A batch is the rows it names, in order.
    func testBatchGathersRows() {
        let data = Fixtures.regressionData(samples: 10, dimension: 3)
        let batch = data.batch([7, 2])
        XCTAssertEqual(batch.count, 2)
        XCTAssertEqual(Array(batch.inputs.elements[0..<3]), Array(data.inputs.elements[21..<24]))
        XCTAssertEqual(batch.targets, [data.targets[7], data.targets[2]])
    }
}
