import ContentDigest
import Foundation

/// The code a unit result was computed by (docs/ARCHITECTURE.md, "Result cache"): the
/// experiment's module and the source hash of every module it imports, computed when claimbench
/// was built (`BuildFingerprint`).
public struct CodeFingerprint: Codable, Sendable, Equatable {
    /// The experiment's module, e.g. "SinkhornExperiment".
    public var module: String
    /// SHA-256 over Package.swift and the source hashes of `module` and every module it imports.
    public var closure: String
    /// Module name → SHA-256 of its sources, for `module` and every module it imports, plus
    /// "Package.swift" → the manifest's hash: what `why` names when `closure` differs.
    public var sources: [String: String]

    public init(module: String, closure: String, sources: [String: String]) {
        self.module = module
        self.closure = closure
        self.sources = sources
    }

    /// "source of SinkhornExperiment changed", "Package.swift changed", … ; empty when equal.
    public func differences(from cached: CodeFingerprint) -> [String] {
        guard closure != cached.closure || module != cached.module else { return [] }
        var lines: [String] = []
        if module != cached.module { lines.append("experiment moved from module \(cached.module) to \(module)") }
        let changed = sources.keys.filter { $0 != Self.manifest && cached.sources[$0] != nil && cached.sources[$0] != sources[$0] }.sorted()
        if !changed.isEmpty { lines.append("source of \(changed.joined(separator: ", ")) changed") }
        let added = sources.keys.filter { cached.sources[$0] == nil }.sorted()
        let removed = cached.sources.keys.filter { sources[$0] == nil }.sorted()
        if !added.isEmpty { lines.append("now also imports \(added.joined(separator: ", "))") }
        if !removed.isEmpty { lines.append("no longer imports \(removed.joined(separator: ", "))") }
        if sources[Self.manifest] != nil, cached.sources[Self.manifest] != nil, sources[Self.manifest] != cached.sources[Self.manifest] {
            lines.append("Package.swift changed")
        }
        return lines.isEmpty ? ["code fingerprint of \(module) changed"] : lines
    }

    /// The key of the manifest's hash in `sources`.
    public static let manifest = "Package.swift"
}

/// Everything a work unit's result depends on, and so the result cache's key
/// (docs/ARCHITECTURE.md, "Result cache"). Two runs whose keys are equal compute bit-identical
/// unit results, timings aside; `digest` names the cache entry.
public struct UnitCacheKey: Codable, Sendable, Equatable {
    /// Bumped when the key's encoding or the entry format changes: every old entry misses.
    public static let schema = 1

    public var schema: Int
    /// "suites/kde.toml", as shown in messages.
    public var declarationFile: String
    /// SHA-256 of the declaration file's bytes (a claim's wording changes it too).
    public var declarationHash: String
    public var suite: SuiteID
    public var preset: PresetName
    /// The preset's parameters after `--set` overrides, as the experiment decoded them.
    public var parameters: JSONValue
    public var seed: UInt64
    public var unit: WorkUnitID
    public var code: CodeFingerprint
    /// The platform fingerprint's compute-relevant part (ISA features, BLAS library, version,
    /// core and threads, worker threads, kernel paths, C library).
    public var platform: PlatformFingerprint.ComputeRelevant

    public init(
        declarationFile: String, declarationHash: String, suite: SuiteID, preset: PresetName, parameters: JSONValue,
        seed: UInt64, unit: WorkUnitID, code: CodeFingerprint, platform: PlatformFingerprint.ComputeRelevant
    ) {
        schema = Self.schema
        self.declarationFile = declarationFile
        self.declarationHash = declarationHash
        self.suite = suite
        self.preset = preset
        self.parameters = parameters
        self.seed = seed
        self.unit = unit
        self.code = code
        self.platform = platform
    }

    enum CodingKeys: String, CodingKey {
        case schema, declarationFile = "declaration_file", declarationHash = "declaration_sha256", suite, preset
        case parameters, seed, unit, code, platform
    }

    /// SHA-256 of the key's canonical JSON (sorted keys, doubles in shortest round-trip form):
    /// equal exactly when every component is equal.
    public var digest: String {
        // Encoding a tree of strings, numbers and dictionaries cannot fail.
        SHA256.hex(try! CanonicalJSON.encode(self))
    }

    /// What changed from `cached` to this key, one phrase each, most likely cause first:
    /// "parameter `eta` 300 → 1200", "seed 1 → 2", "suites/kde.toml changed", "source of
    /// SinkhornExperiment changed", "OpenBLAS core: Haswell → SkylakeX". Empty when equal.
    public func differences(from cached: UnitCacheKey) -> [String] {
        var lines: [String] = []
        if schema != cached.schema { lines.append("cache format \(cached.schema) → \(schema)") }
        if suite != cached.suite { lines.append("suite \(cached.suite) → \(suite)") }
        if preset != cached.preset { lines.append("preset \(cached.preset) → \(preset)") }
        if unit != cached.unit { lines.append("unit \(cached.unit) → \(unit)") }
        lines += Self.parameterChanges(from: cached.parameters, to: parameters, path: "")
        if seed != cached.seed { lines.append("seed \(cached.seed) → \(seed)") }
        if declarationHash != cached.declarationHash || declarationFile != cached.declarationFile {
            lines.append("\(declarationFile) changed")
        }
        lines += code.differences(from: cached.code)
        lines += platform.differences(from: cached.platform)
        return lines
    }

    /// "parameter `a.b` old → new" for every leaf that differs; arrays compare whole.
    static func parameterChanges(from old: JSONValue?, to new: JSONValue?, path: String) -> [String] {
        if case .object(let before)? = old, case .object(let after)? = new {
            return Swift.Set(before.keys).union(after.keys).sorted().flatMap { key in
                parameterChanges(from: before[key], to: after[key], path: path.isEmpty ? key : "\(path).\(key)")
            }
        }
        guard old != new else { return [] }
        let name = path.isEmpty ? "parameters" : "parameter `\(path)`"
        return ["\(name) \(old?.compactText ?? "(absent)") → \(new?.compactText ?? "(absent)")"]
    }
}
