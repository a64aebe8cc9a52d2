import Foundation
import HarnessCore
import TestSupport
import XCTest

@testable import GnuplotFigures

/// Every committed figure script, rendered through gnuplot-iostream from a smoke run's tables
/// (trimmed copies in Fixtures/<suite>/, the files each suite's `[[figures]]` names).
final class CommittedFigureTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private var fixtures: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures") }

    func testEveryCommittedScriptRendersFromItsSuitesData() throws {
        let renderer = try FigureRenderer.locate()
        let scratch = TemporaryDirectory()
        var rendered: [String] = []
        for declaration in try SuiteRegistry.loadAll(in: root.appendingPathComponent("suites")) {
            for figure in declaration.figures {
                let written = try renderer.render(
                    script: root.appendingPathComponent(figure.script),
                    data: fixtures.appendingPathComponent("\(declaration.id)/\(figure.data)"),
                    outputStem: scratch.url.appendingPathComponent("\(declaration.id)/\(figure.id)"),
                    displayScript: figure.script)
                let svg = try String(contentsOf: written[0], encoding: .utf8)
                XCTAssertTrue(svg.contains("<svg") && svg.contains("</svg>"), "\(figure.script): not a complete SVG")
                XCTAssertTrue(svg.contains("id=\"gnuplot_plot_1"), "\(figure.script): the SVG holds no plotted data")
                XCTAssertEqual(Array(try Data(contentsOf: written[1]).prefix(4)), [0x89, 0x50, 0x4E, 0x47], "\(figure.script): not a PNG")
                rendered.append(figure.script)
            }
        }
        XCTAssertEqual(rendered.sorted(), try committedScripts(), "every plots/<suite>/*.gp belongs to a declared figure")
    }

    /// The same numbers sent inline as a datablock and read from the CSV file draw the same
    /// figure, byte for byte (gnuplot's SVG holds no date or file name).
    func testInlineTableDrawsTheSameSVGAsItsCSVFile() throws {
        let renderer = try FigureRenderer.locate()
        let scratch = TemporaryDirectory()
        let csv = fixtures.appendingPathComponent("kde/points.csv")
        let table = try numericColumns(of: csv)
        XCTAssertGreaterThan(table.rowCount, 10)
        for name in ["kl-vs-h", "share-collapse"] {
            let script = root.appendingPathComponent("plots/kde/\(name).gp")
            let fromFile = try renderer.render(script: script, data: csv, outputStem: scratch.url.appendingPathComponent("csv/\(name)"),
                                               displayScript: "plots/kde/\(name).gp", formats: [.svg])
            let inline = try renderer.render(script: script, table: table, outputStem: scratch.url.appendingPathComponent("inline/\(name)"),
                                             displayScript: "plots/kde/\(name).gp", formats: [.svg])
            let expected = try String(contentsOf: fromFile[0], encoding: .utf8)
            XCTAssertTrue(expected.contains("gnuplot_plot_1"), "\(name): nothing plotted from the CSV file")
            XCTAssertEqual(try String(contentsOf: inline[0], encoding: .utf8), expected, "\(name): inline and CSV figures differ")
        }
    }

    private func committedScripts() throws -> [String] {
        let plots = root.appendingPathComponent("plots")
        var scripts: [String] = []
        for suite in try FileManager.default.contentsOfDirectory(atPath: plots.path) {
            for file in try FileManager.default.contentsOfDirectory(atPath: plots.appendingPathComponent(suite).path) where file.hasSuffix(".gp") {
                scripts.append("plots/\(suite)/\(file)")
            }
        }
        return scripts.sorted()
    }

    /// The CSV file's columns that hold only numbers (the fixture has no quoted fields).
    private func numericColumns(of csv: URL) throws -> NumericTable {
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let cells = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        var columns: [(name: String, values: [Double])] = []
        for (index, name) in header.enumerated() {
            let values = cells.map { Double($0[index]) }
            if values.allSatisfy({ $0 != nil }) { columns.append((name, values.map { $0! })) }
        }
        XCTAssertLessThan(columns.count, header.count, "expected the fixture to hold a text column that is left out")
        return try NumericTable(columns: columns)
    }
}
