import Foundation

/// Runs one peer script on one workload as a subprocess of the chosen Python, with the thread
/// count pinned, stdout and stderr in a log file, and a time limit; says how it ended.
struct PeerProcess {
    /// An executable path, or a bare name looked up on PATH (`python3`).
    var python: String
    var scriptsDirectory: URL
    var threads: Int
    var timeoutSeconds: Double

    /// The exit status the scripts use for a package that cannot be imported (`peers/common.py`).
    static let missingPackageStatus: Int32 = 3

    enum Ending: Equatable {
        /// Exit 0: the result file holds the rows.
        case finished
        /// Python or a package it needs is not there.
        case missing(String)
        /// Anything else: non-zero exit, signal, time limit; the text says which, with the log's tail.
        case crashed(String)
    }

    func run(_ script: PeerScript, workload: URL, result: URL, outputs: URL, log: URL) -> Ending {
        let process = Process()
        if python.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: python) else {
                return .missing("no Python at \(python) (run `make peers`, or pass --python)")
            }
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = []
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [python]
        }
        process.arguments! += [scriptsDirectory.appendingPathComponent(script.script).path,
                               "--workload", workload.path, "--result", result.path, "--outputs", outputs.path]
        var environment = ProcessInfo.processInfo.environment
        environment["CLAIMBENCH_PEER_THREADS"] = "\(threads)"
        for variable in ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"] { environment[variable] = "\(threads)" }
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        try? FileManager.default.removeItem(at: result)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: log.path) else { return .crashed("cannot write the log \(log.path)") }
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .missing("cannot start \(python): \(error.localizedDescription)")
        }
        let limit = TimeLimit()
        let timer = DispatchWorkItem {
            guard process.isRunning else { return }
            limit.expire()
            process.terminate()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: timer)
        process.waitUntilExit()
        timer.cancel()
        let tail = Self.tail(of: log)
        let status = process.terminationStatus
        if limit.expired { return .crashed("stopped at the time limit of \(Int(timeoutSeconds)) s (--peer-timeout): \(tail)") }
        if process.terminationReason == .uncaughtSignal { return .crashed("killed by signal \(status): \(tail)") }
        if python.contains("/") == false && status == 127 { return .missing("\(python) not found on PATH (run `make peers`, or pass --python)") }
        switch status {
        case 0: return .finished
        case Self.missingPackageStatus: return .missing(tail)
        default:
            if tail.contains("ModuleNotFoundError") || tail.contains("ImportError") { return .missing(tail) }
            return .crashed("exit \(status): \(tail)")
        }
    }

    /// The last lines of a log, joined by " | ", at most about 400 characters.
    static func tail(of log: URL, lines count: Int = 3) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let joined = lines.suffix(count).joined(separator: " | ")
        return joined.isEmpty ? "(no output)" : String(joined.suffix(400))
    }
}

/// Set once by the timer that stops a script at its time limit.
private final class TimeLimit: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func expire() { lock.withLock { value = true } }
    var expired: Bool { lock.withLock { value } }
}
