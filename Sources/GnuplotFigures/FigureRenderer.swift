import Foundation
import HarnessCore

/// Renders a committed gnuplot script to SVG and PNG, from a run's CSV file or from a table in
/// memory.
///
/// gnuplot is driven through gnuplot-iostream (`GnuplotSession`, over the `GnuplotStream` C++
/// target): a preamble sets the terminal and output and defines `datafile`, then the script is
/// `load`ed by path, so gnuplot's errors name the script's file and line. Scripts never set a
/// terminal, so the same script also runs by hand:
/// `gnuplot -e "datafile='results/runs/<run>/convergence.csv'" plots/sinkhorn/convergence.gp`.
public struct FigureRenderer: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case svg, png

        /// The terminal line; a fixed size and font keep committed SVGs stable across runs.
        var terminal: String {
            switch self {
            case .svg: "set terminal svg size 860,540 dynamic enhanced font 'DejaVu Sans,13' background rgb 'white'"
            case .png: "set terminal pngcairo size 1290,810 enhanced font 'DejaVu Sans,13' background rgb 'white'"
            }
        }
    }

    /// Where a figure's data comes from: the value of `datafile` in the script.
    public enum DataSource: Sendable {
        /// A CSV file that gnuplot reads by path.
        case csv(URL)
        /// A table sent inline as the datablock `$data`.
        case inline(NumericTable)

        var datafile: String {
            switch self {
            case .csv(let url): url.path
            case .inline: "$\(FigureRenderer.datablock)"
            }
        }
    }

    public enum RenderError: Error, CustomStringConvertible {
        /// `location` is "on PATH" or the configured path.
        case gnuplotMissing(location: String)
        case cannotStart(String, String)
        case scriptMissing(String)
        case dataMissing(String)
        case gnuplotFailed(script: String, status: Int32, message: String)

        public var description: String {
            switch self {
            case .gnuplotMissing(let location):
                "gnuplot not found \(location): install the Debian package gnuplot-nox (`bash scripts/install-deps.sh` does), then run `claimbench plot` again"
            case .cannotStart(let path, let reason):
                "\(path): cannot start gnuplot (\(reason)); check free file descriptors and space in the temporary directory, then run `claimbench plot` again"
            case .scriptMissing(let path):
                "\(path): gnuplot script missing; restore it with `git checkout -- \(path)` or fix `figures.script` in the suite declaration"
            case .dataMissing(let path):
                "\(path): figure data missing; rerun the suite (`claimbench run <suite>`) and plot from that run"
            case .gnuplotFailed(let script, let status, let message):
                "\(script): gnuplot exited with status \(status): \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
            }
        }
    }

    /// The name of the datablock that holds an inline table.
    static let datablock = "data"

    public let gnuplot: URL
    /// How a missing `gnuplot` was looked for, for the error message.
    let location: String

    /// A renderer that runs the gnuplot program at `gnuplot`.
    public init(gnuplot: URL) { self.init(gnuplot: gnuplot, location: "at \(gnuplot.path)") }

    private init(gnuplot: URL, location: String) {
        self.gnuplot = gnuplot
        self.location = location
    }

    /// Finds `gnuplot` on PATH.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FigureRenderer {
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("gnuplot")
            if isProgram(candidate) { return FigureRenderer(gnuplot: candidate, location: "on PATH") }
        }
        throw RenderError.gnuplotMissing(location: "on PATH")
    }

    /// The commands sent to gnuplot for one output format, after any inline table. `unset
    /// multiplot` (a no-op otherwise) closes a multiplot that a script error left open, so the
    /// error is the only message.
    public static func program(script: String, data: DataSource, output: String, format: Format) -> String {
        """
        \(format.terminal)
        set output '\(escaped(output))'
        datafile = '\(escaped(data.datafile))'
        set datafile separator comma
        set datafile columnheaders
        load '\(escaped(script))'
        unset multiplot
        unset output

        """
    }

    /// Renders `script` with the CSV file `data`; see `render(script:source:…)`.
    @discardableResult
    public func render(script: URL, data: URL, outputStem: URL, displayScript: String, formats: [Format] = Format.allCases) throws -> [URL] {
        try render(script: script, source: .csv(data), outputStem: outputStem, displayScript: displayScript, formats: formats)
    }

    /// Renders `script` with a table held in memory, which the script reads as `datafile` (the
    /// datablock `$data`); see `render(script:source:…)`. A script that derives other file
    /// names from `datafile` (kde/regime-diagram.gp reads theory.csv beside it) needs the CSV.
    @discardableResult
    public func render(script: URL, table: NumericTable, outputStem: URL, displayScript: String, formats: [Format] = Format.allCases) throws -> [URL] {
        try render(script: script, source: .inline(table), outputStem: outputStem, displayScript: displayScript, formats: formats)
    }

    /// Renders `script` to `<outputStem>.svg` and `<outputStem>.png`, one gnuplot process per
    /// format, each written atomically (gnuplot writes a temporary file that is renamed into
    /// place). `displayScript` is the script's path as errors show it.
    @discardableResult
    public func render(script: URL, source: DataSource, outputStem: URL, displayScript: String, formats: [Format] = Format.allCases) throws -> [URL] {
        guard FileManager.default.isReadableFile(atPath: script.path) else { throw RenderError.scriptMissing(displayScript) }
        if case .csv(let data) = source, !FileManager.default.fileExists(atPath: data.path) { throw RenderError.dataMissing(data.path) }
        guard Self.isProgram(gnuplot) else { throw RenderError.gnuplotMissing(location: location) }
        try FileManager.default.createDirectory(at: outputStem.deletingLastPathComponent(), withIntermediateDirectories: true)
        var written: [URL] = []
        for format in formats {
            let final = outputStem.appendingPathExtension(format.rawValue)
            let temporary = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).\(getpid()).tmp")
            do {
                try run(Self.program(script: script.path, data: source, output: temporary.path, format: format),
                        source: source, script: script, displayScript: displayScript)
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw error
            }
            guard rename(temporary.path, final.path) == 0 else {
                throw AtomicFile.WriteError(path: final.path, reason: "rename failed: \(String(cString: strerror(errno)))")
            }
            written.append(final)
        }
        return written
    }

    private func run(_ program: String, source: DataSource, script: URL, displayScript: String) throws {
        let session = try GnuplotSession(executable: gnuplot)
        if case .inline(let table) = source { session.send(table, as: Self.datablock) }
        session.send(program)
        let outcome = session.finish()
        if outcome.status == 127 { throw RenderError.gnuplotMissing(location: location) }
        // gnuplot reports some script errors on stderr yet exits 0 when reading a pipe.
        let message = outcome.standardError
        if outcome.status != 0 || message.contains("error") || message.contains("Error") {
            // gnuplot names the script by the path it loaded; show the repository-relative one.
            let shown = message.replacingOccurrences(of: "\"\(script.path)\"", with: "\"\(displayScript)\"")
            throw RenderError.gnuplotFailed(script: displayScript, status: outcome.status, message: shown)
        }
    }

    private static func isProgram(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: url.path)
    }

    static func escaped(_ path: String) -> String { path.replacingOccurrences(of: "'", with: "''") }
}
