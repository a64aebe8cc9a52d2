import Foundation
import HarnessCore
import TestSupport
import XCTest

@testable import ClaimBenchCLI

/// `claimbench perf --peers` without any Python peer installed: every peer still gets a row,
/// `missing` when Python or its package is absent, `crashed` (with the log's tail) when the
/// script fails, and the exit status is unaffected. No timing is asserted.
final class PeerComparisonTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testAgreementIsTheLargestDifferenceOverTheLargestOurs() {
        let ours = NumPyArray(shape: [3], float64: [2, -4, 1])
        XCTAssertEqual(PeerComparison.agreement(ours: ours, peer: NumPyArray(shape: [3], float64: [2, -4, 1])), 0)
        XCTAssertEqual(PeerComparison.agreement(ours: ours, peer: NumPyArray(shape: [3], float64: [2.5, -4, 0])), 0.25)
        XCTAssertNil(PeerComparison.agreement(ours: ours, peer: NumPyArray(shape: [1, 3], float64: [2, -4, 1])))
        XCTAssertTrue(PeerComparison.agreement(ours: ours, peer: NumPyArray(shape: [3], float64: [.nan, -4, 1]))!.isNaN)
        // Float32 outputs compare widened; a scalar against a scalar.
        XCTAssertEqual(PeerComparison.agreement(ours: NumPyArray(scalar: 8), peer: NumPyArray(scalar: 6)), 0.25)
        XCTAssertEqual(PeerComparison.agreement(ours: NumPyArray(shape: [2], float32: [1, 0.5]), peer: NumPyArray(shape: [2], float32: [1, 0.75])), 0.25)
    }

    func testRowsSayMeasuredMissingOrCrashedInTheCSV() {
        let rows = [
            PeerRow(workload: "w", oursSeconds: 2, peer: "a", bound: 1e-8, outcome: .measured(seconds: 3, agreement: 1e-9)),
            PeerRow(workload: "w", oursSeconds: 2, peer: "b", bound: 1e-8, outcome: .measured(seconds: 1, agreement: 1e-3)),
            PeerRow(workload: "w", oursSeconds: 2, peer: "c", bound: 1e-8, outcome: .missing("cannot import ot")),
            PeerRow(workload: "w", oursSeconds: 2, peer: "d", bound: 1e-8, outcome: .crashed("exit 1: boom")),
        ]
        XCTAssertEqual(rows.map(\.ratio), [1.5, 0.5, nil, nil])
        XCTAssertEqual(rows.map(\.withinBound), [true, false, nil, nil])
        XCTAssertEqual(PeerComparison.table(rows).rendered(), """
            workload,ours_seconds,peer,peer_seconds,ratio,agreement
            w,2.0,a,3.0,1.5,1e-09
            w,2.0,b,1.0,0.5,0.001
            w,2.0,c,missing,NaN,NaN
            w,2.0,d,crashed,NaN,NaN

            """)
        let text = PeerComparison.rendered(rows)
        XCTAssertTrue(text.contains("c missing: cannot import ot"), text)
        XCTAssertTrue(text.contains("d crashed: exit 1: boom"), text)
        XCTAssertTrue(text.contains(" NO"), text)
    }

    /// A fake python that fails as a Python without the package would, or crashes otherwise.
    private func fakePython(_ scratch: TemporaryDirectory, _ name: String, stderr: String, status: Int) -> String {
        let url = scratch.write("#!/bin/sh\ncat >&2 <<'EOT'\n\(stderr)\nEOT\nexit \(status)\n",
                                to: "bin/\(name)")
        chmod(url.path, 0o755)
        return url.path
    }

    private func exportedWorkload(_ scratch: TemporaryDirectory) throws -> URL {
        let peers = scratch.url.appendingPathComponent("run/peers")
        try PeerExport.write(PeerWorkload(
            kind: "sinkhorn", name: "sinkhorn/n=2", inputs: ["cost": NumPyArray(shape: [2, 2], float64: [0, 1, 1, 0])],
            cases: [.init(name: "sinkhorn/n=2", oursMetric: "n=2/sinkhorn_iteration_seconds", oursOutput: NumPyArray(scalar: 0.5))]), to: peers.appendingPathComponent("inputs"))
        return peers
    }

    func testMissingPackageMissingPythonAndCrashEachGiveEveryPeerARow() throws {
        let scratch = TemporaryDirectory()
        let peers = try exportedWorkload(scratch)
        let metrics: [MetricName: Metric] = ["n=2/sinkhorn_iteration_seconds": .timing(1e-3, unit: "s")]
        func rows(python: String) throws -> [PeerRow] {
            let process = PeerProcess(python: python, scriptsDirectory: Self.repository.appendingPathComponent("peers"), threads: 1, timeoutSeconds: 60)
            return try PeerComparison.run(peerDirectory: peers, metrics: metrics, process: process)
        }
        let importFails = fakePython(scratch, "no-ot", stderr: "Traceback (most recent call last):\nModuleNotFoundError: No module named 'ot'", status: 1)
        let missing = try rows(python: importFails)
        XCTAssertEqual(missing.map(\.peer), ["pot.sinkhorn", "pot.sinkhorn_log"])
        XCTAssertEqual(missing.map(\.workload), ["sinkhorn/n=2", "sinkhorn/n=2"])
        XCTAssertEqual(missing.map(\.oursSeconds), [1e-3, 1e-3])
        for row in missing {
            guard case .missing(let reason) = row.outcome else { return XCTFail("\(row)") }
            XCTAssertTrue(reason.contains("No module named 'ot'"), reason)
        }
        let signalled = fakePython(scratch, "exit3", stderr: "missing: cannot import numpy", status: 3)
        XCTAssertEqual(try rows(python: signalled).map(\.outcome), [.missing("missing: cannot import numpy"), .missing("missing: cannot import numpy")])

        let nowhere = scratch.url.appendingPathComponent("no/python").path
        for row in try rows(python: nowhere) {
            guard case .missing(let reason) = row.outcome else { return XCTFail("\(row)") }
            XCTAssertTrue(reason.contains("no Python at \(nowhere)"), reason)
        }
        let crash = fakePython(scratch, "crash", stderr: "Traceback (most recent call last):\nValueError: boom", status: 1)
        for row in try rows(python: crash) {
            guard case .crashed(let reason) = row.outcome else { return XCTFail("\(row)") }
            XCTAssertTrue(reason.hasPrefix("exit 1:") && reason.contains("ValueError: boom"), reason)
        }
    }

    func testPerfWithPeersWritesMissingRowsAndSucceeds() throws {
        let scratch = TemporaryDirectory()
        var declaration = try String(contentsOf: Self.repository.appendingPathComponent("suites/sinkhorn.toml"), encoding: .utf8)
        let perf = try XCTUnwrap(declaration.range(of: "[perf]\nn = [500, 1000, 2000]\nrepetitions = 7"), "the test edits sinkhorn's [perf] table")
        declaration.replaceSubrange(perf, with: "[perf]\nn = [128]\nrepetitions = 3")
        scratch.write(declaration, to: "suites/sinkhorn.toml")
        let python = fakePython(scratch, "python", stderr: "ModuleNotFoundError: No module named 'numpy'", status: 1)
        let (status, message) = ClaimBenchCommand.execute(["perf", "sinkhorn", "--peers", "--python", python, "--root", scratch.url.path])
        XCTAssertEqual(status, 0, message ?? "")
        let runs = scratch.url.appendingPathComponent("results/runs")
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix("-sinkhorn-perf") }
        XCTAssertEqual(names.count, 1, "\(names)")
        let run = runs.appendingPathComponent(names[0])
        let csv = try String(contentsOf: run.appendingPathComponent("peers.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "workload,ours_seconds,peer,peer_seconds,ratio,agreement")
        XCTAssertEqual(lines.count, 3, csv)
        for (line, peer) in zip(lines.dropFirst(), ["pot.sinkhorn", "pot.sinkhorn_log"]) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(cells[0], "sinkhorn/n=128")
            XCTAssertGreaterThan(Double(cells[1]) ?? 0, 0, "our own time comes from the same run: \(line)")
            XCTAssertEqual(Array(cells[2...]), [peer, "missing", "NaN", "NaN"])
        }
        // The exported inputs are removed after the peers ran; the log stays.
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.appendingPathComponent("peers/inputs").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent("peers/logs/sinkhorn_n=128.log").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent("run.json").path))
    }

    func testPeerOptionsNeedPeersAndADefaultPython() {
        XCTAssertEqual(ClaimBenchCommand.execute(["perf", "--python", "/x"]).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(ClaimBenchCommand.execute(["perf", "--peers", "--peer-timeout", "0"]).0, ExitStatus.usage.rawValue)
        let scratch = TemporaryDirectory()
        XCTAssertEqual(PerfCommand.peerPython(option: nil, root: scratch.url), "python3")
        let venv = scratch.write("#!/bin/sh\n", to: ".venv-peers/bin/python")
        chmod(venv.path, 0o755)
        XCTAssertEqual(PerfCommand.peerPython(option: nil, root: scratch.url), venv.path)
        XCTAssertEqual(PerfCommand.peerPython(option: "/opt/py", root: scratch.url), "/opt/py")
    }

    func testReportShowsTheNewestPeersTableOfEachSuite() throws {
        let scratch = TemporaryDirectory()
        scratch.write(uniformMeanDeclaration(), to: "suites/uniform.toml")
        let header = PeerComparison.columns.joined(separator: ",")
        for (stamp, ratio) in [("20260101T000000Z", "9.0"), ("20260102T000000Z", "1.5")] {
            scratch.write("{}", to: "results/runs/\(stamp)-uniform-perf/run.json")
            scratch.write("\(header)\nsinkhorn/n=500,2.0,pot.sinkhorn,3.0,\(ratio),1e-12\nsinkhorn/n=500,2.0,pot.sinkhorn_log,missing,NaN,NaN\n",
                          to: "results/runs/\(stamp)-uniform-perf/peers.csv")
        }
        let workspace = try Workspace(root: scratch.url.path, experiments: [RegisteredExperiment(UniformMeanExperiment.self)])
        let text = PeerReportSection.markdown(suites: ["uniform"], workspace: workspace)
        XCTAssertTrue(text.contains("20260102T000000Z-uniform-perf/peers.csv"), text)
        XCTAssertTrue(text.contains("| sinkhorn/n=500 | 2 | pot.sinkhorn | 3 | 1.50 | 1.0e-12 | 1e-08 | yes |"), text)
        XCTAssertTrue(text.contains("| pot.sinkhorn_log | missing |"), text)
        XCTAssertFalse(text.contains("9.00"), text)
        XCTAssertEqual(PeerReportSection.markdown(suites: ["other"], workspace: workspace), "")
    }
}
