import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// `EntropicOTProblem.init` rejects bad input with an `InputError` whose message names the problem.
final class ProblemValidationTests: XCTestCase {
    private let half = [0.5, 0.5]
    private let cost2 = Matrix(rows: 2, columns: 2, elements: [0, 1, 1, 0])

    private func inputError(_ body: () throws -> EntropicOTProblem, file: StaticString = #filePath, line: UInt = #line) -> EntropicOTProblem.InputError? {
        do {
            _ = try body()
            XCTFail("no error thrown", file: file, line: line)
        } catch let error as EntropicOTProblem.InputError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    private func assertMessage(_ error: EntropicOTProblem.InputError?, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        guard let error else { return }
        for part in parts {
            XCTAssertTrue(error.description.contains(part), "“\(error.description)” lacks “\(part)”", file: file, line: line)
        }
    }

    func testValidProblemIsAccepted() throws {
        let problem = try EntropicOTProblem(source: half, target: [0.25, 0.25, 0.5], cost: Matrix(rows: 2, columns: 3, repeating: 1), eta: 3)
        XCTAssertEqual(problem.rows, 2)
        XCTAssertEqual(problem.columns, 3)
        // Within the mass tolerance is fine.
        XCTAssertNoThrow(try EntropicOTProblem(source: [0.5, 0.5 + 1e-12], target: half, cost: cost2, eta: 1))
    }

    func testNegativeMarginal() {
        let error = inputError { try EntropicOTProblem(source: [1.25, -0.25], target: half, cost: cost2, eta: 1) }
        XCTAssertEqual(error, .negativeMarginal(name: "source marginal r", index: 1, value: -0.25))
        assertMessage(error, contains: ["source marginal r", "-0.25", "index 1", "positive"])
    }

    func testZeroEntry() {
        let error = inputError { try EntropicOTProblem(source: half, target: [1, 0], cost: cost2, eta: 1) }
        XCTAssertEqual(error, .negativeMarginal(name: "target marginal c", index: 1, value: 0))
        assertMessage(error, contains: ["target marginal c", "index 1", "drop zero-mass points"])
    }

    func testNonFiniteMarginal() {
        let error = inputError { try EntropicOTProblem(source: [.nan, 0.5], target: half, cost: cost2, eta: 1) }
        assertMessage(error, contains: ["source marginal r", "index 0", "nan"])
        let infinite = inputError { try EntropicOTProblem(source: half, target: [.infinity, 0.5], cost: cost2, eta: 1) }
        assertMessage(infinite, contains: ["target marginal c", "index 0", "inf"])
    }

    func testUnnormalizedMarginal() {
        let source = [0.5, 0.625]
        let sum = source.reduce(0, +)
        let error = inputError { try EntropicOTProblem(source: source, target: half, cost: cost2, eta: 1) }
        XCTAssertEqual(error, .unnormalizedMarginal(name: "source marginal r", sum: 1.125))
        assertMessage(error, contains: ["source marginal r", "\(sum)", "not 1"])
        let target = [0.25, 0.25 + 1e-6]
        let targetError = inputError { try EntropicOTProblem(source: half, target: target, cost: cost2, eta: 1) }
        assertMessage(targetError, contains: ["target marginal c", "\(target.reduce(0, +))"])
    }

    func testNonFiniteCostNamesItsIndex() {
        var cost = Matrix(rows: 2, columns: 3, repeating: 0.5)
        cost[1, 2] = .nan
        let error = inputError { try EntropicOTProblem(source: half, target: [0.25, 0.25, 0.5], cost: cost, eta: 1) }
        guard case .nonFiniteCost(1, 2, let value)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(value.isNaN)
        assertMessage(error, contains: ["(1, 2)", "nan", "cost"])
        cost[1, 2] = 0.5
        cost[0, 1] = -.infinity
        let infinite = inputError { try EntropicOTProblem(source: half, target: [0.25, 0.25, 0.5], cost: cost, eta: 1) }
        XCTAssertEqual(infinite, .nonFiniteCost(row: 0, column: 1, value: -.infinity))
        assertMessage(infinite, contains: ["(0, 1)"])
    }

    func testBadRegularization() {
        for eta in [0.0, -1.0, -0.0, .nan, .infinity, -.infinity] {
            let error = inputError { try EntropicOTProblem(source: half, target: half, cost: cost2, eta: eta) }
            guard case .badRegularization(let reported)? = error else { XCTFail("η = \(eta): \(String(describing: error))"); continue }
            XCTAssertEqual(reported.bitPattern, eta.bitPattern)
            assertMessage(error, contains: ["η", "positive finite", "\(eta)"])
        }
    }

    func testMismatchedSizesNameBothSizes() {
        let error = inputError {
            try EntropicOTProblem(source: [0.5, 0.5], target: [0.25, 0.25, 0.25, 0.25], cost: Matrix(rows: 3, columns: 5, repeating: 0), eta: 1)
        }
        XCTAssertEqual(error, .sizeMismatch(costRows: 3, costColumns: 5, source: 2, target: 4))
        assertMessage(error, contains: ["3×5", "2 and 4"])
        // Only the columns mismatch.
        let columns = inputError { try EntropicOTProblem(source: half, target: half, cost: Matrix(rows: 2, columns: 3, repeating: 0), eta: 1) }
        assertMessage(columns, contains: ["2×3", "2 and 2"])
    }

    func testEmpty() {
        let error = inputError { try EntropicOTProblem(source: [], target: [], cost: Matrix(rows: 0, columns: 0), eta: 1) }
        XCTAssertEqual(error, .empty)
    }
}
