import Foundation
import HarnessCore

/// The report's "Peers" section: for each suite, the `peers.csv` of its newest `perf` run that
/// has one (`claimbench perf --peers`), as a Markdown table with each row's bound and whether the
/// agreement is within it.
enum PeerReportSection {
    /// The newest run directory of each suite holding a `peers.csv`, in the order of `suites`.
    static func newestTables(suites: [SuiteID], store: ResultStore) -> [(SuiteID, URL)] {
        let runs = store.runDirectories()
        return suites.compactMap { suite in
            runs.last { $0.lastPathComponent.contains("-\(suite)-perf") && FileManager.default.fileExists(atPath: $0.appendingPathComponent("peers.csv").path) }
                .map { (suite, $0) }
        }
    }

    /// Markdown; empty when no suite has a `peers.csv`.
    static func markdown(suites: [SuiteID], workspace: Workspace) -> String {
        let tables = newestTables(suites: suites, store: workspace.store)
        guard !tables.isEmpty else { return "" }
        var text = "## Peers\n\nFrom `claimbench perf --peers`: the same inputs timed by ClaimBench and by each peer in one run;"
            + " ratio = peer time / ours (above 1: ours is faster); agreement = largest output difference over the largest |ours|.\n\n"
        for (suite, run) in tables {
            let csv = (try? String(contentsOf: run.appendingPathComponent("peers.csv"), encoding: .utf8)) ?? ""
            text += "### \(suite) (`\(workspace.displayPath(run))/peers.csv`)\n\n"
            text += "| workload | ours (s) | peer | peer (s) | ratio | agreement | bound | within |\n|---|---|---|---|---|---|---|---|\n"
            for line in csv.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard cells.count == PeerComparison.columns.count else { continue }
                let bound = PeerScript.all.first { $0.peers.contains(cells[2]) }?.bound
                let agreement = Double(cells[5])
                let within = agreement.flatMap { a in bound.map { a.isNaN ? "—" : (a <= $0 ? "yes" : "**no**") } } ?? "—"
                let ratio = Double(cells[4]).map { $0.isNaN ? "" : String(format: "%.2f", $0) } ?? ""
                text += "| \(cells[0]) | \(number(cells[1])) | \(cells[2]) | \(number(cells[3])) | \(ratio) | \(agreement.map { $0.isNaN ? "" : String(format: "%.1e", $0) } ?? "")"
                    + " | \(bound.map { String(format: "%.0e", $0) } ?? "") | \(within) |\n"
            }
            text += "\n"
        }
        return text
    }

    private static func number(_ cell: String) -> String {
        guard let value = Double(cell) else { return cell }
        return String(format: "%.3g", value)
    }
}
