/// A metric name pattern from a suite declaration: `*` matches any run of characters, so
/// `*/transport_cost` matches `random-assignment/n=500/eta=100/transport_cost`; `{a,b}` matches
/// either alternative, so `*/n={300,500}/cost` matches the cost at n = 300 and at n = 500.
public struct MetricPattern: Sendable, Equatable, CustomStringConvertible, ManifestDecodable {
    public let pattern: String
    /// The brace-free globs the pattern stands for, as UTF-8; a name matches when any of them does.
    private let alternatives: [[UInt8]]

    /// A pattern whose braces are balanced and not nested (`decode` checks this for declarations;
    /// here an unbalanced brace is taken literally).
    public init(_ pattern: String) {
        self.pattern = pattern
        self.alternatives = ((try? Self.expandBraces(pattern)) ?? [pattern]).map { Array($0.utf8) }
    }

    public static func == (lhs: MetricPattern, rhs: MetricPattern) -> Bool { lhs.pattern == rhs.pattern }

    public var description: String { pattern }

    public static var manifestTypeName: String { "metric name or pattern" }
    public static func decode(_ value: ManifestValue, context: DecodingContext) throws -> MetricPattern {
        let text = try String.decode(value, context: context)
        guard !text.isEmpty else { throw context.error("empty metric pattern") }
        do {
            _ = try expandBraces(text)
        } catch let problem as BraceProblem {
            throw context.error("metric pattern \"\(text)\": \(problem.message)")
        }
        return MetricPattern(text)
    }

    public func matches(_ name: MetricName) -> Bool {
        let text = Array(name.rawValue.utf8)[...]
        return alternatives.contains { Self.glob($0[...], text) }
    }

    /// The matching names, sorted.
    public func matches(in names: some Sequence<MetricName>) -> [MetricName] {
        names.filter(matches).sorted()
    }

    struct BraceProblem: Error { var message: String }

    /// Brace groups multiply; past this many combinations a pattern is refused, not expanded.
    static let maximumAlternatives = 4096

    /// `a{x,y}b{1,2}` → `ax1b`… : every combination of the alternatives, in order.
    static func expandBraces(_ pattern: String) throws -> [String] {
        var expansions = [""]
        var rest = pattern[...]
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[open] == "{" else { throw BraceProblem(message: "'}' without a matching '{'") }
            let literal = rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw BraceProblem(message: "'{' without a matching '}'")
            }
            let body = rest[rest.index(after: open)..<close]
            guard !body.contains("{") else { throw BraceProblem(message: "nested braces are not supported") }
            let options = body.split(separator: ",", omittingEmptySubsequences: false)
            guard options.count > 1 else {
                throw BraceProblem(message: "braces need at least two alternatives separated by ',', as in {300,500}")
            }
            guard expansions.count * options.count <= maximumAlternatives else {
                throw BraceProblem(message: "the braces expand to more than \(maximumAlternatives) alternatives; use `*` instead")
            }
            expansions = expansions.flatMap { prefix in options.map { prefix + literal + $0 } }
            rest = rest[rest.index(after: close)...]
        }
        return expansions.map { $0 + rest }
    }

    private static func glob(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex, t = text.startIndex
        var star: Int? = nil, resume = text.startIndex
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") {
                star = p
                p += 1
                resume = t
            } else if p < pattern.endIndex, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if let s = star {
                p = s + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }
}
