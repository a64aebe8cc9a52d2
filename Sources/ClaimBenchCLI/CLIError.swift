import HarnessCore

/// An error the CLI reports in one line and turns into an exit status.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var status: ExitStatus

    init(_ message: String, status: ExitStatus = .runFailed) {
        self.message = message
        self.status = status
    }

    var description: String { message }
}
