import Foundation
import HarnessCore
import LinearAlgebra

/// Reruns one suite's preset under perturbations (another OpenBLAS core, another thread count),
/// each in a child `claimbench run` process: OpenBLAS chooses its core when the library loads,
/// so a core can only be changed in a new process (`OPENBLAS_CORETYPE` set in its environment).
struct PerturbedRuns {
    let workspace: Workspace

    /// The default calibration set around the recorded run (`base`): the same core with 2
    /// threads, and two other cores the CPU can run, with 1 thread. Together with the recorded
    /// run that covers 1 and 2 threads and three cores (docs/ARCHITECTURE.md, "Golden check").
    static func defaultSet(base: GoldenFile.Perturbation) -> [GoldenFile.Perturbation] {
        let others = BLASCore.calibrationAlternatives(for: .current(), inUse: base.blasCore, count: 2)
        return [GoldenFile.Perturbation(blasCore: base.blasCore, threads: base.threads == 2 ? 1 : 2)]
            + others.map { GoldenFile.Perturbation(blasCore: $0.rawValue, threads: base.threads) }
    }

    /// The vector ISA path a perturbed run is forced to: the run that plays an old machine with
    /// OpenBLAS's generic Prescott core also runs the C vector kernels on their baseline path, so
    /// the goldens' measured spreads cover the ISA paths too; other runs inherit the caller's path.
    static func vectorISA(for perturbation: GoldenFile.Perturbation) -> VectorISA? {
        perturbation.blasCore.lowercased() == BLASCore.prescott.rawValue.lowercased() ? .baseline : nil
    }

    /// Parses `--perturb`: `default`, `none`, or a list like `Haswell:1,Prescott:2`.
    static func parse(_ text: String, base: GoldenFile.Perturbation) throws -> [GoldenFile.Perturbation] {
        switch text {
        case "default": return defaultSet(base: base)
        case "none": return []
        default:
            return try text.split(separator: ",").map { item in
                let parts = item.split(separator: ":")
                guard parts.count == 2, let threads = Int(parts[1]), threads >= 1 else {
                    throw CLIError("--perturb: \"\(item)\" is not CORE:THREADS (e.g. Haswell:1,Prescott:2), `default` or `none`", status: .usage)
                }
                guard let core = BLASCore(name: String(parts[0])) else {
                    throw CLIError("--perturb: unknown OpenBLAS core \"\(parts[0])\"; known: \(BLASCore.allCases.map(\.rawValue).joined(separator: ", "))", status: .usage)
                }
                if let refusal = core.refusal(on: .current()) { throw CLIError("--perturb: \(refusal)", status: .usage) }
                return GoldenFile.Perturbation(blasCore: core.rawValue, threads: threads)
            }
        }
    }

    /// Runs `suite` at `preset` with `seed` under `perturbation` and returns its record.
    func run(
        _ declaration: SuiteDeclaration, preset: PresetName, seed: UInt64, under perturbation: GoldenFile.Perturbation
    ) throws -> RunRecord {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("claimbench-calibration-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let log = scratch.appendingPathComponent("output.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)

        let process = Process()
        process.executableURL = try Self.ownExecutable()
        process.arguments = Self.childArguments(
            suite: declaration.id, preset: preset, seed: seed, threads: perturbation.threads, output: scratch.path, root: workspace.root.path)
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = perturbation.blasCore
        if let isa = Self.vectorISA(for: perturbation) { environment[VectorISA.environmentVariable] = isa.rawValue }
        process.environment = environment
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? handle.close()

        // 0: every claim held; 2: a claim not reproduced (a finding, and still a complete run).
        guard process.terminationReason == .exit, [0, 2].contains(process.terminationStatus) else {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let tail = output.split(separator: "\n").suffix(8).joined(separator: "\n    ")
            throw CLIError("the rerun of \(declaration.id) under \(perturbation) failed (status \(process.terminationStatus)):\n    \(tail)")
        }
        guard let directory = workspace.store.runDirectories(under: scratch).last else {
            throw CLIError("the rerun of \(declaration.id) under \(perturbation) wrote no run record")
        }
        let record = try workspace.store.loadRecord(in: directory)
        guard record.provenance.blasCoreName == perturbation.blasCore else {
            throw CLIError("the rerun of \(declaration.id) asked OpenBLAS for core \(perturbation.blasCore) but ran "
                + "\(record.provenance.blasCoreName ?? "an unknown core"); this OpenBLAS cannot force that core")
        }
        return record
    }

    /// The child's command line. Always `--no-cache`: a calibration measures how values move
    /// under the perturbation, which a result read from the cache would not show.
    static func childArguments(suite: SuiteID, preset: PresetName, seed: UInt64, threads: Int, output: String, root: String) -> [String] {
        [
            "run", suite.rawValue, "--preset", preset.rawValue, "--seed", String(seed), "--threads", String(threads),
            "--out", output, "--root", root, "--no-cache",
        ]
    }

    /// This program's own path (Linux: /proc/self/exe).
    static func ownExecutable() throws -> URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        guard let url = Bundle.main.executableURL else { throw CLIError("cannot find the claimbench executable to rerun it") }
        return url
    }
}
