import ArgumentParser
import Foundation
import GnuplotFigures
import HarnessCore

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Redraw figures from a stored run's CSV (no rerun), as SVG and PNG.",
        discussion: """
            Figures go to <run-dir>/figures/<figure>.{svg,png}. With --publish the SVGs also replace \
            the committed reference figures plots/<suite>/<figure>.svg (make bench does this from \
            the default preset). Each figure is the suite's plots/<suite>/<figure>.gp, run by gnuplot through gnuplot-iostream.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("A run directory, or `latest` for each suite's newest run.", valueName: "run-dir|latest"))
    var from: String = "latest"

    @Flag(help: "Also copy each SVG to plots/<suite>/<figure>.svg, the committed reference figures.")
    var publish = false

    @Argument(help: "Suites to plot with --from latest (default: all).")
    var suites: [String] = []

    func run() throws {
        let workspace = try common.workspace()
        let renderer = try FigureRenderer.locate()
        let runs: [URL]
        if from == "latest" {
            runs = try workspace.select(suites).map { declaration in
                guard let run = workspace.store.latestRun(of: declaration.id) else {
                    throw CLIError("no stored run of \(declaration.id) in results/runs: run `claimbench run \(declaration.id)` first")
                }
                return run
            }
        } else {
            guard suites.isEmpty else { throw CLIError("--from <run-dir> plots that run's suite; name no suites with it", status: .usage) }
            runs = [URL(fileURLWithPath: from)]
        }
        for run in runs {
            let record = try workspace.store.loadRecord(in: run)
            let declaration = try workspace.select([record.suite.rawValue])[0]
            if publish && record.preset != .default {
                printError("  warning: publishing figures from the \(record.preset) preset; the committed reference figures normally come from the default preset")
            }
            print("▶ figures of \(record.suite) (\(record.preset)) from \(workspace.displayPath(run))")
            for figure in declaration.figures {
                let written = try renderer.render(
                    script: workspace.root.appendingPathComponent(figure.script),
                    data: run.appendingPathComponent(figure.data),
                    outputStem: run.appendingPathComponent("figures/\(figure.id)"),
                    displayScript: figure.script)
                var line = "  \(figure.id): " + written.map { workspace.displayPath($0) }.joined(separator: ", ")
                if publish, let svg = written.first(where: { $0.pathExtension == "svg" }) {
                    let target = workspace.root.appendingPathComponent("plots/\(record.suite)/\(figure.id).svg")
                    try AtomicFile.copy(svg, to: target)
                    line += " → \(workspace.displayPath(target))"
                }
                print(line)
            }
        }
    }
}
