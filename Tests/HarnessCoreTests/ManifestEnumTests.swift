import TestSupport
import XCTest
@testable import HarnessCore

private enum Optimizer: String, ManifestEnum {
    case adam, sgd
    case lbfgs = "l-bfgs"
}

final class ManifestEnumTests: XCTestCase {
    private func table(_ value: ManifestValue) -> ParameterTable {
        ParameterTable(file: "suites/x.toml", path: "presets.default", entries: ["optimizer": value])
    }

    func testDecodesEveryRawValue() throws {
        XCTAssertEqual(try table(.string("adam")).required("optimizer", as: Optimizer.self), .adam)
        XCTAssertEqual(try table(.string("sgd")).required("optimizer", as: Optimizer.self), .sgd)
        XCTAssertEqual(try table(.string("l-bfgs")).required("optimizer", as: Optimizer.self), .lbfgs)
    }

    func testUnknownValueListsTheAllowedValues() {
        let error = manifestError { _ = try self.table(.string("Adam")).required("optimizer", as: Optimizer.self) }
        XCTAssertEqual(
            error?.description,
            #"suites/x.toml: presets.default.optimizer: unknown value "Adam" (expected one of "adam" | "sgd" | "l-bfgs")"#)
    }

    func testWrongTypeIsReportedAsSuch() {
        let error = manifestError { _ = try self.table(.integer(1)).required("optimizer", as: Optimizer.self) }
        XCTAssertEqual(error?.description, "suites/x.toml: presets.default.optimizer: expected a string, found an integer")
    }

    func testMissingKeyHintShowsTheAllowedValues() {
        let empty = ParameterTable(file: "suites/x.toml", path: "presets.default", entries: [:])
        let error = manifestError { _ = try empty.required("optimizer", as: Optimizer.self) }
        XCTAssertEqual(error?.hint, #"add `optimizer = <"adam" | "sgd" | "l-bfgs">`"#)
    }

    func testArraysOfEnumsReportTheIndex() throws {
        let ok = table(.array([.string("sgd"), .string("adam")]))
        XCTAssertEqual(try ok.required("optimizer", as: [Optimizer].self), [.sgd, .adam])
        let bad = table(.array([.string("sgd"), .string("rmsprop")]))
        XCTAssertEqual(
            manifestError { _ = try bad.required("optimizer", as: [Optimizer].self) }?.keyPath, "presets.default.optimizer[1]")
    }
}
