import Foundation
import HarnessCore

/// Progress for long runs: a live line on a terminal, and plain periodic lines in CI logs.
enum ProgressDisplay {
    static func reporter(label: String) -> ProgressReporter {
        let interactive = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        let state = ProgressState(start: Stopwatch.now())
        return ProgressReporter { done, total, detail in
            let now = Stopwatch.now()
            let elapsed = now - state.start
            let remaining = done > 0 && done < total ? elapsed / Double(done) * Double(total - done) : nil
            let eta = remaining.map { ", ~\(duration($0)) left" } ?? ""
            let text = "  [\(label)] \(done)/\(total) \(detail) (\(duration(elapsed))\(eta))"
            fflush(nil)  // keep stdout's lines ahead of this one in a shared log
            if interactive {
                let clipped = text.count > 118 ? String(text.prefix(117)) + "…" : text
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + clipped + (done == total ? "\n" : "")).utf8))
            } else if state.shouldPrint(at: now, done: done, total: total) {
                FileHandle.standardError.write(Data((text + "\n").utf8))
            }
        }
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.1f s", seconds) : String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
    }
}

/// Throttles CI-log progress lines to one every 10 s (plus the last).
private final class ProgressState: @unchecked Sendable {
    let start: Double
    private var lastPrinted: Double
    private let lock = NSLock()

    init(start: Double) {
        self.start = start
        lastPrinted = start
    }

    func shouldPrint(at now: Double, done: Int, total: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard done == total || now - lastPrinted >= 10 else { return false }
        lastPrinted = now
        return true
    }
}

/// Writes a line to standard error, after flushing standard output so that the two stay in
/// order when both go to one CI log.
func printError(_ text: String) {
    fflush(nil)
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
