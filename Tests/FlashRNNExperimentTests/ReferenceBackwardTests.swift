import HarnessCore
import XCTest
@testable import FlashRNNExperiment

/// The Float64 BPTT reference against central finite differences of the loss, and its forward
/// pass against `ReferenceForward`.
final class ReferenceBackwardTests: XCTestCase {
    func setup(_ cell: RNNCell) throws -> (RNNShape, [Double], [Double], [Double], [Double]) {
        let problem = try RNNFixtures.problem(cell, batch: 2, steps: 4, heads: 2, headDim: 3, seed: 21)
        let weights = RandomStreams(seed: 22).stream("loss-weights").normals(problem.shape.outputCount)
        return (problem.shape, problem.inputs.map(Double.init), problem.recurrent.map(Double.init), problem.bias.map(Double.init), weights)
    }

    func testForwardMatchesReference() throws {
        for cell in [RNNCell.lstm, .elman] {
            let problem = try RNNFixtures.problem(cell, batch: 2, steps: 4, heads: 2, headDim: 3, seed: 21)
            let tape = ReferenceBackward.forward(problem.shape, inputs: problem.inputs.map(Double.init),
                                                 recurrent: problem.recurrent.map(Double.init), bias: problem.bias.map(Double.init))
            let reference = ReferenceForward.run(problem, as: Double.self)
            let row = problem.shape.batch * problem.shape.hidden
            for (a, b) in zip(tape.hidden[row...], reference.outputs) { XCTAssertEqual(a, b, accuracy: 1e-14, "\(cell)") }
        }
    }

    func testGradientsMatchFiniteDifferences() throws {
        for cell in [RNNCell.lstm, .elman] {
            let (shape, wx, r, bias, weights) = try setup(cell)
            let grads = ReferenceBackward.gradients(shape, inputs: wx, recurrent: r, bias: bias, weights: weights)
            func loss(_ wx: [Double], _ r: [Double], _ bias: [Double]) -> Double {
                ReferenceBackward.loss(shape, ReferenceBackward.forward(shape, inputs: wx, recurrent: r, bias: bias), weights: weights)
            }
            let h = 1e-6
            for index in stride(from: 0, to: wx.count, by: 7) {
                var plus = wx, minus = wx
                plus[index] += h; minus[index] -= h
                let numeric = (loss(plus, r, bias) - loss(minus, r, bias)) / (2 * h)
                XCTAssertEqual(grads.inputs[index], numeric, accuracy: 1e-7, "\(cell) Wx[\(index)]")
            }
            for index in 0..<r.count {
                var plus = r, minus = r
                plus[index] += h; minus[index] -= h
                let numeric = (loss(wx, plus, bias) - loss(wx, minus, bias)) / (2 * h)
                XCTAssertEqual(grads.recurrent[index], numeric, accuracy: 1e-7, "\(cell) R[\(index)]")
            }
            for index in 0..<bias.count {
                var plus = bias, minus = bias
                plus[index] += h; minus[index] -= h
                let numeric = (loss(wx, r, plus) - loss(wx, r, minus)) / (2 * h)
                XCTAssertEqual(grads.bias[index], numeric, accuracy: 1e-7, "\(cell) b[\(index)]")
            }
            XCTAssertGreaterThan(grads.recurrent.map(abs).max()!, 1e-3, "\(cell): the recurrence must carry gradient")
        }
    }
}
