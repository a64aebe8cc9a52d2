import Foundation

/// Where a claim's `paper_value` comes from, declared beside every claim in `suites/<id>.toml`:
///
///     source = { kind = "abstract", verified = false, where = "arXiv 2408.05807, abstract" }
///     source = { kind = "ours", where = "our d → ∞ evaluation of the suite's theory" }
///
/// The paper column of every table holds only what the paper or its authors say; a claim whose
/// kind is `ours` is our own diagnostic or extrapolation and is shown as such by `show`, `run`
/// and `report`. `verified` says whether the quote was checked against the paper's body (the
/// full text), which an abstract, a review or a third-party page alone cannot establish.
public struct ClaimSource: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, ManifestEnum {
        /// The paper's abstract, quoted verbatim.
        case abstract
        /// The paper's body (a section, table, figure or equation).
        case paper
        /// The authors' own code or its documentation (README, docstrings, tests).
        case authorsCode = "authors-code"
        /// A published review of the submission (e.g. OpenReview).
        case review
        /// A third-party page that quotes or summarises the paper.
        case secondary
        /// Our diagnostic, derivation or extrapolation: not a statement of the paper.
        case ours
    }

    public var kind: Kind
    /// Checked against the paper's body. Always false for `ours` (nothing to check it against).
    public var verified: Bool
    /// The exact place: "arXiv abstract", "README of NX-AI/flashrnn", "Table 1 via <page>".
    public var location: String

    public init(kind: Kind, verified: Bool, location: String) {
        self.kind = kind
        self.verified = verified
        self.location = location
    }

    /// True when the claim restates the paper (or its authors); false for our own diagnostics.
    public var isPaperStatement: Bool { kind != .ours }

    /// "abstract, not verified against the body: arXiv abstract", "ours: …".
    public var summary: String {
        switch kind {
        case .ours: "ours (not the paper's statement): \(location)"
        default: "\(kind.rawValue), \(verified ? "verified against the paper's body" : "not verified against the paper's body"): \(location)"
        }
    }

    enum CodingKeys: String, CodingKey { case kind, verified, location = "where" }

    /// Decodes `{ kind, verified, where }` strictly: `verified` is required for the paper's kinds
    /// (an unstated check is not a check) and refused for `ours`.
    init(table: ParameterTable) throws {
        kind = try table.required("kind")
        location = try table.required("where")
        let declaredVerified: Bool? = try table.optional("verified")
        try table.finish()
        guard !location.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw table.error("where", "empty", hint: "say where the quote stands, e.g. \"arXiv abstract\" or \"README of owner/repo\"")
        }
        switch (kind, declaredVerified) {
        case (.ours, nil): verified = false
        case (.ours, .some):
            throw table.error("verified", "a source of kind \"ours\" is our own diagnostic: there is nothing in the paper to verify it against",
                              hint: "remove `verified`, or give the paper's kind")
        case (_, let value?): verified = value
        case (_, nil):
            throw table.error("verified", "missing required key",
                              hint: "say whether the quote was checked against the paper's body: `verified = true` or `verified = false`")
        }
    }
}
