/// Whether a unit would come from the result cache, and if not, why (`claimbench why`;
/// docs/ARCHITECTURE.md, "Result cache").
public enum UnitCacheStatus: Sendable, Equatable {
    /// An entry under the unit's key reads back whole.
    case cached
    /// No entry was ever stored for this suite, preset and unit.
    case neverRun
    /// The entry under the key exists but does not read back whole.
    case unreadable(String)
    /// What differs between the key and the closest of the unit's latest entries.
    case changed([String])

    public var isCached: Bool { self == .cached }

    /// One line: "cached", "never run", "parameter `eta` 300 → 1200; seed 1 → 2", …
    public var line: String {
        switch self {
        case .cached: "cached"
        case .neverRun: "never run"
        case .unreadable(let reason): "cached entry unreadable (\(reason))"
        case .changed(let differences): differences.joined(separator: "; ")
        }
    }
}

extension UnitCache {
    /// The status of the unit `key` names. When the key is not cached, the explanation is
    /// against the latest entries of the same suite, preset and unit: the one with the fewest
    /// differences, the newest among equals (after `--threads 2` and back, say, the entry under
    /// the other thread count does not hide a parameter edit).
    public func status(of key: UnitCacheKey) -> UnitCacheStatus {
        switch lookup(key) {
        case .hit: return .cached
        case .unreadable(let reason): return .unreadable(reason)
        case .miss: break
        }
        let candidates = recentKeys(suite: key.suite, preset: key.preset, unit: key.unit).map { key.differences(from: $0) }
        guard var best = candidates.first else { return .neverRun }
        for differences in candidates.dropFirst() where differences.count < best.count { best = differences }
        // Keys that differ but name no difference (impossible unless the encoding changed) still rerun.
        return .changed(best.isEmpty ? ["cache key encoding changed"] : best)
    }
}
