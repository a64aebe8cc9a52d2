import Foundation
import HarnessCore
import XCTest
@testable import FlashRNNExperiment

/// Each cell's equations (FlashRNN Sec. 2) against values computed by hand, on every implementation.
final class CellClosedFormTests: XCTestCase {
    func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// Runs the reference and the three Float32 implementations.
    func allOutputs(_ problem: RNNProblem) -> [(String, [Double], [Double])] {
        let plan = TilingPlan(shape: problem.shape, threads: 1, cache: RNNFixtures.cache)
        let reference = ReferenceForward.run(problem, as: Double.self)
        return [("reference", reference.outputs, reference.finalStates)] + [
            ("vanilla", VanillaForward.run(problem)), ("alternating", AlternatingForward.run(problem)),
            ("fused", FusedForward.run(problem, plan: plan)),
        ].map { ($0.0, $0.1.outputs.map(Double.init), $0.1.finalStates.map(Double.init)) }
    }

    func testLSTMOneStepByHand() throws {
        let shape = try RNNShape(cell: .lstm, batch: 1, steps: 1, heads: 1, headDim: 1)
        let wx: [Float] = [0.3, -0.2, 0.7, 1.1], bias: [Float] = [0.05, 0.5, -0.1, 0.0]
        let problem = try RNNProblem(shape: shape, inputs: wx, recurrent: [0.9, -0.4, 0.2, 0.3], bias: bias)
        // h₀ = c₀ = 0, so R does not enter the first step.
        let pre = zip(wx, bias).map { Double($0) + Double($1) }
        let c = sigmoid(pre[0]) * tanh(pre[2])
        let h = sigmoid(pre[3]) * tanh(c)
        for (name, outputs, states) in allOutputs(problem) {
            XCTAssertEqual(outputs[0], h, accuracy: 1e-6, name)
            XCTAssertEqual(states[0], h, accuracy: 1e-6, name)
            XCTAssertEqual(states[1], c, accuracy: 1e-6, name)
        }
    }

    func testLSTMSecondStepUsesRecurrence() throws {
        let shape = try RNNShape(cell: .lstm, batch: 1, steps: 2, heads: 1, headDim: 1)
        let wx: [Float] = [0.3, -0.2, 0.7, 1.1, -0.5, 0.4, 0.1, 0.2], r: [Float] = [0.9, -0.4, 0.2, 0.3]
        let problem = try RNNProblem(shape: shape, inputs: wx, recurrent: r, bias: [0, 0, 0, 0])
        let c1 = sigmoid(0.3) * tanh(0.7), h1 = sigmoid(1.1) * tanh(c1)
        let pre = (0..<4).map { Double(wx[4 + $0]) + Double(r[$0]) * h1 }
        let c2 = sigmoid(pre[1]) * c1 + sigmoid(pre[0]) * tanh(pre[2])
        let h2 = sigmoid(pre[3]) * tanh(c2)
        for (name, outputs, states) in allOutputs(problem) {
            XCTAssertEqual(outputs[1], h2, accuracy: 1e-6, name)
            XCTAssertEqual(states[1], c2, accuracy: 1e-6, name)
        }
    }

    /// With R = 0 an Elman RNN is memoryless: h_t = tanh(Wx_t + b).
    func testElmanWithoutRecurrenceIsPointwise() throws {
        let shape = try RNNShape(cell: .elman, batch: 2, steps: 3, heads: 2, headDim: 4)
        let base = try RNNFixtures.problem(.elman, batch: 2, steps: 3, heads: 2, headDim: 4)
        let problem = try RNNProblem(shape: shape, inputs: base.inputs, recurrent: [Float](repeating: 0, count: shape.recurrentCount), bias: base.bias)
        for (name, outputs, _) in allOutputs(problem) {
            for t in 0..<3 {
                for b in 0..<2 {
                    for i in 0..<8 {
                        let expected = tanh(Double(base.inputs[(t * 2 + b) * 8 + i]) + Double(base.bias[i]))
                        XCTAssertEqual(outputs[(t * 2 + b) * 8 + i], expected, accuracy: 1e-6, "\(name) t=\(t) b=\(b) i=\(i)")
                    }
                }
            }
        }
    }

    /// FlashRNN's GRU: the recurrent candidate part R_g·h + b_g is gated by r; first step by hand.
    func testGRUFirstTwoStepsByHand() throws {
        let shape = try RNNShape(cell: .gru, batch: 1, steps: 2, heads: 1, headDim: 1)
        let wx: [Float] = [0.4, -0.3, 0.8, -0.6, 0.2, 0.5]     // (r, z, n) per step
        let r: [Float] = [0.7, -0.5, 0.9]                        // (g, r, z)
        let bias: [Float] = [0.1, 0.2, -0.1, 0.05]              // (g, r, z, n)
        let problem = try RNNProblem(shape: shape, inputs: wx, recurrent: r, bias: bias)
        func step(_ h: Double, _ t: Int) -> Double {
            let g = Double(r[0]) * h + Double(bias[0])
            let rg = sigmoid(Double(wx[3 * t]) + Double(r[1]) * h + Double(bias[1]))
            let z = sigmoid(Double(wx[3 * t + 1]) + Double(r[2]) * h + Double(bias[2]))
            let n = Double(wx[3 * t + 2]) + Double(bias[3])
            return z * h + (1 - z) * tanh(n + rg * g)
        }
        let h1 = step(0, 0), h2 = step(h1, 1)
        for (name, outputs, _) in allOutputs(problem) {
            XCTAssertEqual(outputs[0], h1, accuracy: 1e-6, name)
            XCTAssertEqual(outputs[1], h2, accuracy: 1e-6, name)
        }
    }

    /// sLSTM's first step: n₀ = 0 sets m₁ = ĩ, so i = 1, c₁ = tanh(z̃), n₁ = 1, h₁ = σ(õ)·tanh(z̃);
    /// the second step by the stabilised equations.
    func testSLSTMStabilizerAndNormalizerByHand() throws {
        let shape = try RNNShape(cell: .slstm, batch: 1, steps: 2, heads: 1, headDim: 1)
        let wx: [Float] = [2.5, 0.3, 0.6, -0.4, -1.0, 1.5, -0.8, 0.9], r: [Float] = [0.5, -0.7, 0.3, 0.2]
        let problem = try RNNProblem(shape: shape, inputs: wx, recurrent: r, bias: [0, 0, 0, 0])
        let m1 = 2.5, c1 = tanh(0.6), n1 = 1.0, h1 = sigmoid(-0.4) * c1
        let pre = (0..<4).map { Double(wx[4 + $0]) + Double(r[$0]) * h1 }
        let logF = -log1p(exp(-pre[1])) + m1
        let m2 = max(pre[0], logF)
        let i = exp(pre[0] - m2), f = exp(logF - m2)
        let c2 = f * c1 + i * tanh(pre[2]), n2 = max(f * n1 + i, 1)
        let h2 = sigmoid(pre[3]) * c2 / n2
        for (name, outputs, states) in allOutputs(problem) {
            XCTAssertEqual(outputs[0], h1, accuracy: 1e-6, name)
            XCTAssertEqual(outputs[1], h2, accuracy: 1e-6, name)
            XCTAssertEqual(states[1], c2, accuracy: 1e-6, name)
            XCTAssertEqual(states[2], n2, accuracy: 1e-6, name)
            XCTAssertEqual(states[3], m2, accuracy: 1e-6, name)
        }
    }

    /// The stabiliser keeps exponential gating finite where exp(ĩ) alone would overflow Float32
    /// (ĩ ~ 100), and the normaliser bounds the output: n ≥ 1 and |c| ≤ n, so |h| ≤ σ(õ) < 1.
    func testSLSTMStaysFiniteAndBoundedUnderHugeInputs() throws {
        let problem = try RNNFixtures.problem(.slstm, batch: 2, steps: 20, heads: 2, headDim: 8, inputScale: 100)
        XCTAssertGreaterThan(problem.inputs.map { abs($0) }.max()!, 89, "the test needs inputs beyond Float32's exp range")
        let per = 2 * 16
        for (name, outputs, states) in allOutputs(problem) {
            XCTAssertTrue(outputs.allSatisfy { $0.isFinite && abs($0) <= 1 }, name)
            let c = states[per..<(2 * per)], n = states[(2 * per)..<(3 * per)]
            XCTAssertTrue(n.allSatisfy { $0 >= 1 }, "\(name): normaliser below 1")
            XCTAssertTrue(zip(c, n).allSatisfy { abs($0) <= $1 * (1 + 1e-6) }, "\(name): |c| > n")
        }
    }
}
