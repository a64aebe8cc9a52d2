import Foundation
import TestSupport
import XCTest

@testable import GnuplotFigures

final class FigureRendererTests: XCTestCase {
    func testRendersSVGAndPNGFromCSV() throws {
        let renderer = try FigureRenderer.locate()
        let scratch = TemporaryDirectory()
        let script = scratch.write(
            """
            if (!exists("datafile")) datafile = "values.csv"
            set title "values"
            plot datafile using (column("index")):(column("value")) with lines title "value"
            """, to: "plots/values.gp")
        let data = scratch.write("index,value\n0,0.5\n1,0.25\n2,0.75\n", to: "run/values.csv")
        let written = try renderer.render(
            script: script, data: data, outputStem: scratch.url.appendingPathComponent("run/figures/values"),
            displayScript: "plots/values.gp")
        XCTAssertEqual(written.map(\.lastPathComponent), ["values.svg", "values.png"])
        let svg = try String(contentsOf: written[0], encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"), "not an SVG document")
        XCTAssertTrue(svg.contains("values"), "the title is missing from the SVG")
        let png = try Data(contentsOf: written[1])
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "not a PNG file")
        // No temporary files are left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.url.appendingPathComponent("run/figures").path)
        XCTAssertEqual(leftovers.sorted(), ["values.png", "values.svg"])
    }

    func testScriptErrorIsGnuplotsMessageWithTheScriptsFileAndLine() throws {
        let renderer = try FigureRenderer.locate()
        let scratch = TemporaryDirectory()
        let script = scratch.write("set title \"x\"\nplot datafile using 1:2 with lines\nset bogusoption\n", to: "bad.gp")
        let data = scratch.write("a,b\n1,2\n2,3\n", to: "data.csv")
        let stem = scratch.url.appendingPathComponent("out/bad")
        XCTAssertThrowsError(
            try renderer.render(script: script, data: data, outputStem: stem, displayScript: "plots/x/bad.gp")
        ) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("plots/x/bad.gp: gnuplot exited with status"), text)
            XCTAssertTrue(text.contains("\"plots/x/bad.gp\" line 3: unrecognized option"), text)
            XCTAssertFalse(text.contains(script.path), "the scratch path should be shown as the display path: \(text)")
        }
        // A failed render leaves neither the output nor its temporary file.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: stem.deletingLastPathComponent().path)) ?? []
        XCTAssertEqual(left, [])
    }

    func testErrorInsideAMultiplotIsTheOnlyMessage() throws {
        let renderer = try FigureRenderer.locate()
        let scratch = TemporaryDirectory()
        let script = scratch.write("set multiplot layout 1,2\nplot datafile using 1:2\nset bogusoption\nplot datafile using 1:2\nunset multiplot\n", to: "multi.gp")
        let data = scratch.write("a,b\n1,2\n2,3\n", to: "data.csv")
        XCTAssertThrowsError(
            try renderer.render(script: script, data: data, outputStem: scratch.url.appendingPathComponent("o"), displayScript: "plots/x/multi.gp")
        ) { error in
            XCTAssertTrue("\(error)".contains("\"plots/x/multi.gp\" line 3: unrecognized option"), "\(error)")
            XCTAssertFalse("\(error)".contains("multiplot mode"), "\(error)")
        }
    }

    func testUnknownColumnIsAnErrorOnItsLine() throws {
        let renderer = try FigureRenderer.locate()
        let scratch = TemporaryDirectory()
        let script = scratch.write("\nplot datafile using (column(\"nonexistent\")):2 with lines\n", to: "bad.gp")
        let data = scratch.write("a,b\n1,2\n", to: "data.csv")
        XCTAssertThrowsError(
            try renderer.render(script: script, data: data, outputStem: scratch.url.appendingPathComponent("out"), displayScript: "plots/x/bad.gp")
        ) { error in
            XCTAssertTrue("\(error)".hasPrefix("plots/x/bad.gp: gnuplot"), "\(error)")
            XCTAssertTrue("\(error)".contains("\"plots/x/bad.gp\" line 2"), "\(error)")
        }
    }

    func testMissingGnuplotIsOneLineNamingThePackage() throws {
        XCTAssertThrowsError(try FigureRenderer.locate(environment: ["PATH": "/nonexistent"])) { error in
            XCTAssertTrue("\(error)".contains("scripts/install-deps.sh"), "\(error)")
            XCTAssertTrue("\(error)".contains("gnuplot-nox"), "\(error)")
        }
        let scratch = TemporaryDirectory()
        let script = scratch.write("plot datafile using 1:2\n", to: "ok.gp")
        let data = scratch.write("a,b\n1,2\n", to: "data.csv")
        let renderer = FigureRenderer(gnuplot: scratch.url.appendingPathComponent("no-such-gnuplot"))
        XCTAssertThrowsError(
            try renderer.render(script: script, data: data, outputStem: scratch.url.appendingPathComponent("o"), displayScript: "ok.gp")
        ) { error in
            let text = "\(error)"
            XCTAssertFalse(text.contains("\n"), "not one line: \(text)")
            XCTAssertTrue(text.contains("gnuplot-nox"), text)
            XCTAssertTrue(text.contains("no-such-gnuplot"), text)
        }
    }

    func testMissingDataAndScriptAreClearErrors() throws {
        let renderer = try FigureRenderer.locate()
        let scratch = TemporaryDirectory()
        let script = scratch.write("plot datafile using 1:2\n", to: "ok.gp")
        XCTAssertThrowsError(
            try renderer.render(script: script, data: scratch.url.appendingPathComponent("none.csv"),
                                outputStem: scratch.url.appendingPathComponent("o"), displayScript: "ok.gp")
        ) { XCTAssertTrue("\($0)".contains("figure data missing"), "\($0)") }
        XCTAssertThrowsError(
            try renderer.render(script: scratch.url.appendingPathComponent("none.gp"), data: script,
                                outputStem: scratch.url.appendingPathComponent("o"), displayScript: "plots/none.gp")
        ) { XCTAssertTrue("\($0)".hasPrefix("plots/none.gp: gnuplot script missing"), "\($0)") }
    }

    func testPreambleEscapesQuotesAndLoadsTheScriptByPath() {
        let program = FigureRenderer.program(script: "plots/a'b.gp", data: .csv(URL(fileURLWithPath: "/runs/it's.csv")), output: "/o.svg", format: .svg)
        XCTAssertTrue(program.contains("datafile = '/runs/it''s.csv'"), program)
        XCTAssertTrue(program.contains("set terminal svg"), program)
        XCTAssertTrue(program.hasSuffix("load 'plots/a''b.gp'\nunset multiplot\nunset output\n"), program)
        let inline = FigureRenderer.program(script: "s.gp", data: .inline(try! NumericTable(columns: [("x", [1])])), output: "/o.png", format: .png)
        XCTAssertTrue(inline.contains("datafile = '$data'"), inline)
        XCTAssertTrue(inline.contains("set terminal pngcairo"), inline)
    }
}
