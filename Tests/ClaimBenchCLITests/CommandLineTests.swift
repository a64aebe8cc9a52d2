import ArgumentParser
import Foundation
import HarnessCore
import TestSupport
import XCTest

@testable import ClaimBenchCLI

/// Command-line behaviour that needs no experiment to run: errors and exit statuses.
final class CommandLineTests: XCTestCase {
    private func execute(_ arguments: [String]) -> (Int32, String?) { ClaimBenchCommand.execute(arguments) }

    func testMissingSuitesDirectoryIsAUsageError() {
        let scratch = TemporaryDirectory()
        let (status, message) = execute(["list", "--root", scratch.url.path])
        XCTAssertEqual(status, ExitStatus.usage.rawValue)
        XCTAssertTrue(message?.contains("no suites/ directory") == true, message ?? "")
    }

    func testMalformedTOMLNamesFileLineAndColumn() {
        let scratch = TemporaryDirectory()
        scratch.write("id = \"broken\"\ntitle = \n", to: "suites/broken.toml")
        let (status, message) = execute(["list", "--root", scratch.url.path])
        XCTAssertEqual(status, ExitStatus.runFailed.rawValue)
        XCTAssertTrue(message?.hasPrefix("suites/broken.toml: TOML syntax error at line 2") == true, message ?? "")
    }

    func testMisspeltKeySuggestsTheRightOne() {
        let scratch = TemporaryDirectory()
        scratch.write(uniformMeanDeclaration(extra: "seeed = 3"), to: "suites/uniform.toml")
        let (status, message) = execute(["list", "--root", scratch.url.path])
        XCTAssertEqual(status, ExitStatus.runFailed.rawValue)
        XCTAssertTrue(message?.hasPrefix("suites/uniform.toml: seeed: unknown key (did you mean `seed`?") == true, message ?? "")
    }

    func testUnregisteredExperimentNamesTheKey() {
        let scratch = TemporaryDirectory()
        scratch.write(uniformMeanDeclaration(), to: "suites/uniform.toml")
        let (status, message) = execute(["list", "--root", scratch.url.path])
        XCTAssertEqual(status, ExitStatus.runFailed.rawValue)
        XCTAssertTrue(message?.hasPrefix("suites/uniform.toml: experiment: unknown experiment \"test.uniform-mean\"") == true, message ?? "")
    }

    func testFileNameMustMatchID() {
        let scratch = TemporaryDirectory()
        scratch.write(uniformMeanDeclaration(id: "other"), to: "suites/uniform.toml")
        let (_, message) = execute(["list", "--root", scratch.url.path])
        XCTAssertTrue(message?.contains("suites/uniform.toml: id: id \"other\" does not match the file name") == true, message ?? "")
    }

    func testBadFlagsAreUsageErrors() {
        XCTAssertEqual(execute(["run", "--threads", "0"]).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(execute(["run", "--no-such-flag"]).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(execute(["frobnicate"]).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(execute(["golden"]).0, ExitStatus.usage.rawValue)
    }

    func testHelpTeachesAndSucceeds() {
        let (status, message) = execute(["--help"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(message?.contains("Exit status") == true, message ?? "")
        let (runStatus, runHelp) = execute(["run", "--help"])
        XCTAssertEqual(runStatus, 0)
        XCTAssertTrue(runHelp?.contains("--preset") == true, runHelp ?? "")
    }

    func testExitStatusesCombineBySeverity() {
        XCTAssertEqual(max(ExitStatus.success, .goldenMissing), .goldenMissing)
        XCTAssertEqual(max(ExitStatus.goldenMissing, .regression), .regression)
        XCTAssertEqual(max(ExitStatus.regression, .runFailed), .runFailed)
    }
}
