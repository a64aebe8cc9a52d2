/// A suite at one preset, planned before any compute (docs/ARCHITECTURE.md, "Plan"): overrides
/// applied, parameters decoded, the experiment's metrics and tables known, every claim, golden
/// tolerance and figure matched against them, and the peak memory within budget.
public struct SuitePlan: Sendable {
    public let declaration: SuiteDeclaration
    public let preset: PresetName
    public let prepared: RegisteredExperiment.Prepared
    /// Preset keys replaced on the command line, with their values as written there.
    public let overrides: [String: String]
    /// Number of planned metrics each claim's pattern matches, in declaration order.
    public let claimMatches: [Int]
}

/// A plan refused for a reason that is not a declaration's fault, with the exit status it implies.
public struct PlanRefusal: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var status: ExitStatus
    public var description: String { message }

    public init(_ message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }
}

/// `--set key=value` or `--set suite.key=value`: one preset key replaced before decoding.
public struct PresetOverride: Sendable, Equatable {
    /// The suite it is limited to; `nil` applies it to every selected suite whose experiment reads `key`.
    public var suite: SuiteID?
    public var key: String
    public var value: ManifestValue
    /// The value as written (recorded in run.json).
    public var text: String

    public init(suite: SuiteID?, key: String, value: ManifestValue, text: String) {
        self.suite = suite
        self.key = key
        self.value = value
        self.text = text
    }

    public var argument: String { "\(suite.map { "\($0)." } ?? "")\(key)=\(text)" }

    /// Parses `key=value`; the value is read as a TOML value (`5`, `[300, 500]`, `"gru"`), and a
    /// bare word that is not one (`gru`) as a string.
    public static func parse(_ argument: String, suites: [SuiteID]) throws -> PresetOverride {
        guard let equals = argument.firstIndex(of: "=") else {
            throw PlanRefusal("--set \(argument): expected key=value, e.g. --set replicates=8", status: .usage)
        }
        var key = String(argument[..<equals]).trimmingCharacters(in: .whitespaces)
        let text = String(argument[argument.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, !text.isEmpty else {
            throw PlanRefusal("--set \(argument): expected key=value with both sides non-empty", status: .usage)
        }
        var suite: SuiteID?
        if let dot = key.firstIndex(of: "."), suites.contains(SuiteID(String(key[..<dot]))) {
            suite = SuiteID(String(key[..<dot]))
            key = String(key[key.index(after: dot)...])
        }
        guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw PlanRefusal("--set \(argument): `\(key)` is not a preset key (letters, digits, _ and -)", status: .usage)
        }
        let value = SuiteRegistry.parseValue(text) ?? .string(text)
        return PresetOverride(suite: suite, key: key, value: value, text: text)
    }
}

public enum SuitePlanner {
    /// Plans `declaration` at `preset`. Throws a one-line error naming the file, the key and what
    /// to do: `PlanRefusal` (usage) for an unknown preset or a bad override, `ManifestError` for the
    /// declaration, `ClaimMetricMissing` / `GoldenComparison.MissingTolerance` for patterns.
    /// Overrides for keys the experiment does not read are skipped; `SuitePlan.overrides` lists
    /// those applied.
    public static func plan(
        _ declaration: SuiteDeclaration, preset: PresetName, experiment: RegisteredExperiment,
        overrides: [PresetOverride] = [], memoryBudget: Double
    ) throws -> SuitePlan {
        guard var entries = declaration.presets[preset] else {
            throw PlanRefusal(
                "\(declaration.file): presets.\(preset): no such preset (this suite declares: "
                    + "\(declaration.presetNames.map(\.rawValue).joined(separator: ", ")); see `claimbench show \(declaration.id)`)",
                status: .usage)
        }
        let path = "presets.\(preset)"
        // The keys the experiment reads: those its decoder asks for, and those the preset has.
        let mine = overrides.filter { $0.suite == nil || $0.suite == declaration.id }
        var known = Set(entries.keys)
        if !mine.isEmpty {
            let probe = ParameterTable(file: declaration.file, path: path, entries: entries)
            _ = try? experiment.prepare(probe)
            known.formUnion(probe.consumedKeys)
        }
        var applied: [String: String] = [:]
        for override in mine {
            guard known.contains(override.key) else {
                if override.suite != nil {
                    throw PlanRefusal(
                        "--set \(override.argument): \(declaration.id) has no preset key `\(override.key)` (its keys: "
                            + "\(known.sorted().joined(separator: ", ")))", status: .usage)
                }
                continue
            }
            entries[override.key] = override.value
            applied[override.key] = override.text
        }
        let prepared: RegisteredExperiment.Prepared
        do {
            prepared = try experiment.prepare(ParameterTable(file: declaration.file, path: path, entries: entries))
        } catch let error as ManifestError {
            let key = applied.keys.sorted().first { error.keyPath == "\(path).\($0)" || error.keyPath.hasPrefix("\(path).\($0)[") }
            guard let key else { throw error }
            throw PlanRefusal(
                "--set \(key)=\(applied[key]!): \(error.problem)" + (error.hint.map { " (\($0))" } ?? "")
                    + " [\(declaration.file): \(error.keyPath)]", status: .usage)
        }
        try checkMemory(prepared.memory, budget: memoryBudget, declaration: declaration, path: path, overridden: applied)
        let planned = prepared.planned
        let names = planned.metrics.keys.sorted()
        let claimMatches = try declaration.claims.map { claim in
            let matched = claim.metric.matches(in: names).count
            guard matched > 0 else {
                throw ClaimMetricMissing(file: declaration.file, claim: claim.id, pattern: claim.metric, available: names)
            }
            return matched
        }
        for (index, tolerance) in declaration.golden.enumerated() where !names.contains(where: tolerance.metric.matches) {
            throw ManifestError(
                file: declaration.file, keyPath: "golden[\(index)].metric",
                problem: "pattern \"\(tolerance.metric)\" matches no metric the experiment reports at preset \(preset)",
                hint: "fix the pattern; reported metrics include: \(PlannedOutput.sample(names.map(\.rawValue)))")
        }
        for name in names {
            let metricClass = planned.metrics[name]!.metricClass
            if metricClass == .numeric || metricClass == .stochastic, declaration.tolerance(for: name) == nil {
                throw GoldenComparison.MissingTolerance(file: declaration.file, metric: name.rawValue, metricClass: metricClass)
            }
        }
        for (index, figure) in declaration.figures.enumerated() where !planned.tables.contains(figure.data) {
            throw ManifestError(
                file: declaration.file, keyPath: "figures[\(index)].data",
                problem: "figure \(figure.id) reads \"\(figure.data)\", a table the experiment does not write",
                hint: "it writes: \(planned.tables.sorted().joined(separator: ", "))")
        }
        return SuitePlan(declaration: declaration, preset: preset, prepared: prepared, overrides: applied, claimMatches: claimMatches)
    }

    static func checkMemory(
        _ memory: MemoryEstimate, budget: Double, declaration: SuiteDeclaration, path: String, overridden: [String: String]
    ) throws {
        guard !(memory.bytes <= budget) else { return }
        let keys = memory.keys.map { overridden[$0] != nil ? "\($0) (--set)" : $0 }.joined(separator: ", ")
        throw ManifestError(
            file: declaration.file, keyPath: path,
            problem: "needs about \(ByteCount.describe(memory.bytes)) (\(String(format: "%.4g", memory.bytes)) bytes) at peak,"
                + " above the memory budget of \(ByteCount.describe(budget))",
            hint: "lower \(keys), or raise --memory-budget if this machine has the memory")
    }
}
