import BuildFingerprint
import ContentDigest
import Foundation
import HarnessCore

/// The code fingerprints this claimbench was built with (`BuildFingerprint`, generated at build
/// time by Plugins/CodeFingerprintPlugin), as result-cache key parts (docs/ARCHITECTURE.md,
/// "Result cache").
struct CodeFingerprints: Sendable {
    var modules: [String: CodeFingerprint]

    /// This build's.
    static let built = CodeFingerprints(modules: ModuleFingerprints.all.reduce(into: [:]) { table, entry in
        table[entry.key] = CodeFingerprint(
            module: entry.key, closure: entry.value.closure,
            sources: entry.value.closureSources.merging([CodeFingerprint.manifest: ModuleFingerprints.manifest]) { old, _ in old })
    })

    func fingerprint(of experiment: RegisteredExperiment) -> CodeFingerprint? { modules[experiment.module] }
}

/// The cache keys of one planned suite's units: every component but the unit id is fixed by the
/// plan, the seed, the code and the platform.
struct UnitKeys {
    let template: UnitCacheKey

    init(plan: SuitePlan, seed: UInt64, code: CodeFingerprint, platform: PlatformFingerprint.ComputeRelevant, workspace: Workspace) throws {
        let declaration = plan.declaration
        let url = workspace.root.appendingPathComponent(declaration.file)
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            throw CLIError("\(declaration.file): cannot read the declaration to compute the result cache's keys; check the file, or pass --no-cache")
        }
        template = UnitCacheKey(
            declarationFile: declaration.file, declarationHash: SHA256.hex(bytes), suite: declaration.id, preset: plan.preset,
            parameters: plan.prepared.parameters, seed: seed, unit: "", code: code, platform: platform)
    }

    func key(_ unit: WorkUnitID) -> UnitCacheKey {
        var key = template
        key.unit = unit
        return key
    }
}

/// The result cache as one run (or shard) uses it: looks units up, stores computed ones, and
/// counts what came from where for the run's provenance.
final class UnitCacheSession {
    enum Mode {
        /// Read entries under their key; compute and store the others.
        case readWrite
        /// `--no-cache`: compute every unit and write its entry afresh.
        case refresh
    }

    let cache: UnitCache
    let keys: UnitKeys
    let mode: Mode
    private(set) var fromCache = 0
    private(set) var units = 0
    private(set) var problems: [String] = []

    init(cache: UnitCache, keys: UnitKeys, mode: Mode) {
        self.cache = cache
        self.keys = keys
        self.mode = mode
    }

    /// The cached result of `unit`, or `nil` when it must be computed (a miss, `--no-cache`, or
    /// an entry that does not read back whole, which is reported and then overwritten).
    func lookup(_ unit: WorkUnitID) -> Data? {
        units += 1
        guard mode == .readWrite else { return nil }
        switch cache.lookup(keys.key(unit)) {
        case .hit(let data):
            fromCache += 1
            return data
        case .miss:
            return nil
        case .unreadable(let reason):
            let message = "cache entry of unit \(unit) unreadable (\(reason)); recomputing it"
            printError("  warning: \(message)")
            problems.append(message)
            return nil
        }
    }

    /// Stores a unit computed without error. A cache that cannot be written costs only reuse,
    /// so the failure is a warning and the run goes on.
    func store(_ result: Data, for unit: WorkUnitID) {
        do {
            try cache.store(result, for: keys.key(unit))
        } catch {
            let message = "cannot store unit \(unit) in the result cache (\(error)); the run goes on"
            printError("  warning: \(message)")
            problems.append(message)
        }
    }

    var use: UnitCacheUse {
        UnitCacheUse(
            mode: mode == .readWrite ? .readWrite : .refresh, units: units, fromCache: fromCache,
            note: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }
}
