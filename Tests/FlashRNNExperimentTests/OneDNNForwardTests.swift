import Foundation
import HarnessCore
import XCTest
@testable import FlashRNNExperiment

/// oneDNN's LSTM / LBR-GRU / tanh-RNN primitives, fed through `OneDNNWeights`, compute our cells:
/// against the Float64 reference, against closed forms when R = 0, and the weight mapping is a
/// lossless relabelling.
final class OneDNNForwardTests: XCTestCase {
    let cells: [RNNCell] = [.lstm, .gru, .elman]
    /// The suite's agreement bound (Float32 against Float64 after at most 40 contracting steps).
    let tolerance = 1e-4

    func testBothLayoutsMatchReferenceOnOneAndManyHeads() throws {
        let shapes = [(batch: 1, steps: 5, heads: 1, headDim: 8), (batch: 3, steps: 9, heads: 2, headDim: 8),
                      (batch: 4, steps: 12, heads: 1, headDim: 16), (batch: 2, steps: 40, heads: 3, headDim: 5),
                      (batch: 5, steps: 6, heads: 4, headDim: 32)]
        for cell in cells {
            for s in shapes {
                let problem = try RNNFixtures.problem(cell, batch: s.batch, steps: s.steps, heads: s.heads, headDim: s.headDim)
                let reference = ReferenceForward.run(problem, as: Double.self)
                for layout in OneDNNLayout.allCases {
                    let output = try OneDNNForward(problem, layout: layout, threads: 1).run()
                    XCTAssertEqual(output.outputs.count, problem.shape.outputCount)
                    XCTAssertEqual(output.finalStates.count, problem.shape.stateCount)
                    let error = AgreementCheck.maxError(output, reference)
                    XCTAssertLessThan(error, tolerance, "\(cell) \(s) \(layout)")
                }
            }
        }
    }

    /// A pass that is run twice gives the same numbers (no state leaks between executions).
    func testRepeatedExecutionIsIdempotent() throws {
        for cell in cells {
            let forward = try OneDNNForward(try RNNFixtures.problem(cell, batch: 2, steps: 6, heads: 3, headDim: 4), layout: .perHead, threads: 2)
            let first = forward.run(), second = forward.run()
            XCTAssertTrue(AgreementCheck.bitIdentical(first, second), "\(cell)")
        }
    }

    /// With R = 0 every unit is its own scalar recurrence driven by Wx + b: Elman is tanh(x + b)
    /// at every step, the LSTM and GRU blend their previous state by closed-form gate values.
    func testZeroRecurrentWeightsReduceToScalarRecurrences() throws {
        for cell in cells {
            let random = try RNNFixtures.problem(cell, batch: 2, steps: 6, heads: 2, headDim: 4, inputScale: 2)
            let shape = random.shape
            let problem = try RNNProblem(shape: shape, inputs: random.inputs, recurrent: [Float](repeating: 0, count: shape.recurrentCount), bias: random.bias)
            let (b, h, g) = (shape.batch, shape.hidden, cell.inputGates)
            for layout in OneDNNLayout.allCases {
                let output = try OneDNNForward(problem, layout: layout, threads: 1).run()
                for unit in 0..<(b * h) {
                    let (batch, e) = (unit / h, unit % h)
                    func x(_ t: Int, _ gate: Int) -> Double { Double(problem.inputs[((t * b + batch) * g + gate) * h + e]) }
                    func bias(_ gate: Int) -> Double { Double(problem.bias[gate * h + e]) }
                    func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
                    var state = 0.0, cellState = 0.0
                    for t in 0..<shape.steps {
                        switch cell {
                        case .elman:
                            state = Foundation.tanh(x(t, 0) + bias(0))
                        case .lstm:
                            cellState = sigmoid(x(t, 1) + bias(1)) * cellState + sigmoid(x(t, 0) + bias(0)) * Foundation.tanh(x(t, 2) + bias(2))
                            state = sigmoid(x(t, 3) + bias(3)) * Foundation.tanh(cellState)
                        default:
                            // GRU: r·(R_g h + b_g) = r·b_g.
                            let r = sigmoid(x(t, 0) + bias(1)), z = sigmoid(x(t, 1) + bias(2))
                            state = z * state + (1 - z) * Foundation.tanh(x(t, 2) + bias(3) + r * bias(0))
                        }
                        XCTAssertEqual(Double(output.outputs[t * b * h + unit]), state, accuracy: 1e-5, "\(cell) \(layout) t=\(t) unit \(unit)")
                    }
                    XCTAssertEqual(Double(output.finalStates[unit]), state, accuracy: 1e-5)
                    if cell == .lstm { XCTAssertEqual(Double(output.finalStates[b * h + unit]), cellState, accuracy: 1e-5) }
                }
            }
        }
    }

    func testWeightMappingRoundTripsAndDenseBlocksAreTheHeads() throws {
        for cell in cells {
            let problem = try RNNFixtures.problem(cell, batch: 1, steps: 1, heads: 3, headDim: 4)
            let (n, d, gr, h) = (problem.shape.heads, problem.shape.headDim, cell.recurrentGates, problem.shape.hidden)
            let map = try XCTUnwrap(OneDNNWeights.gateMap(cell))
            for order in [map.input, map.recurrent, map.bias] { XCTAssertEqual(order.sorted(), Array(0..<order.count), "\(cell) \(order)") }
            let blocks = (0..<n).map { OneDNNWeights.headRecurrent(problem, map: map, head: $0) }
            XCTAssertEqual(OneDNNWeights.recurrent(fromHeads: blocks, map: map, headDim: d), problem.recurrent, "\(cell)")
            let dense = OneDNNWeights.denseRecurrent(problem, map: map)
            for k in 0..<h {
                for gate in 0..<gr {
                    for j in 0..<h {
                        let value = dense[(k * gr + gate) * h + j]
                        if k / d == j / d {
                            XCTAssertEqual(value, blocks[k / d][((k % d) * gr + gate) * d + j % d])
                        } else {
                            XCTAssertEqual(value, 0, "\(cell) off-diagonal block (\(k), \(j))")
                        }
                    }
                }
            }
            // The selection routes our input gate map.input[gate], unit j, to oneDNN's gate, unit j.
            let selection = OneDNNWeights.selection(map, channels: d)
            let g = cell.inputGates
            let slice = OneDNNWeights.headInputs(problem, head: 1)
            for gate in 0..<g {
                for j in 0..<d {
                    let routed = (0..<(g * d)).reduce(Float(0)) { $0 + slice[$1] * selection[($1 * g + gate) * d + j] }
                    XCTAssertEqual(routed, problem.inputs[map.input[gate] * h + d + j])
                }
            }
            let bias = OneDNNWeights.bias(problem, map: map, first: 2 * d, channels: d)
            for gate in 0..<map.bias.count {
                XCTAssertEqual(Array(bias[(gate * d)..<((gate + 1) * d)]), Array(problem.bias[(map.bias[gate] * h + 2 * d)..<(map.bias[gate] * h + 3 * d)]))
            }
        }
        // GRU: oneDNN's gates (u, r, o) are our (z, r, candidate); its extra LBR bias u' is our b_g.
        XCTAssertEqual(OneDNNWeights.gateMap(.gru), .init(input: [1, 0, 2], recurrent: [2, 1, 0], bias: [2, 1, 3, 0]))
    }

    func testSLSTMHasNoCounterpart() throws {
        XCTAssertFalse(OneDNNForward.supports(.slstm))
        XCTAssertThrowsError(try OneDNNForward(try RNNFixtures.problem(.slstm), layout: .perHead, threads: 1)) { error in
            XCTAssertTrue("\(error)".contains("sLSTM has no oneDNN RNN primitive"), "\(error)")
        }
    }

    func testLibraryDescriptionNamesVersionAndRuntime() {
        let description = OneDNNForward.libraryDescription
        XCTAssertTrue(description.hasPrefix("oneDNN "), description)
        XCTAssertTrue(["OpenMP", "TBB", "sequential", "threadpool"].contains { description.contains("runtime \($0)") }, description)
        XCTAssertTrue(description.contains(", ISA "), description)
    }
}
