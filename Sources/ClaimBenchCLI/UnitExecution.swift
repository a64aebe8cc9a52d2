import Foundation
import HarnessCore

/// Runs a plan's work units one by one, with progress, and returns their encoded results
/// (docs/ARCHITECTURE.md, "Work units and shards"). The one place where `run`, `check`, `golden`
/// and shard runs execute units, so that shard selection and the result cache have one home.
struct UnitExecution {
    let plan: SuitePlan
    let context: RunContext
    /// The result cache (docs/ARCHITECTURE.md, "Result cache"); `nil` computes every unit and
    /// stores nothing. `perf` never comes here, so its timings never come from the cache.
    var cache: UnitCacheSession? = nil

    /// Runs `units` (all of the plan's, or a shard's) in canonical order. A unit found in the
    /// cache is not recomputed; a computed unit is stored only once it returned without error.
    func run(_ units: [WorkUnit]) throws -> [WorkUnitID: Data] {
        var results: [WorkUnitID: Data] = [:]
        let split = units.count > 1
        for (index, unit) in units.enumerated() {
            if let cached = cache?.lookup(unit.id) {
                if split { context.progress.update(done: index, total: units.count, detail: "\(unit.id) (cached)") }
                results[unit.id] = cached
                continue
            }
            if split { context.progress.update(done: index, total: units.count, detail: unit.id.rawValue) }
            let result = try plan.prepared.runUnit(unit.id, context: split ? context.silencingProgress : context)
            cache?.store(result, for: unit.id)
            results[unit.id] = result
        }
        if split { context.progress.update(done: units.count, total: units.count, detail: "done") }
        return results
    }
}

extension RunContext {
    /// The same context with progress reports dropped: when the harness reports per unit, a
    /// unit's own inner progress would overwrite it.
    var silencingProgress: RunContext {
        var copy = self
        copy.progress = .silent
        return copy
    }
}
