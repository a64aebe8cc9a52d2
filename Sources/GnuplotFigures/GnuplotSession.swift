import Foundation
internal import GnuplotStream

/// One gnuplot process, fed through gnuplot-iostream (the `GnuplotStream` C++ target).
///
/// Writes never fail loudly: once gnuplot has exited, further input is dropped, and `finish()`
/// reports its exit status and everything it wrote to standard error, which is where the
/// reason is.
final class GnuplotSession {
    /// How a gnuplot process ended.
    struct Outcome: Equatable {
        /// The exit status; 127 when the program could not be run, 128 + n when signal n ended it.
        var status: Int32
        var standardError: String
    }

    private var stream: OpaquePointer?

    /// Starts `executable`. Throws only when no pipe or temporary file can be made; a program
    /// that cannot be run shows as status 127 in `finish()`.
    init(executable: URL) throws {
        guard let stream = gnuplot_stream_open(executable.path) else {
            throw FigureRenderer.RenderError.cannotStart(executable.path, String(cString: strerror(errno)))
        }
        self.stream = stream
    }

    deinit {
        if stream != nil { _ = finish() }
    }

    /// Sends gnuplot commands as they are (end them with a newline).
    func send(_ commands: String) {
        guard let stream else { preconditionFailure("GnuplotSession used after finish()") }
        _ = gnuplot_stream_send_commands(stream, commands)
    }

    /// Defines the datablock `$<name>` from `table`: a header line of its column names, then
    /// its rows as comma-separated numbers, sent by gnuplot-iostream's `send1d`.
    func send(_ table: NumericTable, as name: String) {
        guard let stream else { preconditionFailure("GnuplotSession used after finish()") }
        let names = table.columnNames.map { strdup($0) }
        defer { names.forEach { free($0) } }
        let pointers = names.map { UnsafePointer($0) }
        table.rowMajorValues.withUnsafeBufferPointer { values in
            _ = gnuplot_stream_send_table(stream, name, pointers, pointers.count, values.baseAddress, table.rowCount)
        }
    }

    /// Closes gnuplot's input and waits for it to exit.
    func finish() -> Outcome {
        guard let stream else { preconditionFailure("GnuplotSession finished twice") }
        self.stream = nil
        var text: UnsafeMutablePointer<CChar>?
        let status = gnuplot_stream_close(stream, &text)
        defer { gnuplot_stream_free_text(text) }
        return Outcome(status: status, standardError: text.map { String(cString: $0) } ?? "")
    }
}
