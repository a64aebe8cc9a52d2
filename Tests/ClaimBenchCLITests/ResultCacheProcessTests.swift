import Foundation
import HarnessCore
import TestSupport
import XCTest

/// The result cache end to end through the claimbench executable built beside the test bundle:
/// `run` twice, `why`, `--no-cache`, and several processes writing one cache folder at once. Runs
/// the real kde experiment on a reduced smoke preset (its claims and figures left out, so that the
/// reduced grid plans), about a second per run.
final class ResultCacheProcessTests: XCTestCase {
    private struct Outcome {
        var status: Int32
        var output: String
    }

    private static let reduced = ["--set", "dimensions=[10]", "--set", "alphas=[0.3]", "--set", "queries=8", "--set", "replicates=4"]

    private func executable() throws -> URL {
        let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("claimbench")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("no claimbench executable beside the test bundle (\(url.path)); run `swift build` first")
        }
        return url
    }

    /// A started claimbench; `finish` waits for it.
    private func start(_ arguments: [String], root: URL) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments + ["--root", root.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return (process, output)
    }

    private func finish(_ started: (Process, Pipe)) -> Outcome {
        let text = String(decoding: started.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        started.0.waitUntilExit()
        return Outcome(status: started.0.terminationStatus, output: text)
    }

    private func claimbench(_ arguments: [String], root: URL) throws -> Outcome { finish(try start(arguments, root: root)) }

    /// A repository holding suites/kde.toml without its claims and figures.
    private func kdeRepository() throws -> TemporaryDirectory {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: repository.appendingPathComponent("suites/kde.toml"), encoding: .utf8)
        var kept: [Substring] = [], skipping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("[") { skipping = line == "[[claims]]" || line == "[[figures]]" }
            if !skipping { kept.append(line) }
        }
        let scratch = TemporaryDirectory()
        scratch.write(kept.joined(separator: "\n"), to: "suites/kde.toml")
        return scratch
    }

    private func record(_ directory: URL) throws -> RunRecord {
        let runs = ResultStore(repositoryRoot: directory).runDirectories(under: directory)
        return try ResultStore(repositoryRoot: directory).loadRecord(in: try XCTUnwrap(runs.last, "no run under \(directory.path)"))
    }

    func testASecondRunComesFromTheCacheWhyExplainsAndNoCacheRecomputes() throws {
        let scratch = try kdeRepository()
        let root = scratch.url
        let outs = (1...3).map { root.appendingPathComponent("out\($0)") }
        let first = try claimbench(["run", "kde", "--preset", "smoke", "--out", outs[0].path] + Self.reduced, root: root)
        XCTAssertEqual(first.status, 0, first.output)
        XCTAssertTrue(first.output.contains("  0 of 1 units from the cache\n"), first.output)

        // One line per unit after the header (the reduced preset is one unit, whatever its id).
        func unitLines(_ outcome: Outcome) -> [String] {
            let lines = outcome.output.split(separator: "\n").filter { $0.hasPrefix("  ") }.map { String($0.drop { $0 == " " }) }
            XCTAssertEqual(lines.count, 1, outcome.output)
            return lines
        }
        let why = try claimbench(["why", "kde", "--preset", "smoke"] + Self.reduced, root: root)
        XCTAssertEqual(why.status, 0, why.output)
        XCTAssertTrue(why.output.hasPrefix("kde (smoke, seed 20240811): 1 of 1 units cached, 0 would run\n"), why.output)
        XCTAssertTrue(unitLines(why).allSatisfy { $0.hasSuffix("  cached") }, why.output)
        let edited = try claimbench(["why", "kde", "--preset", "smoke"] + Self.reduced + ["--set", "queries=16"], root: root)
        XCTAssertTrue(unitLines(edited).allSatisfy { $0.hasSuffix("  parameter `queries` 8 → 16") }, edited.output)
        let otherSeed = try claimbench(["why", "kde", "--preset", "smoke", "--seed", "3"] + Self.reduced, root: root)
        XCTAssertTrue(unitLines(otherSeed).allSatisfy { $0.hasSuffix("  seed 20240811 → 3") }, otherSeed.output)

        let second = try claimbench(["run", "kde", "--preset", "smoke", "--out", outs[1].path] + Self.reduced, root: root)
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertTrue(second.output.contains("  1 of 1 units from the cache\n"), second.output)
        let (a, b) = (try record(outs[0]), try record(outs[1]))
        XCTAssertEqual(b.provenance.unitCache?.fromCache, 1)
        XCTAssertEqual(b.provenance.codeFingerprint, a.provenance.codeFingerprint)
        XCTAssertEqual(a.provenance.codeFingerprint?.module, "KernelDensityExperiment")
        XCTAssertEqual(b.metrics.keys.sorted(), a.metrics.keys.sorted())
        for (name, metric) in a.metrics { XCTAssertEqual(b.metrics[name]?.value.bitPattern, metric.value.bitPattern, "\(name)") }

        let fresh = try claimbench(["run", "kde", "--preset", "smoke", "--no-cache", "--out", outs[2].path] + Self.reduced, root: root)
        XCTAssertEqual(fresh.status, 0, fresh.output)
        XCTAssertTrue(fresh.output.contains("  0 of 1 units from the cache (--no-cache: all recomputed, entries refreshed)\n"), fresh.output)
        XCTAssertEqual(try record(outs[2]).provenance.unitCache?.mode, .refresh)
    }

    func testProcessesWritingOneCacheFolderAtOnceLeaveWholeEntries() throws {
        let scratch = try kdeRepository()
        let root = scratch.url
        // Four writers at once: two per seed, so two race on each entry and two entries are written side by side.
        let seeds = [1, 1, 2, 2]
        let started = try seeds.enumerated().map { index, seed in
            try start(["run", "kde", "--preset", "smoke", "--no-cache", "--seed", "\(seed)", "--out", root.appendingPathComponent("w\(index)").path]
                      + Self.reduced, root: root)
        }
        for (index, outcome) in started.map(finish).enumerated() { XCTAssertEqual(outcome.status, 0, "writer \(index): \(outcome.output)") }
        let folder = root.appendingPathComponent("results/cache/kde")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(names.filter { $0.hasSuffix(".tmp") }, [], "no temporary left")
        XCTAssertEqual(names.filter { $0.hasSuffix(".unit") }.count, 2, "one entry per seed")
        // Every entry reads back whole: both seeds now come from the cache, with the writers' values.
        for (seed, writer) in [(1, 0), (2, 2)] {
            let out = root.appendingPathComponent("r\(seed)")
            let reread = try claimbench(["run", "kde", "--preset", "smoke", "--seed", "\(seed)", "--out", out.path] + Self.reduced, root: root)
            XCTAssertTrue(reread.output.contains("  1 of 1 units from the cache\n"), reread.output)
            let (cached, written) = (try record(out), try record(root.appendingPathComponent("w\(writer)")))
            for (name, metric) in written.metrics where metric.metricClass != .timing {
                XCTAssertEqual(cached.metrics[name]?.value.bitPattern, metric.value.bitPattern, "seed \(seed): \(name)")
            }
        }
    }
}
