import Foundation
import HarnessCore

/// Runs a plan's work units one by one, with progress, and returns their encoded results
/// (docs/ARCHITECTURE.md, "Work units and shards"). The one place where `run`, `check`, `golden`
/// and shard runs execute units, so that shard selection and the result cache have one home.
struct UnitExecution {
    let plan: SuitePlan
    let context: RunContext

    /// Runs `units` (all of the plan's, or a shard's) in canonical order.
    func run(_ units: [WorkUnit]) throws -> [WorkUnitID: Data] {
        var results: [WorkUnitID: Data] = [:]
        let split = units.count > 1
        for (index, unit) in units.enumerated() {
            if split { context.progress.update(done: index, total: units.count, detail: unit.id.rawValue) }
            results[unit.id] = try plan.prepared.runUnit(unit.id, context: split ? context.silencingProgress : context)
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
