import Foundation
import TestSupport
import XCTest

@testable import GnuplotFigures

final class InlineTableTests: XCTestCase {
    /// Values sent by gnuplot-iostream reach gnuplot bit for bit: gnuplot prints each value it
    /// read with 17 significant digits, which parse back to the same double.
    func testInlineValuesReachGnuplotExactly() throws {
        let x: [Double] = [0.1, 1.0 / 3.0, 1e-300, .leastNonzeroMagnitude, -0.0, 123456789.123456789, .nan, .infinity, -.infinity]
        let y = x.indices.map { Double($0) * 0.7 }
        let scratch = TemporaryDirectory()
        let printed = scratch.url.appendingPathComponent("printed.txt")
        let script = scratch.write(
            """
            s = ""
            stats datafile using (s = s . sprintf("%.17g;%.17g ", column("x"), column("y")), 0) nooutput
            set print '\(printed.path)'
            print s
            unset print
            plot datafile using (column("y")):(column("y")) with lines title "y"
            """, to: "print.gp")
        let table = try NumericTable(columns: [("x", x), ("y", y)])
        try FigureRenderer.locate().render(script: script, table: table, outputStem: scratch.url.appendingPathComponent("o"),
                                           displayScript: "print.gp", formats: [.svg])
        let pairs = try String(contentsOf: printed, encoding: .utf8).split(whereSeparator: \.isWhitespace).map { $0.split(separator: ";") }
        XCTAssertEqual(pairs.count, x.count)
        for (row, pair) in pairs.enumerated() {
            let (sentX, readX) = (x[row], Double(String(pair[0])) ?? 42)
            XCTAssertTrue(sentX.isNaN ? readX.isNaN : sentX.bitPattern == readX.bitPattern, "row \(row): sent \(sentX), gnuplot read \(pair[0])")
            XCTAssertEqual(Double(String(pair[1]))?.bitPattern, y[row].bitPattern, "row \(row): sent \(y[row]), gnuplot read \(pair[1])")
        }
    }

    func testColumnNameStartingWithTheEndMarkerStaysInTheTable() throws {
        // The datablock ends at a line starting with "e"; the header line must not.
        let scratch = TemporaryDirectory()
        let printed = scratch.url.appendingPathComponent("printed.txt")
        let script = scratch.write(
            """
            stats datafile using (column("eta")):(column("error")) nooutput
            set print '\(printed.path)'
            print sprintf("%d %g %g", STATS_records, STATS_sum_x, STATS_sum_y)
            unset print
            plot datafile using (column("eta")):(column("error")) with lines title "e"
            """, to: "e.gp")
        let table = try NumericTable(columns: [("eta", [1, 2, 3]), ("error", [10, 20, 40])])
        try FigureRenderer.locate().render(script: script, table: table, outputStem: scratch.url.appendingPathComponent("o"),
                                           displayScript: "e.gp", formats: [.svg])
        XCTAssertEqual(try String(contentsOf: printed, encoding: .utf8), "3 6 70\n")
    }

    func testTableRejectsBadShapesAndNames() {
        XCTAssertThrowsError(try NumericTable(columns: [("a", [1, 2]), ("b", [1])])) {
            XCTAssertTrue("\($0)".contains("`b` has 1 values, `a` has 2"), "\($0)")
        }
        XCTAssertThrowsError(try NumericTable(columns: [("a\"b", [1])])) { XCTAssertTrue("\($0)".contains("double quote"), "\($0)") }
        XCTAssertThrowsError(try NumericTable(columns: [("a", [1]), ("a", [2])])) { XCTAssertTrue("\($0)".contains("appears twice"), "\($0)") }
        XCTAssertThrowsError(try NumericTable(columns: [])) { XCTAssertTrue("\($0)".contains("no columns"), "\($0)") }
        let table = try? NumericTable(columns: [("a", [1, 2]), ("b", [3, 4])])
        XCTAssertEqual(table?.rowMajorValues, [1, 3, 2, 4])
        XCTAssertEqual(table?.rowCount, 2)
    }
}
