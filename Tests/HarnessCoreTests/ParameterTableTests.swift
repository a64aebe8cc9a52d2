import TestSupport
import XCTest
@testable import HarnessCore

final class ParameterTableTests: XCTestCase {
    private let file = "suites/x.toml"

    private func smokePreset(_ entries: [String: ManifestValue]) -> ParameterTable {
        ParameterTable(file: file, path: "presets.smoke", entries: entries)
    }

    // MARK: Reading values

    func testReadsRequiredOptionalAndDefaultValues() throws {
        let table = smokePreset([
            "n": .integer(12), "eta": .float(0.5), "name": .string("grid"), "warm": .boolean(true),
            "sizes": .array([.integer(1), .integer(2), .integer(3)]), "scale": .integer(100),
        ])
        XCTAssertEqual(try table.required("n", as: Int.self), 12)
        XCTAssertEqual(try table.required("eta", as: Double.self), 0.5)
        XCTAssertEqual(try table.required("name", as: String.self), "grid")
        XCTAssertEqual(try table.required("warm", as: Bool.self), true)
        XCTAssertEqual(try table.required("sizes", as: [Int].self), [1, 2, 3])
        // Integers are accepted where a number is expected (`eta = 100`).
        XCTAssertEqual(try table.required("scale", as: Double.self), 100)
        XCTAssertNil(try table.optional("absent", as: Int.self))
        XCTAssertEqual(try table.value("also_absent", default: 7), 7)
        XCTAssertEqual(try table.value("n", default: 7), 12, "a present key wins over the default")
        XCTAssertNoThrow(try table.finish())
    }

    func testMissingRequiredKeyNamesFileKeyPathAndWhatToAdd() {
        let error = manifestError { _ = try self.smokePreset([:]).required("iterations", as: Int.self) }
        XCTAssertEqual(error?.file, file)
        XCTAssertEqual(error?.keyPath, "presets.smoke.iterations")
        XCTAssertEqual(error?.problem, "missing required key")
        XCTAssertEqual(error?.hint, "add `iterations = <integer>`")
        XCTAssertEqual(
            error?.description, "suites/x.toml: presets.smoke.iterations: missing required key (add `iterations = <integer>`)")
    }

    func testWrongTypeErrorsNameFileAndFullKeyPath() {
        let table = smokePreset([
            "n": .array([.integer(1), .string("2")]), "eta": .string("fast"), "flag": .integer(1),
            "name": .float(1.5), "count": .float(3.0), "list": .integer(4),
        ])
        XCTAssertEqual(
            manifestError { _ = try table.required("n", as: [Int].self) }?.description,
            "suites/x.toml: presets.smoke.n[1]: expected an integer, found a string")
        XCTAssertEqual(
            manifestError { _ = try table.required("eta", as: Double.self) }?.description,
            "suites/x.toml: presets.smoke.eta: expected a number, found a string")
        XCTAssertEqual(
            manifestError { _ = try table.required("flag", as: Bool.self) }?.description,
            "suites/x.toml: presets.smoke.flag: expected a boolean, found an integer")
        XCTAssertEqual(
            manifestError { _ = try table.optional("name", as: String.self) }?.description,
            "suites/x.toml: presets.smoke.name: expected a string, found a float")
        // A float is never silently truncated to an integer.
        XCTAssertEqual(
            manifestError { _ = try table.value("count", default: 1) }?.description,
            "suites/x.toml: presets.smoke.count: expected an integer, found a float")
        XCTAssertEqual(
            manifestError { _ = try table.required("list", as: [Double].self) }?.description,
            "suites/x.toml: presets.smoke.list: expected an array of number, found an integer")
    }

    func testNestedArraysReportEveryIndex() {
        let table = ParameterTable(
            file: file, entries: ["grid": .array([.array([.float(1)]), .array([.float(2), .boolean(false)])])])
        XCTAssertEqual(
            manifestError { _ = try table.required("grid", as: [[Double]].self) }?.description,
            "suites/x.toml: grid[1][1]: expected a number, found a boolean")
    }

    // MARK: Tables

    func testSubTablesAndArraysOfTablesCarryTheirPath() throws {
        let root = ParameterTable(file: file, entries: [
            "presets": .table(["smoke": .table(["n": .integer(3)])]),
            "claims": .array([.table(["id": .string("a")]), .table(["id": .integer(2)])]),
        ])
        let smoke = try root.table("presets").table("smoke")
        XCTAssertEqual(smoke.path, "presets.smoke")
        XCTAssertEqual(try smoke.required("n", as: Int.self), 3)

        let claims = try root.arrayOfTables("claims")
        XCTAssertEqual(claims.map(\.path), ["claims[0]", "claims[1]"])
        XCTAssertEqual(
            manifestError { _ = try claims[1].required("id", as: String.self) }?.description,
            "suites/x.toml: claims[1].id: expected a string, found an integer")
        XCTAssertEqual(try root.arrayOfTables("golden").count, 0, "an absent array of tables is empty")
        XCTAssertNil(try root.optionalTable("perf"))
        XCTAssertNoThrow(try root.finish())
    }

    func testTableShapeErrors() {
        let root = ParameterTable(file: file, entries: [
            "presets": .integer(1), "claims": .table([:]), "golden": .array([.table([:]), .string("x")]),
        ])
        XCTAssertEqual(
            manifestError { _ = try root.table("presets") }?.description,
            "suites/x.toml: presets: expected a table, found an integer")
        XCTAssertEqual(
            manifestError { _ = try root.arrayOfTables("claims") }?.description,
            "suites/x.toml: claims: expected an array of tables (`[[claims]]`), found a table")
        XCTAssertEqual(
            manifestError { _ = try root.arrayOfTables("golden") }?.description,
            "suites/x.toml: golden[1]: expected a table, found a string")
        let missing = manifestError { _ = try root.table("paper") }
        XCTAssertEqual(missing?.keyPath, "paper")
        XCTAssertEqual(missing?.problem, "missing required table")
        XCTAssertEqual(missing?.hint, "add a `[paper]` section")
    }

    // MARK: Strictness

    func testUnknownKeySuggestsTheClosestKnownKey() {
        let table = smokePreset(["regularisation": .float(0.1), "n": .integer(3)])
        _ = try? table.required("n", as: Int.self)
        _ = try? table.optional("regularization", as: Double.self)  // asked for, absent
        let error = manifestError { try table.finish() }
        XCTAssertEqual(error?.keyPath, "presets.smoke.regularisation")
        XCTAssertEqual(error?.problem, "unknown key")
        XCTAssertEqual(error?.hint, "did you mean `regularization`? known keys here: n, regularization")
    }

    func testUnknownKeyFarFromEveryKnownKeyHasNoSuggestion() {
        let table = smokePreset(["n": .integer(3), "zzzzzzzz": .integer(1)])
        _ = try? table.required("n", as: Int.self)
        let error = manifestError { try table.finish() }
        XCTAssertEqual(error?.keyPath, "presets.smoke.zzzzzzzz")
        XCTAssertEqual(error?.hint, "known keys here: n")
        XCTAssertFalse(error?.description.contains("did you mean") ?? true)
    }

    func testFinishReportsTheAlphabeticallyFirstUnknownKey() {
        let table = ParameterTable(file: file, entries: ["zeta": .integer(1), "alpha": .integer(2), "mid": .integer(3)])
        _ = try? table.required("mid", as: Int.self)
        XCTAssertEqual(manifestError { try table.finish() }?.keyPath, "alpha")
    }

    func testFinishWithNoKeysReadRejectsEveryKey() {
        XCTAssertNoThrow(try ParameterTable(file: file, entries: [:]).finish())
        let error = manifestError { try self.smokePreset(["n": .integer(1)]).finish() }
        XCTAssertEqual(error?.keyPath, "presets.smoke.n")
    }

    func testEditDistance() {
        XCTAssertEqual(editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(editDistance("", "abc"), 3)
        XCTAssertEqual(editDistance("abc", ""), 3)
        XCTAssertEqual(editDistance("same", "same"), 0)
        XCTAssertEqual(editDistance("regularisation", "regularization"), 1)
        XCTAssertEqual(editDistance("ab", "ba"), 2)
    }

    func testManifestErrorDescriptionWithoutKeyPathOrHint() {
        XCTAssertEqual(ManifestError(file: "suites/y.toml", keyPath: "", problem: "empty file").description, "suites/y.toml: empty file")
        XCTAssertEqual(
            ManifestError(file: "f.toml", keyPath: "a.b", problem: "bad", hint: "fix it").description, "f.toml: a.b: bad (fix it)")
    }
}

final class MisspeltRequiredKeyTests: XCTestCase {
    func testMissingRequiredKeyPointsAtItsMisspelling() {
        let table = ParameterTable(file: "suites/x.toml", path: "paper", entries: ["titel": .string("A paper")])
        let error = manifestError { _ = try table.required("title", as: String.self) }
        XCTAssertEqual(error?.description, "suites/x.toml: paper.title: missing required key (found `titel`: did you mean `title`?)")
        let plain = manifestError { _ = try table.required("venue", as: String.self) }
        XCTAssertEqual(plain?.description, "suites/x.toml: paper.venue: missing required key (add `venue = <string>`)")
    }
}
