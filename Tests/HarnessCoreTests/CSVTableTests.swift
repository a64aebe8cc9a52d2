import XCTest
@testable import HarnessCore

final class CSVTableTests: XCTestCase {
    private func render(_ cells: [CSVTable.Cell]) -> String {
        var table = CSVTable(columns: cells.indices.map { "c\($0)" })
        table.append(cells)
        return String(table.rendered().split(separator: "\n", omittingEmptySubsequences: false)[1])
    }

    func testHeaderAndRowsOneLineEach() {
        var table = CSVTable(columns: ["n", "eta", "method", "cost"])
        table.append([.integer(500), .number(100), .text("sns"), .number(0.25)])
        table.append([.integer(1000), .number(1e-3), .text("sinkhorn"), .number(-2.5)])
        XCTAssertEqual(table.rows.count, 2)
        XCTAssertEqual(
            table.rendered(),
            """
            n,eta,method,cost
            500,100.0,sns,0.25
            1000,0.001,sinkhorn,-2.5

            """)
        XCTAssertEqual(CSVTable(columns: ["only"]).rendered(), "only\n")
    }

    func testIntegerAndNumberCellsAreSpelledDifferently() {
        XCTAssertEqual(render([.integer(3), .number(3), .integer(-7), .integer(0), .number(-0.0)]), "3,3.0,-7,0,-0.0")
        XCTAssertEqual(render([.integer(Int.max), .integer(Int.min)]), "9223372036854775807,-9223372036854775808")
    }

    func testNonFiniteNumbersUseGnuplotSpelling() {
        XCTAssertEqual(render([.number(.nan), .number(.infinity), .number(-.infinity)]), "NaN,inf,-inf")
        XCTAssertEqual(render([.number(-.nan)]), "NaN")
    }

    func testTextIsQuotedOnlyWhenNeeded() {
        XCTAssertEqual(render([.text("plain"), .text("with space"), .text("")]), "plain,with space,")
        XCTAssertEqual(render([.text("a,b")]), "\"a,b\"")
        XCTAssertEqual(render([.text("say \"hi\"")]), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(render([.text("\"")]), "\"\"\"\"")
    }

    func testLineBreaksInTextAreQuoted() {
        var table = CSVTable(columns: ["note"])
        table.append([.text("line 1\nline 2")])
        table.append([.text("crlf 1\r\ncrlf 2")])
        table.append([.text("cr 1\rcr 2")])
        XCTAssertEqual(table.rendered(), "note\n\"line 1\nline 2\"\n\"crlf 1\r\ncrlf 2\"\n\"cr 1\rcr 2\"\n")
    }

    func testHeaderIsQuotedLikeText() {
        let table = CSVTable(columns: ["n", "cost, relative", "the \"best\""])
        XCTAssertEqual(table.rendered(), "n,\"cost, relative\",\"the \"\"best\"\"\"\n")
    }

    func testDoublesRoundTrip() {
        let values: [Double] = [
            0.1, 1e-300, 123456789.123, 1.0 / 3, -2.5e-8, 1e16, 1e22, .pi, .ulpOfOne,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -0.0, 0.30000000000000004,
        ]
        var table = CSVTable(columns: ["x"])
        for value in values { table.append([.number(value)]) }
        let lines = table.rendered().split(separator: "\n").dropFirst()
        XCTAssertEqual(lines.count, values.count)
        for (line, value) in zip(lines, values) {
            let parsed = Double(String(line))
            XCTAssertEqual(parsed?.bitPattern, value.bitPattern, "\(value) written as \(line)")
            XCTAssertFalse(line.contains(","), "no locale-dependent separators: \(line)")
        }
        XCTAssertEqual(render([.number(0.1), .number(1e-300), .number(123456789.123)]), "0.1,1e-300,123456789.123")
    }

    func testEqualTablesCompareEqual() {
        var a = CSVTable(columns: ["x"]), b = CSVTable(columns: ["x"])
        a.append([.number(1)])
        b.append([.number(1)])
        XCTAssertEqual(a, b)
        b.append([.integer(1)])
        XCTAssertNotEqual(a, b)
    }
}
