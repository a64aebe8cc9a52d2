import Foundation
import TestSupport
import XCTest

@testable import GnuplotFigures

/// The gnuplot-iostream session itself: exit status and standard error come back, and a
/// program that stops reading does not take the test process down with SIGPIPE.
final class GnuplotSessionTests: XCTestCase {
    func testStatusAndStandardErrorOfAProgramThatStopsReading() throws {
        let scratch = TemporaryDirectory()
        let program = scratch.write("#!/bin/sh\necho 'stopped early' >&2\nexit 3\n", to: "stops-early")
        XCTAssertEqual(chmod(program.path, 0o755), 0)
        let session = try GnuplotSession(executable: program)
        // Far more than a pipe buffer holds, so the writes meet a closed pipe.
        let rows = 200_000
        session.send(try NumericTable(columns: [("i", (0..<rows).map(Double.init)), ("v", Array(repeating: 0.5, count: rows))]), as: "data")
        session.send("print 'never read'\n")
        XCTAssertEqual(session.finish(), .init(status: 3, standardError: "stopped early\n"))
    }

    func testProgramThatCannotRunReportsStatus127() throws {
        let scratch = TemporaryDirectory()
        let session = try GnuplotSession(executable: scratch.url.appendingPathComponent("no-such-gnuplot"))
        let outcome = session.finish()
        XCTAssertEqual(outcome.status, 127)
        XCTAssertTrue(outcome.standardError.contains("not found"), outcome.standardError)
    }

    func testGnuplotsErrorTextAndStatusComeBack() throws {
        let session = try GnuplotSession(executable: try FigureRenderer.locate().gnuplot)
        session.send("print 1 + 1\nset bogusoption\n")
        let outcome = session.finish()
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.standardError.hasPrefix("2\n"), outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("unrecognized option"), outcome.standardError)
    }
}
