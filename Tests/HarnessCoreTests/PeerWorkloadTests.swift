import Foundation
import HarnessCore
import TestSupport
import XCTest

/// What `PeerExport` writes for the peer scripts: the manifest and every array, read back.
final class PeerWorkloadTests: XCTestCase {
    func testExportWritesManifestAndArraysThatReadBack() throws {
        let scratch = TemporaryDirectory()
        let data = NumPyArray(shape: [2, 2], float64: [1, 2, 3, 4])
        let workload = PeerWorkload(
            kind: "kde", name: "kde/d=2", parameters: ["block_size": 2],
            inputs: ["data": data],
            cases: [.init(name: "kde/d=2/bandwidths=1", oursMetric: "d=2/kernel_sum_seconds", oursOutput: NumPyArray(scalar: 7),
                          parameters: ["repetitions": 3], inputs: ["bandwidths": NumPyArray(shape: [1], float64: [0.5])])])
        let folder = try PeerExport.write(workload, to: scratch.url.appendingPathComponent("peers/inputs"))
        XCTAssertEqual(folder.lastPathComponent, "kde_d=2")
        let manifest = try PeerExport.manifest(in: folder)
        XCTAssertEqual(manifest.format, 1)
        XCTAssertEqual(manifest.kind, "kde")
        XCTAssertEqual(manifest.workload, "kde/d=2")
        XCTAssertEqual(manifest.parameters, ["block_size": 2])
        XCTAssertEqual(manifest.inputs, ["data": "data.npy"])
        XCTAssertEqual(manifest.cases.count, 1)
        let item = manifest.cases[0]
        XCTAssertEqual(item.name, "kde/d=2/bandwidths=1")
        XCTAssertEqual(item.oursMetric, "d=2/kernel_sum_seconds")
        XCTAssertEqual(item.oursOutput, "ours_0.npy")
        XCTAssertEqual(item.parameters, ["repetitions": 3])
        XCTAssertEqual(item.inputs, ["bandwidths": "bandwidths_0.npy"])
        // The JSON keys the Python side reads (peers/common.py).
        let json = try String(contentsOf: folder.appendingPathComponent("workload.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("\"ours_metric\" : \"d=2/kernel_sum_seconds\""), json)
        XCTAssertEqual(try NumPyArray.read(folder.appendingPathComponent("data.npy")), data)
        XCTAssertEqual(try NumPyArray.read(folder.appendingPathComponent("ours_0.npy")).doubles, [7])
        XCTAssertEqual(try NumPyArray.read(folder.appendingPathComponent("bandwidths_0.npy")).doubles, [0.5])
    }

    func testSubmitHandsTheWorkloadToTheSink() throws {
        let seen = SeenNames()
        let export = PeerExport { seen.append($0.name) }
        try export.submit(PeerWorkload(kind: "k", name: "a", inputs: [:], cases: []))
        try export.submit(PeerWorkload(kind: "k", name: "b", inputs: [:], cases: []))
        XCTAssertEqual(seen.names, ["a", "b"])
    }

    func testUnreadableManifestNamesTheFile() {
        let scratch = TemporaryDirectory()
        scratch.write("{\"format\": 1}", to: "w/workload.json")
        XCTAssertThrowsError(try PeerExport.manifest(in: scratch.url.appendingPathComponent("w"))) { error in
            XCTAssertTrue("\(error)".contains("w/workload.json: not a workload manifest"), "\(error)")
        }
        XCTAssertThrowsError(try PeerExport.manifest(in: scratch.url.appendingPathComponent("none"))) { error in
            XCTAssertTrue("\(error)".contains("none/workload.json: cannot read"), "\(error)")
        }
    }

    func testDirectoryNamesKeepOnlySafeCharacters() {
        XCTAssertEqual(PeerWorkload.directoryName("rnn/lstm/D=16/B=1"), "rnn_lstm_D=16_B=1")
        XCTAssertEqual(PeerWorkload.directoryName("a b/../c"), "a_b_.._c")
    }
}

private final class SeenNames: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ name: String) { lock.withLock { stored.append(name) } }
    var names: [String] { lock.withLock { stored } }
}
