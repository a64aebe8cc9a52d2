import Foundation
import HarnessCore

/// Renders a committed gnuplot script against a run's CSV, to SVG and PNG.
///
/// gnuplot is driven the way C++'s gnuplot-iostream drives it: a preamble and the script go
/// down a pipe to the `gnuplot` program. The preamble sets the terminal and output and
/// defines `datafile`; scripts never set a terminal, so the same script also runs by hand:
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

    public enum RenderError: Error, CustomStringConvertible {
        case gnuplotMissing
        case scriptMissing(String)
        case dataMissing(String)
        case gnuplotFailed(script: String, status: Int32, message: String)

        public var description: String {
            switch self {
            case .gnuplotMissing:
                "gnuplot not found on PATH: install it with `bash scripts/install-deps.sh` (Debian package gnuplot-nox), then run `claimbench plot` again"
            case .scriptMissing(let path):
                "\(path): gnuplot script missing; restore it with `git checkout -- \(path)` or fix `figures.script` in the suite declaration"
            case .dataMissing(let path):
                "\(path): figure data missing; rerun the suite (`claimbench run <suite>`) and plot from that run"
            case .gnuplotFailed(let script, let status, let message):
                "\(script): gnuplot exited with status \(status): \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
            }
        }
    }

    public let gnuplot: URL

    public init(gnuplot: URL) { self.gnuplot = gnuplot }

    /// Finds `gnuplot` on PATH.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FigureRenderer {
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("gnuplot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return FigureRenderer(gnuplot: candidate)
            }
        }
        throw RenderError.gnuplotMissing
    }

    /// The text piped to gnuplot for one output format.
    public static func program(script: String, data: String, output: String, format: Format) -> String {
        """
        \(format.terminal)
        set output '\(escaped(output))'
        datafile = '\(escaped(data))'
        set datafile separator comma
        set datafile columnheaders
        \(script)
        unset output

        """
    }

    /// Renders `script` with `data` to `<outputStem>.svg` and `<outputStem>.png` (written
    /// atomically: gnuplot writes a temporary file that is renamed into place).
    @discardableResult
    public func render(script: URL, data: URL, outputStem: URL, displayScript: String, formats: [Format] = Format.allCases) throws -> [URL] {
        guard let scriptText = try? String(contentsOf: script, encoding: .utf8) else { throw RenderError.scriptMissing(displayScript) }
        guard FileManager.default.fileExists(atPath: data.path) else { throw RenderError.dataMissing(data.path) }
        try FileManager.default.createDirectory(at: outputStem.deletingLastPathComponent(), withIntermediateDirectories: true)
        var written: [URL] = []
        for format in formats {
            let final = outputStem.appendingPathExtension(format.rawValue)
            let temporary = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).\(getpid()).tmp")
            try pipe(Self.program(script: scriptText, data: data.path, output: temporary.path, format: format), displayScript: displayScript)
            guard rename(temporary.path, final.path) == 0 else {
                throw AtomicFile.WriteError(path: final.path, reason: "rename failed: \(String(cString: strerror(errno)))")
            }
            written.append(final)
        }
        return written
    }

    private func pipe(_ program: String, displayScript: String) throws {
        let process = Process()
        process.executableURL = gnuplot
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(program.utf8))
        try input.fileHandleForWriting.close()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // gnuplot reports some script errors on stderr yet exits 0 when reading a pipe.
        let failed = process.terminationStatus != 0 || message.contains("error") || message.contains("Error")
        if failed {
            throw RenderError.gnuplotFailed(script: displayScript, status: process.terminationStatus, message: message)
        }
    }

    static func escaped(_ path: String) -> String { path.replacingOccurrences(of: "'", with: "''") }
}
