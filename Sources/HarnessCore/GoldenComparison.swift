import Foundation

/// Compares a run's metrics with a golden file: each metric within max(the suite's declared
/// tolerance, k × the spread measured when the golden was calibrated), each claim's verdict equal
/// to the recorded one (or, for a fragile claim, one of the verdicts seen at calibration).
public struct GoldenComparison: Sendable {
    public enum Status: String, Sendable {
        case pass = "ok"
        case deviated = "DEVIATED"
        case missingNow = "MISSING"
        case notInGolden = "NEW"
        case changedKind = "CHANGED UNIT/CLASS"
        /// A timing claim's verdict moved: reported, never a failure (timings are not gated).
        case timingMoved = "moved (timing, not gated)"
        /// A claim whose verdict already differed between the golden's calibration runs, and
        /// reads one of those verdicts now: not a regression, but never silent.
        case fragile = "FRAGILE (verdict varies across BLAS cores/threads)"

        public var isFailure: Bool { self != .pass && self != .timingMoved && self != .fragile }
    }

    public struct Row: Sendable {
        public var metric: String
        public var golden: Double?
        public var now: Double?
        /// |now − golden|, `nil` when one side is missing.
        public var deviation: Double?
        /// Human-readable tolerance ("exact", "rel 1e-09 + abs 0", "4σ").
        public var tolerance: String
        public var status: Status
    }

    /// A claim's verdict now against the one recorded with the golden.
    public struct ClaimRow: Sendable {
        public var claim: String
        public var golden: Verdict?
        public var now: Verdict?
        public var status: Status
    }

    public var rows: [Row]
    public var claims: [ClaimRow]
    /// Parameters whose value differs from those the golden was recorded with, as
    /// `key: golden → now`; empty when they agree or the golden predates parameter recording.
    public var parameterChanges: [String]

    public var failures: [Row] { rows.filter(\.status.isFailure) }
    public var claimFailures: [ClaimRow] { claims.filter(\.status.isFailure) }
    public var fragileClaims: [ClaimRow] { claims.filter { $0.status == .fragile } }
    public var passed: Bool { failures.isEmpty && claimFailures.isEmpty && parameterChanges.isEmpty }

    /// A numeric or stochastic metric with no `[[golden]]` tolerance: the declaration must say.
    public struct MissingTolerance: Error, CustomStringConvertible {
        public var file: String
        public var metric: String
        public var metricClass: MetricClass
        public var description: String {
            "\(file): golden: \(metricClass.rawValue) metric \"\(metric)\" has no tolerance; add a [[golden]] entry"
                + " whose `metric` pattern matches it (e.g. metric = \"\(metric)\", rel = 1e-9)"
        }
    }

    public init(record: RunRecord, golden: GoldenFile, declaration: SuiteDeclaration) throws {
        var rows: [Row] = []
        let current = record.metrics.filter { $0.value.metricClass != .timing }
        let names = Set(current.keys.map(\.rawValue)).union(golden.metrics.keys).sorted()
        for name in names {
            let now = current[MetricName(name)]
            let reference = golden.metrics[name]
            guard let now, let reference else {
                rows.append(Row(
                    metric: name, golden: reference?.value, now: now?.value, deviation: nil, tolerance: "—",
                    status: now == nil ? .missingNow : .notInGolden))
                continue
            }
            let deviation = abs(now.value - reference.value)
            guard now.unit == reference.unit, now.metricClass == reference.declaredClass else {
                rows.append(Row(metric: name, golden: reference.value, now: now.value, deviation: deviation,
                                tolerance: "\(reference.declaredClass.rawValue) [\(reference.unit)] → \(now.metricClass.rawValue) [\(now.unit)]",
                                status: .changedKind))
                continue
            }
            let (within, tolerance) = try Self.judge(
                name: name, now: now, reference: reference, declared: declaration.tolerance(for: MetricName(name)),
                spreadMultiple: golden.calibration.spreadMultiple, file: declaration.file)
            rows.append(Row(metric: name, golden: reference.value, now: now.value, deviation: deviation,
                            tolerance: tolerance, status: within ? .pass : .deviated))
        }
        self.rows = rows
        parameterChanges = golden.parameters.map { Self.changes(from: $0, to: record.parameters) } ?? []
        let nowVerdicts = Dictionary(uniqueKeysWithValues: record.claims.map { ($0.id.rawValue, $0.verdict) })
        let timingClaims = Set(record.claims.filter(\.isTiming).map(\.id.rawValue))
        claims = Set(nowVerdicts.keys).union(golden.verdicts.keys).sorted().map { id in
            let before = golden.verdicts[id], after = nowVerdicts[id]
            let status: Status = if before == nil { .notInGolden } else if after == nil { .missingNow }
                else if let seen = golden.fragile[id], seen.contains(after!) { .fragile }
                else if before == after { .pass } else if timingClaims.contains(id) { .timingMoved } else { .deviated }
            return ClaimRow(claim: id, golden: before, now: after, status: status)
        }
    }

    /// `key: before → after` for every top-level parameter that differs, keys sorted.
    public static func changes(from before: JSONValue, to after: JSONValue) -> [String] {
        guard case .object(let old) = before, case .object(let new) = after else {
            return before == after ? [] : ["parameters: \(before.compactText) → \(after.compactText)"]
        }
        return Set(old.keys).union(new.keys).sorted().compactMap { key in
            old[key] == new[key] ? nil
                : "\(key): \(old[key]?.compactText ?? "(absent)") → \(new[key]?.compactText ?? "(absent)")"
        }
    }

    /// Whether `now` is within tolerance of `reference`, and the tolerance as text.
    ///
    /// The allowed deviation is the larger of the declared one (abs + rel·|golden|, plus σ times
    /// the combined standard error for a stochastic metric) and `spreadMultiple` × the spread the
    /// golden's calibration measured. A metric declared exact allows no deviation at all.
    static func judge(
        name: String, now: Metric, reference: GoldenFile.Entry, declared: GoldenTolerance?, spreadMultiple: Double,
        file: String
    ) throws -> (Bool, String) {
        if now.value.isNaN || reference.value.isNaN {
            return (now.value.isNaN && reference.value.isNaN, "NaN only equals NaN")
        }
        var parts: [String] = []
        var allowed = 0.0
        switch now.metricClass {
        case .exact:
            // Bit-identical, unless the declaration deliberately allows a tolerance.
            guard let declared, declared.relative > 0 || declared.absolute > 0 else {
                return (now.value.bitPattern == reference.value.bitPattern, "exact")
            }
            allowed = declared.absolute + declared.relative * abs(reference.value)
            parts.append(describe(declared))
        case .numeric:
            guard let declared else { throw MissingTolerance(file: file, metric: name, metricClass: .numeric) }
            allowed = declared.absolute + declared.relative * abs(reference.value)
            parts.append(describe(declared))
        case .stochastic:
            guard let declared else { throw MissingTolerance(file: file, metric: name, metricClass: .stochastic) }
            let sigmas = declared.sigmas ?? 0
            let combined = ((now.standardError ?? 0) * (now.standardError ?? 0)
                + (reference.standardError ?? 0) * (reference.standardError ?? 0)).squareRoot()
            allowed = sigmas * combined + declared.absolute + declared.relative * abs(reference.value)
            parts.append("\(formatted(sigmas))σ" + (declared.relative > 0 || declared.absolute > 0 ? " + \(describe(declared))" : ""))
        case .timing:
            return (true, "timing: not compared")
        }
        if reference.spread > 0 {
            let measured = spreadMultiple * reference.spread
            parts.append("\(formatted(spreadMultiple))×spread \(shortNumber(reference.spread))")
            allowed = max(allowed, measured)
        }
        let text = parts.count == 1 ? parts[0] : "max(" + parts.joined(separator: ", ") + ")"
        if now.value == reference.value { return (true, text) }  // also equal infinities
        // An infinite golden would make any relative tolerance infinite: only equality passes.
        guard now.value.isFinite, reference.value.isFinite else { return (false, text) }
        return (abs(now.value - reference.value) <= allowed, text)
    }

    static func shortNumber(_ value: Double) -> String { String(format: "%.2g", value) }

    static func describe(_ tolerance: GoldenTolerance) -> String {
        switch (tolerance.relative, tolerance.absolute) {
        case (0, 0): "exact"
        case (let rel, 0): "rel \(formatted(rel))"
        case (0, let abs): "abs \(formatted(abs))"
        case (let rel, let abs): "rel \(formatted(rel)) + abs \(formatted(abs))"
        }
    }

    static func formatted(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : "\(value)"
    }
}
