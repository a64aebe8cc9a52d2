import HarnessCore
import XCTest
@testable import FlashRNNExperiment

/// Bad shapes, tensors and parameters are errors that say what to fix.
final class BadInputTests: XCTestCase {
    func testHeadDimMustDivideHiddenSize() {
        XCTAssertThrowsError(try RNNShape(cell: .lstm, batch: 1, steps: 1, hidden: 96, headDim: 64)) { error in
            XCTAssertEqual(error as? RNNInputError, .headDimDoesNotDivide(hidden: 96, headDim: 64))
            XCTAssertTrue("\(error)".contains("does not divide the hidden size 96"), "\(error)")
        }
        XCTAssertEqual(try RNNShape(cell: .lstm, batch: 1, steps: 1, hidden: 96, headDim: 32).heads, 3)
        XCTAssertThrowsError(try RNNShape(cell: .gru, batch: 0, steps: 1, heads: 1, headDim: 1)) { error in
            XCTAssertEqual(error as? RNNInputError, .nonPositive(name: "batch B", value: 0))
        }
    }

    func testWrongGateCountNamesTensorAndCell() throws {
        let shape = try RNNShape(cell: .lstm, batch: 2, steps: 3, heads: 2, headDim: 4)
        let gru = try RNNFixtures.problem(.gru, batch: 2, steps: 3, heads: 2, headDim: 4)
        let lstm = try RNNFixtures.problem(.lstm, batch: 2, steps: 3, heads: 2, headDim: 4)
        XCTAssertThrowsError(try RNNProblem(shape: shape, inputs: lstm.inputs, recurrent: gru.recurrent, bias: lstm.bias)) { error in
            XCTAssertEqual(error as? RNNInputError, .wrongGateCount(tensor: "R", cell: .lstm, found: 3, expected: 4))
            XCTAssertTrue("\(error)".contains("the LSTM cell needs 4"), "\(error)")
        }
        XCTAssertThrowsError(try RNNProblem(shape: shape, inputs: gru.inputs, recurrent: lstm.recurrent, bias: lstm.bias)) { error in
            XCTAssertEqual(error as? RNNInputError, .wrongGateCount(tensor: "Wx", cell: .lstm, found: 3, expected: 4))
        }
        XCTAssertThrowsError(try RNNProblem(shape: shape, inputs: lstm.inputs, recurrent: lstm.recurrent, bias: [1, 2, 3])) { error in
            XCTAssertEqual(error as? RNNInputError, .wrongSize(tensor: "b", found: 3, expected: 32))
        }
    }

    func testNonFiniteInputsAreRejected() throws {
        let good = try RNNFixtures.problem(.elman, batch: 2, steps: 3, heads: 1, headDim: 4)
        for bad in [Float.nan, .infinity, -.infinity] {
            var inputs = good.inputs
            inputs[5] = bad
            XCTAssertThrowsError(try RNNProblem(shape: good.shape, inputs: inputs, recurrent: good.recurrent, bias: good.bias)) { error in
                XCTAssertEqual(error as? RNNInputError, .nonFinite(tensor: "Wx", index: 5))
            }
            var recurrent = good.recurrent
            recurrent[0] = bad
            XCTAssertThrowsError(try RNNProblem(shape: good.shape, inputs: good.inputs, recurrent: recurrent, bias: good.bias)) { error in
                XCTAssertEqual(error as? RNNInputError, .nonFinite(tensor: "R", index: 0))
            }
        }
    }

    func testPresetErrorsNameTheKey() {
        var entries = ExperimentRunTests.tinyPreset
        entries["check_head_dims"] = .array([.integer(5)])
        XCTAssertThrowsError(try FlashRNNThroughputExperiment.decodeParameters(ParameterTable(file: "suites/rnn.toml", path: "presets.smoke", entries: entries))) { error in
            XCTAssertTrue("\(error)".contains("check_head_dims"), "\(error)")
            XCTAssertTrue("\(error)".contains("does not divide"), "\(error)")
        }
        entries = ExperimentRunTests.tinyPreset
        entries["error_draws"] = .integer(1)
        XCTAssertThrowsError(try FlashRNNThroughputExperiment.decodeParameters(ParameterTable(file: "suites/rnn.toml", path: "presets.smoke", entries: entries))) { error in
            XCTAssertTrue("\(error)".contains("presets.smoke.error_draws: must be in 2…64"), "\(error)")
        }
        entries = ExperimentRunTests.tinyPreset
        entries["cells"] = .array([.string("transformer")])
        XCTAssertThrowsError(try FlashRNNThroughputExperiment.decodeParameters(ParameterTable(file: "suites/rnn.toml", path: "presets.smoke", entries: entries))) { error in
            XCTAssertTrue("\(error)".contains("cells"), "\(error)")
        }
        entries = ExperimentRunTests.tinyPreset
        entries["throughput_tokens"] = .integer(1)
        XCTAssertThrowsError(try FlashRNNThroughputExperiment.decodeParameters(ParameterTable(file: "suites/rnn.toml", path: "presets.smoke", entries: entries))) { error in
            XCTAssertTrue("\(error)".contains("throughput_tokens"), "\(error)")
        }
        entries = ExperimentRunTests.tinyPreset
        entries["head_dim"] = .integer(1)
        XCTAssertThrowsError(try FlashRNNThroughputExperiment.decodeParameters(ParameterTable(file: "suites/rnn.toml", path: "presets.smoke", entries: entries))) { error in
            XCTAssertTrue("\(error)".contains("head_dim"), "unknown key named: \(error)")
        }
    }
}
