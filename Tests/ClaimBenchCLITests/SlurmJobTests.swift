import Foundation
import HarnessCore
import TestSupport
import XCTest

@testable import ClaimBenchCLI

/// The scripts `claimbench slurm` writes: resources, pinned threads, quoting, the dependency.
final class SlurmJobTests: XCTestCase {
    private func job(partition: String? = "short", time: String? = "0:30:00") -> SlurmJob {
        SlurmJob(
            suite: "kde", preset: .smoke, shards: 3, strategy: .roundRobin, cpusPerTask: 4, partition: partition, time: time,
            executable: "/opt/claim bench/bin/claimbench", root: "/shared/it's here", folder: "/shared/it's here/results/slurm/job 1")
    }

    private func lines(_ script: String) -> [String] { script.split(separator: "\n").map(String.init) }

    func testQuotingKeepsEveryPathOneWord() throws {
        XCTAssertEqual(SlurmJob.quoted("a b"), "'a b'")
        XCTAssertEqual(SlurmJob.quoted("it's"), "'it'\\''s'")
        // The shell reads the quoted text back unchanged.
        for text in ["plain", "with space", "it's", "$HOME `x` \"q\" \\ ;|&"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "printf %s \(SlurmJob.quoted(text))"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(output, text)
        }
    }

    func testShardArrayPinsThreadsAndRunsOneShardPerTask() {
        let script = job().shardsScript
        let shown = lines(script)
        XCTAssertEqual(shown.first, "#!/bin/bash")
        for directive in ["#SBATCH --array=1-3", "#SBATCH --cpus-per-task=4", "#SBATCH --ntasks=1", "#SBATCH --partition=short",
                          "#SBATCH --time=0:30:00", "#SBATCH --job-name=claimbench-kde-smoke"] {
            XCTAssertTrue(shown.contains(directive), "missing \(directive) in\n\(script)")
        }
        // Directives come before the first command, or sbatch ignores them.
        let lastDirective = shown.lastIndex { $0.hasPrefix("#SBATCH") }!
        XCTAssertLessThan(lastDirective, shown.firstIndex(of: "set -euo pipefail")!)
        XCTAssertTrue(shown.contains("export OPENBLAS_NUM_THREADS=4 OMP_NUM_THREADS=4"), script)
        XCTAssertTrue(shown.contains("claimbench='/opt/claim bench/bin/claimbench'"), script)
        XCTAssertTrue(shown.contains("root='/shared/it'\\''s here'"), script)
        XCTAssertTrue(shown.contains(
            "exec \"$claimbench\" run 'kde' --root \"$root\" --preset 'smoke' --shard \"$task/3\" --shard-strategy round-robin"
                + " --threads 4 --out \"$job/shards/$task\""), script)
        var fresh = job()
        fresh.noCache = true
        XCTAssertTrue(fresh.shardsScript.contains("--out \"$job/shards/$task\" --no-cache"), fresh.shardsScript)
        XCTAssertFalse(script.contains("--no-cache"), "the cache is used unless asked otherwise")
    }

    func testWithoutPartitionOrTimeTheClusterDefaultsApply() {
        let script = job(partition: nil, time: nil).shardsScript
        XCTAssertFalse(script.contains("--partition"))
        XCTAssertFalse(script.contains("--time"))
    }

    func testMergeJobMergesEveryShardThenChecksAgainstTheGolden() {
        let script = job().mergeScript
        let shown = lines(script)
        XCTAssertFalse(script.contains("--array"))
        XCTAssertTrue(shown.contains("#SBATCH --cpus-per-task=1"), script)
        XCTAssertTrue(shown.contains("for task in $(seq 1 3); do"), script)
        let merge = shown.firstIndex { $0.hasPrefix("\"$claimbench\" merge --root \"$root\" --out \"$job/merged\" \"${shards[@]}\"") }
        let check = shown.firstIndex { $0 == "exec \"$claimbench\" check 'kde' --root \"$root\" --preset 'smoke' --from \"$merged\"" }
        XCTAssertNotNil(merge, script)
        XCTAssertNotNil(check, script)
        XCTAssertLessThan(merge!, check!)
        XCTAssertTrue(script.contains("if [ ! -f \"$root/results/golden/kde/smoke.json\" ]; then"), script)
    }

    func testSubmitScriptMakesTheMergeDependOnTheArray() {
        let script = job().submitScript
        XCTAssertTrue(script.contains("array_id=\"$(sbatch --parsable --output=\"$job/logs/shard-%a.out\" \"$job/shards.sbatch\")\""), script)
        XCTAssertTrue(script.contains("sbatch --parsable --dependency=\"afterok:$array_id\" --output=\"$job/logs/merge.out\" \"$job/merge.sbatch\""), script)
        XCTAssertTrue(script.contains("job='/shared/it'\\''s here/results/slurm/job 1'"), script)
        XCTAssertTrue(script.contains("echo \"merge job: $merge_id\""), script)
    }

    /// Every script is valid bash (bash -n parses without running).
    func testScriptsParse() throws {
        let scratch = TemporaryDirectory()
        let generated = job()
        for (name, text) in [("shards", generated.shardsScript), ("merge", generated.mergeScript), ("submit", generated.submitScript)] {
            let file = scratch.write(text, to: "\(name).sh")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-n", file.path]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "\(name) does not parse:\n\(text)")
        }
    }

    func testCommandWritesTheScriptsAndRefusesBadOptions() throws {
        let scratch = TemporaryDirectory()
        XCTAssertEqual(ClaimBenchCommand.execute(["slurm", "kde", "--shards", "0"]).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(ClaimBenchCommand.execute(["slurm", "kde", "--shards", "2", "--time", "1 hour"]).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(ClaimBenchCommand.execute(["slurm", "kde", "--shards", "2", "--partition", "a b"]).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(ClaimBenchCommand.execute(["slurm", "kde", "--shards", "2", "--shard-strategy", "x"]).0, ExitStatus.usage.rawValue)

        // The real suites: scripts written under --out, naming this executable by its absolute path.
        let out = scratch.url.appendingPathComponent("job")
        let repository = PlanningTests.repository.path
        let (status, message) = ClaimBenchCommand.execute(["slurm", "kde", "--root", repository, "--preset", "smoke", "--shards", "2", "--out", out.path])
        XCTAssertEqual(status, 0, message ?? "")
        let shards = try String(contentsOf: out.appendingPathComponent("shards.sbatch"), encoding: .utf8)
        XCTAssertTrue(shards.contains("claimbench=\(SlurmJob.quoted(SlurmCommand.executablePath()))"), shards)
        XCTAssertTrue(SlurmCommand.executablePath().hasPrefix("/"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("merge.sbatch").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("submit.sh").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("logs").path))
    }
}
