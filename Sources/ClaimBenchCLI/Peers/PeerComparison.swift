import Foundation
import HarnessCore

/// One row of `peers.csv`: our time and a peer's on the same workload, or why the peer has none.
struct PeerRow: Equatable {
    enum Outcome: Equatable {
        /// Median seconds and the agreement: max |peer − ours| over max |ours|.
        case measured(seconds: Double, agreement: Double)
        case missing(String)
        case crashed(String)
    }

    var workload: String
    /// Our median seconds from the benchmark's own metric (NaN if the metric is absent).
    var oursSeconds: Double
    var peer: String
    var bound: Double
    var outcome: Outcome

    /// Peer time over ours: above 1 means ours is faster.
    var ratio: Double? {
        guard case .measured(let seconds, _) = outcome else { return nil }
        return seconds / oursSeconds
    }

    /// Whether the agreement is within the bound; nil without a measurement.
    var withinBound: Bool? {
        guard case .measured(_, let agreement) = outcome else { return nil }
        return agreement <= bound
    }
}

/// Runs the peer scripts on every workload a benchmark exported and builds `peers.csv`.
enum PeerComparison {
    static let columns = ["workload", "ours_seconds", "peer", "peer_seconds", "ratio", "agreement"]

    /// The largest |peer − ours| over the largest |ours| (normwise relative difference, ∞-norm);
    /// nil when the shapes differ. NaN anywhere gives NaN, never within a bound.
    static func agreement(ours: NumPyArray, peer: NumPyArray) -> Double? {
        guard ours.shape == peer.shape else { return nil }
        let a = ours.doubles, b = peer.doubles
        var difference = 0.0, scale = 0.0
        for i in a.indices {
            let delta = abs(b[i] - a[i])
            if delta.isNaN || a[i].isNaN { return .nan }
            difference = max(difference, delta)
            scale = max(scale, abs(a[i]))
        }
        return scale > 0 ? difference / scale : difference
    }

    /// `peers/results/<workload>.json` as the scripts write it (`peers/common.py`).
    struct ResultFile: Decodable {
        struct Entry: Decodable {
            var `case`: String
            var peer: String
            var seconds: Double
            var output: String
        }
        struct Failure: Decodable {
            var `case`: String
            var peer: String
            var error: String
        }
        var results: [Entry]
        var missing: [String: String]
        var errors: [Failure]
    }

    /// Rows for every workload under `peerDirectory/inputs` (by directory name, numbers in numeric order), each case
    /// times each peer of its kind's script, in that order. Nothing is dropped: a peer that cannot
    /// run, fails or returns no output gets a `missing` or `crashed` row.
    static func run(peerDirectory: URL, metrics: [MetricName: Metric], process: PeerProcess,
                    progress: (String) -> Void = { _ in }) throws -> [PeerRow] {
        let inputs = peerDirectory.appendingPathComponent("inputs")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: inputs.path)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        var rows: [PeerRow] = []
        for name in names {
            let folder = inputs.appendingPathComponent(name)
            let manifest = try PeerExport.manifest(in: folder)
            guard let script = PeerScript.script(forKind: manifest.kind) else {
                throw PeerFileError(path: folder.appendingPathComponent("workload.json").path,
                                    problem: "kind \"\(manifest.kind)\" has no peer script (known: \(PeerScript.all.map(\.kind).joined(separator: ", ")))")
            }
            progress("\(manifest.workload): \(script.script)")
            let outputs = peerDirectory.appendingPathComponent("outputs/\(name)")
            let result = peerDirectory.appendingPathComponent("results/\(name).json")
            let log = peerDirectory.appendingPathComponent("logs/\(name).log")
            for directory in [outputs, result.deletingLastPathComponent(), log.deletingLastPathComponent()] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
            let ending = process.run(script, workload: folder, result: result, outputs: outputs, log: log)
            // Also read after a non-zero exit: a script that finds a package missing says which peers.
            let file = FileManager.default.contents(atPath: result.path).flatMap { try? JSONDecoder().decode(ResultFile.self, from: $0) }
            for item in manifest.cases {
                let ours = metrics[MetricName(item.oursMetric)]?.value ?? .nan
                for peer in script.peers {
                    let outcome = Self.outcome(
                        case: item.name, peer: peer, ending: ending, file: file, result: result,
                        oursOutput: folder.appendingPathComponent(item.oursOutput), outputs: outputs)
                    rows.append(PeerRow(workload: item.name, oursSeconds: ours, peer: peer, bound: script.bound, outcome: outcome))
                }
            }
        }
        return rows
    }

    private static func outcome(case name: String, peer: String, ending: PeerProcess.Ending, file: ResultFile?, result: URL,
                                oursOutput: URL, outputs: URL) -> PeerRow.Outcome {
        if let reason = file?.missing[peer] { return .missing(reason) }
        switch ending {
        case .missing(let reason): return .missing(reason)
        case .crashed(let reason): return .crashed(reason)
        case .finished: break
        }
        guard let file else { return .crashed("no readable result file \(result.lastPathComponent)") }
        if let failure = file.errors.first(where: { $0.case == name && $0.peer == peer }) { return .crashed(failure.error) }
        guard let entry = file.results.first(where: { $0.case == name && $0.peer == peer }) else {
            return .crashed("the script returned no result for this case")
        }
        do {
            let ours = try NumPyArray.read(oursOutput)
            let theirs = try NumPyArray.read(outputs.appendingPathComponent(entry.output))
            guard let agreement = agreement(ours: ours, peer: theirs) else {
                return .crashed("output shape \(theirs.shape) differs from ours \(ours.shape)")
            }
            return .measured(seconds: entry.seconds, agreement: agreement)
        } catch {
            return .crashed("\(error)")
        }
    }

    /// `peers.csv`: numbers where measured; `missing` or `crashed` in peer_seconds (ratio and
    /// agreement NaN) where not.
    static func table(_ rows: [PeerRow]) -> CSVTable {
        var table = CSVTable(columns: columns)
        for row in rows {
            switch row.outcome {
            case .measured(let seconds, let agreement):
                table.append([.text(row.workload), .number(row.oursSeconds), .text(row.peer), .number(seconds),
                              .number(row.ratio!), .number(agreement)])
            case .missing:
                table.append([.text(row.workload), .number(row.oursSeconds), .text(row.peer), .text("missing"), .number(.nan), .number(.nan)])
            case .crashed:
                table.append([.text(row.workload), .number(row.oursSeconds), .text(row.peer), .text("crashed"), .number(.nan), .number(.nan)])
            }
        }
        return table
    }

    /// The terminal table: each row with its bound and whether the agreement is within it; the
    /// reasons of missing and crashed peers below it (one line per distinct reason and peer).
    static func rendered(_ rows: [PeerRow]) -> String {
        var text = TextTable("workload", "ours s", "peer", "peer s", "ratio", "agreement", "bound", "within")
        var reasons: [String] = []
        for row in rows {
            switch row.outcome {
            case .measured(let seconds, let agreement):
                text.add(row.workload, formatted(row.oursSeconds), row.peer, formatted(seconds), String(format: "%.2f", row.ratio!),
                         String(format: "%.1e", agreement), String(format: "%.0e", row.bound), row.withinBound! ? "yes" : "NO")
            case .missing(let reason), .crashed(let reason):
                let word = if case .missing = row.outcome { "missing" } else { "crashed" }
                text.add(row.workload, formatted(row.oursSeconds), row.peer, word, "", "", String(format: "%.0e", row.bound), "—")
                let line = "\(row.peer) \(word): \(reason)"
                if !reasons.contains(line) { reasons.append(line) }
            }
        }
        return ([text.rendered()] + reasons.map { "  " + $0 }).joined(separator: "\n")
    }
}
