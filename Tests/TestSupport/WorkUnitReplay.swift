import Foundation
import HarnessCore

/// What the work-unit tests of the suites share: run a prepared experiment's units the way
/// shards would (last first, each in a fresh context, through the encoding), assemble, and
/// compare the result with a whole run.
public enum WorkUnitReplay {
    /// The units of `prepared` run in reverse order, each with a fresh `RunContext(seed:)`, then
    /// assembled: what a merge of single-unit shards computes.
    public static func assembledInReverse(_ prepared: RegisteredExperiment.Prepared, seed: UInt64) throws -> ExperimentOutput {
        var results: [WorkUnitID: Data] = [:]
        for unit in prepared.units.reversed() {
            results[unit.id] = try prepared.runUnit(unit.id, context: RunContext(seed: seed))
        }
        return try prepared.assemble(results, context: RunContext(seed: seed))
    }

    /// Every non-timing metric of `expected` whose value, interval, standard error, class or unit
    /// differs in `actual` (bit patterns, so NaN equals NaN), as readable lines; and how many
    /// metrics were compared.
    public static func nonTimingDifferences(_ actual: ExperimentOutput, _ expected: ExperimentOutput) -> (differences: [String], compared: Int) {
        var differences: [String] = []
        var compared = 0
        for name in expected.metrics.keys.sorted() {
            let metric = expected.metrics[name]!
            guard metric.metricClass != .timing else { continue }
            compared += 1
            guard let other = actual.metrics[name] else {
                differences.append("\(name): missing")
                continue
            }
            let same = other.metricClass == metric.metricClass && other.unit == metric.unit
                && other.value.bitPattern == metric.value.bitPattern
                && other.interval?.lower.bitPattern == metric.interval?.lower.bitPattern
                && other.interval?.upper.bitPattern == metric.interval?.upper.bitPattern
                && other.standardError?.bitPattern == metric.standardError?.bitPattern
            if !same { differences.append("\(name): \(other) vs \(metric)") }
        }
        return (differences, compared)
    }
}
