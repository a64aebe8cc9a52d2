/// A falsifiable predicate on one metric (or every metric matching a pattern), as declared in a
/// `[[claims]]` table of `suites/<id>.toml`.
///
/// Well-formedness (issue 11, item 4; issue 13): exactly one predicate, every bound a finite
/// number, a `source` saying where `paper_value` comes from, and `max_unmeasurable` (default 0)
/// bounding how many pattern matches may be unmeasurable (NaN) before the claim is inconclusive.
public struct ClaimDeclaration: Sendable {
    public var id: ClaimID
    public var statement: String
    public var metric: MetricPattern
    public var predicate: ClaimPredicate
    /// What the paper (or, for a source of kind `ours`, our own analysis) states, quoted.
    public var paperValue: String
    /// Where `paperValue` comes from, and whether it is the paper's statement or ours.
    public var source: ClaimSource
    /// How many matches may be NaN (not measurable) while the others still decide the verdict;
    /// with more, the claim is inconclusive. Default 0: every match must be measured.
    public var maxUnmeasurable: Int

    static let predicateKeys = ["at_least", "at_most", "between"]

    init(table: ParameterTable) throws {
        id = ClaimID(try table.required("id", as: String.self))
        statement = try table.required("statement")
        metric = try table.required("metric")
        paperValue = try table.required("paper_value")
        let atLeast: Double? = try table.optional("at_least")
        let atMost: Double? = try table.optional("at_most")
        let between: [Double]? = try table.optional("between")
        maxUnmeasurable = try table.value("max_unmeasurable", default: 0)
        let sourceTable = try table.optionalTable("source")
        // Unknown keys first: a misspelt `at_lest` is reported as such (with a suggestion), not
        // as a claim without a predicate.
        try table.finish()
        guard let sourceTable else {
            throw table.error("source", "missing required key", hint: Self.sourceHint)
        }
        source = try ClaimSource(table: sourceTable)
        guard maxUnmeasurable >= 0 else {
            throw table.error("max_unmeasurable", "must be ≥ 0 (how many matches may be NaN), got \(maxUnmeasurable)")
        }
        predicate = try Self.predicate(atLeast: atLeast, atMost: atMost, between: between, table: table)
    }

    static let sourceHint = #"add `source = { kind = "abstract" | "paper" | "authors-code" | "review" | "secondary" | "ours", verified = false, where = "…" }`"#

    /// Exactly one predicate with finite bounds, else an error naming the offending key.
    static func predicate(atLeast: Double?, atMost: Double?, between: [Double]?, table: ParameterTable) throws -> ClaimPredicate {
        let present = zip(predicateKeys, [atLeast != nil, atMost != nil, between != nil]).filter(\.1).map(\.0)
        guard present.count == 1 else {
            let listed = "`at_least`, `at_most` or `between`"
            if present.isEmpty {
                throw table.error("at_least", "missing predicate: a claim needs exactly one of \(listed)",
                                  hint: "add e.g. `at_least = 10`")
            }
            throw table.error(present[1], "a claim needs exactly one predicate, found \(present.map { "`\($0)`" }.joined(separator: " and "))",
                              hint: "keep one of \(listed)")
        }
        func finite(_ key: String, _ value: Double) throws -> Double {
            guard value.isFinite else {
                throw table.error(key, "bound must be a finite number, got \(value)",
                                  hint: "a claim with a NaN or infinite bound can never fail; give the threshold the claim tests")
            }
            return value
        }
        if let atLeast { return .atLeast(try finite("at_least", atLeast)) }
        if let atMost { return .atMost(try finite("at_most", atMost)) }
        let range = between!
        guard range.count == 2 else {
            throw table.error("between", "expected [lower, upper], got \(range.count) value\(range.count == 1 ? "" : "s")")
        }
        let low = try finite("between", range[0]), high = try finite("between", range[1])
        guard low <= high else { throw table.error("between", "expected [lower, upper] with lower ≤ upper, got \(range)") }
        return .between(low, high)
    }
}

public enum ClaimPredicate: Sendable, Equatable, CustomStringConvertible {
    case atLeast(Double)
    case atMost(Double)
    case between(Double, Double)

    public var description: String {
        switch self {
        case .atLeast(let x): "≥ \(x)"
        case .atMost(let x): "≤ \(x)"
        case .between(let a, let b): "in [\(a), \(b)]"
        }
    }
}
