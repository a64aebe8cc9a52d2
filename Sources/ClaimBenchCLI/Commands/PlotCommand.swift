import ArgumentParser
import Foundation
import GnuplotFigures
import HarnessCore

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Redraw figures from a stored run's CSV (no rerun), as SVG and PNG.",
        discussion: """
            Figures go to <run-dir>/figures/<figure>.{svg,png}. `latest` is each suite's newest \
            canonical run (declared seed, no --set overrides, at --preset when given); the command \
            names the run it used and the newer ones it passed over. With --publish the SVGs also \
            replace the committed reference figures plots/<suite>/<figure>.svg, from canonical \
            default runs only (make bench does this). Each figure is the suite's \
            plots/<suite>/<figure>.gp, run by gnuplot through gnuplot-iostream.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("A run directory, or `latest` for each suite's newest canonical run.", valueName: "run-dir|latest"))
    var from: String = "latest"

    @Option(help: "With --from latest: only runs of this preset (default: any; `default` with --publish).")
    var preset: String?

    @Flag(help: "Also copy each SVG to plots/<suite>/<figure>.svg, the committed reference figures (canonical default runs only).")
    var publish = false

    @Argument(help: "Suites to plot with --from latest (default: all).")
    var suites: [String] = []

    func run() throws {
        let workspace = try common.workspace()
        let renderer = try FigureRenderer.locate()
        var runs: [(URL, RunRecord)] = []
        if from == "latest" {
            let wanted = preset.map(PresetName.init) ?? (publish ? .default : nil)
            if publish && wanted != .default { throw CLIError("--publish takes canonical default runs only; drop --preset \(wanted!)", status: .usage) }
            for declaration in try workspace.select(suites) {
                runs.append(try RunChoice.latest(declaration, preset: wanted, workspace: workspace))
            }
        } else {
            guard suites.isEmpty, preset == nil else {
                throw CLIError("--from <run-dir> plots that run's suite and preset; name no suites or --preset with it", status: .usage)
            }
            let directory = URL(fileURLWithPath: from)
            let record = try workspace.store.loadRecord(in: directory)
            if let partial = record.partialReason {
                throw CLIError("--from \(workspace.displayPath(directory)): \(partial); a shard has no tables to plot", status: .usage)
            }
            runs = [(directory, record)]
        }
        for (run, record) in runs {
            let declaration = try workspace.select([record.suite.rawValue])[0]
            if publish, let why = record.nonCanonicalReason(declaredSeed: declaration.seed, preset: .default) {
                throw CLIError("--publish: \(workspace.displayPath(run)) is not a canonical default run (\(why)); the reference figures"
                    + " come from `make bench`", status: .usage)
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
