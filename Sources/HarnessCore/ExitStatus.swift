/// Process exit codes, shared by every `claimbench` command (docs/ARCHITECTURE.md, "Exit codes").
public enum ExitStatus: Int32, Sendable, Comparable {
    /// Everything held.
    case success = 0
    /// An error stopped a run.
    case runFailed = 1
    /// A golden deviated or a claim was not reproduced.
    case regression = 2
    /// A golden file is missing.
    case goldenMissing = 3
    /// Bad command line.
    case usage = 64

    /// Combining outcomes keeps the most serious: an error, then a regression, then a missing golden.
    private var severity: Int {
        switch self {
        case .success: 0
        case .goldenMissing: 1
        case .regression: 2
        case .runFailed: 3
        case .usage: 4
        }
    }

    public static func < (lhs: ExitStatus, rhs: ExitStatus) -> Bool { lhs.severity < rhs.severity }
}
