/// What `claimbench merge` checks before it assembles partial runs into one (docs/ARCHITECTURE.md,
/// "Work units and shards"): that they are shards of one run, made by one code version, that
/// together they hold every unit of the plan exactly once, and that they computed on the same
/// platform.
///
/// Platforms: a difference in the fingerprint's compute-relevant part (ISA features, BLAS
/// library, version, core or threads, worker threads, kernel paths, C library) can change a
/// unit's bits, so the merged run would equal no single-platform run; it is refused unless the
/// caller allows mixed platforms (then it is listed in the merged record's notes). Differences
/// in the descriptive rest (CPU model name, core count, how the BLAS core was chosen, the BLAS
/// build string, the Swift compiler) and in the build configuration are warnings.
public enum ShardMerge {
    /// One partial run: where it is (for messages) and its record.
    public struct Part: Sendable {
        public var label: String
        public var record: RunRecord

        public init(label: String, record: RunRecord) {
            self.label = label
            self.record = record
        }

        /// `shard 1/2 (results/runs/…)`.
        var name: String { "shard \(record.shard?.label ?? "?") (\(label))" }
    }

    /// Platform differences that did not refuse the merge, one line each.
    public struct Checked: Sendable, Equatable {
        public var warnings: [String] = []
        /// Compute-relevant differences, present only when mixed platforms were allowed.
        public var mixedPlatform: [String] = []

        public init(warnings: [String] = [], mixedPlatform: [String] = []) {
            self.warnings = warnings
            self.mixedPlatform = mixedPlatform
        }
    }

    /// Why the parts cannot be merged, one problem per entry.
    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public var problems: [String]
        public var description: String { "cannot merge: " + problems.joined(separator: "; ") }
    }

    /// Checks `parts` against each other and against the plan's `units`; throws `Refusal` listing
    /// every problem found.
    public static func check(_ parts: [Part], units: [WorkUnit], allowMixedPlatforms: Bool = false) throws -> Checked {
        guard let first = parts.first else { throw Refusal(problems: ["no run directories given"]) }
        var problems: [String] = []
        let full = parts.filter { !$0.record.isPartial }
        if !full.isEmpty {
            problems.append(full.map(\.label).joined(separator: ", ")
                + " \(full.count == 1 ? "is a full run" : "are full runs"), not shards (merge takes the directories of `run … --shard i/n`)")
            throw Refusal(problems: problems)
        }
        problems += identityProblems(parts, reference: first)
        var checked = Checked()
        problems += codeProblems(parts, reference: first, warnings: &checked.warnings)
        problems += coverageProblems(parts, units: units)
        let platform = platformDifferences(parts, reference: first)
        checked.warnings += platform.descriptive
        if !platform.computeRelevant.isEmpty {
            if allowMixedPlatforms {
                checked.mixedPlatform = platform.computeRelevant
            } else {
                problems.append("the shards computed on different platforms (" + platform.computeRelevant.joined(separator: "; ")
                    + "); rerun them alike, or pass --allow-mixed-platforms to merge anyway")
            }
        }
        guard problems.isEmpty else { throw Refusal(problems: problems) }
        // Complete coverage without every shard: the absent ones held no unit; say so.
        let shards = parts.compactMap(\.record.shard)
        if let count = shards.first?.count, shards.allSatisfy({ $0.count == count }) {
            let absent = (1...count).filter { index in !shards.contains { $0.index == index } }
            if !absent.isEmpty {
                checked.warnings.append("shard\(absent.count == 1 ? "" : "s") " + absent.map { "\($0)/\(count)" }.joined(separator: ", ")
                    + " not given; the shards given hold every unit, so \(absent.count == 1 ? "it holds" : "they hold") none")
            }
        }
        return checked
    }

    /// Suite, preset, experiment, seed, overrides and resolved parameters must all agree.
    static func identityProblems(_ parts: [Part], reference first: Part) -> [String] {
        var problems: [String] = []
        func compare<T: Equatable>(_ what: String, _ value: (RunRecord) -> T, _ show: (T) -> String) {
            for part in parts.dropFirst() where value(part.record) != value(first.record) {
                problems.append("\(what): \(show(value(first.record))) in \(first.name), \(show(value(part.record))) in \(part.name)")
            }
        }
        compare("suite", \.suite) { $0.rawValue }
        compare("preset", \.preset) { $0.rawValue }
        compare("experiment", \.experiment) { $0.rawValue }
        compare("seed", \.seed) { "\($0)" }
        compare("--set overrides", \.overrides) { set in set.isEmpty ? "none" : set.keys.sorted().map { "\($0)=\(set[$0]!)" }.joined(separator: ", ") }
        for part in parts.dropFirst() where part.record.parameters != first.record.parameters {
            let changes = GoldenComparison.changes(from: first.record.parameters, to: part.record.parameters)
            problems.append("parameters differ between \(first.name) and \(part.name): " + changes.joined(separator: ", "))
        }
        return problems
    }

    /// The git commit and dirty state must agree; a modified checkout is a warning, since the
    /// commit alone cannot show that both shards ran the same code.
    static func codeProblems(_ parts: [Part], reference first: Part, warnings: inout [String]) -> [String] {
        var problems: [String] = []
        // The build-time code fingerprint (the experiment's module and every module it imports)
        // decides when every shard has one; git's commit and dirty flag otherwise.
        let fingerprints = parts.compactMap(\.record.provenance.codeFingerprint)
        if fingerprints.count == parts.count, let reference = fingerprints.first {
            for (part, code) in zip(parts, fingerprints).dropFirst() where code.closure != reference.closure {
                let changed = reference.differences(from: code)
                problems.append("code version: \(first.name) and \(part.name) were built from different sources ("
                    + (changed.isEmpty ? "code fingerprint \(reference.closure.prefix(12)) vs \(code.closure.prefix(12))" : changed.joined(separator: "; ")) + ")")
            }
        } else {
            func version(_ record: RunRecord) -> String {
                record.provenance.gitCommit + (record.provenance.gitDirty == true ? " (modified checkout)" : "")
            }
            for part in parts.dropFirst() where version(part.record) != version(first.record) {
                problems.append("code version: \(version(first.record)) in \(first.name), \(version(part.record)) in \(part.name)")
            }
            if problems.isEmpty, first.record.provenance.gitDirty == true {
                warnings.append("the shards ran from a modified checkout of \(first.record.provenance.gitCommit.prefix(12)) and carry no"
                    + " code fingerprint; merge cannot tell whether they ran the same code")
            }
        }
        for part in parts.dropFirst() where part.record.provenance.buildConfiguration != first.record.provenance.buildConfiguration {
            warnings.append("build: \(first.record.provenance.buildConfiguration) in \(first.name),"
                + " \(part.record.provenance.buildConfiguration) in \(part.name)")
        }
        return problems
    }

    /// Every unit of the plan held exactly once, and nothing else.
    static func coverageProblems(_ parts: [Part], units: [WorkUnit]) -> [String] {
        var holders: [WorkUnitID: [String]] = [:]
        for part in parts {
            for unit in part.record.shard?.units ?? [] { holders[unit, default: []].append(part.name) }
        }
        let planned = units.map(\.id)
        let plannedSet = Swift.Set(planned)
        var problems: [String] = []
        let missing = planned.filter { holders[$0] == nil }
        if !missing.isEmpty {
            problems.append("\(missing.count) of \(planned.count) work units are in no shard (\(listed(missing.map(\.rawValue))))")
        }
        let duplicated = planned.filter { (holders[$0]?.count ?? 0) > 1 }
        for unit in duplicated.prefix(10) {
            problems.append("work unit \(unit) is in more than one shard: " + holders[unit]!.joined(separator: " and "))
        }
        if duplicated.count > 10 { problems.append("\(duplicated.count - 10) more work units are in more than one shard") }
        let foreign = holders.keys.filter { !plannedSet.contains($0) }.sorted()
        if !foreign.isEmpty {
            problems.append("work units this plan does not have: " + listed(foreign.map { "\($0) (\(holders[$0]!.joined(separator: ", ")))" }))
        }
        return problems
    }

    /// Fingerprint differences against the first part: compute-relevant ones, and the rest.
    static func platformDifferences(_ parts: [Part], reference first: Part) -> (computeRelevant: [String], descriptive: [String]) {
        var relevant: [String] = [], descriptive: [String] = []
        for part in parts.dropFirst() {
            switch (first.record.provenance.fingerprint, part.record.provenance.fingerprint) {
            case let (reference?, other?):
                guard reference != other else { continue }
                let lines = other.differences(from: reference).map { "\($0) (\(first.name) → \(part.name))" }
                if reference.computeRelevant != other.computeRelevant { relevant += lines } else { descriptive += lines }
            case (nil, nil):
                continue
            default:
                relevant.append("one of \(first.name) and \(part.name) records no platform fingerprint")
            }
        }
        return (relevant, descriptive)
    }

    /// The first eight items, then a count.
    static func listed(_ items: [String]) -> String {
        items.prefix(8).joined(separator: ", ") + (items.count > 8 ? " and \(items.count - 8) more" : "")
    }
}
