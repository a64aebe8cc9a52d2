/// A metric name pattern from a suite declaration: `*` matches any run of characters,
/// so `*/transport_cost` matches `random-assignment/n=500/eta=100/transport_cost`.
public struct MetricPattern: Sendable, Equatable, CustomStringConvertible, ManifestDecodable {
    public let pattern: String

    public init(_ pattern: String) { self.pattern = pattern }

    public var description: String { pattern }

    public static var manifestTypeName: String { "metric name or pattern" }
    public static func decode(_ value: ManifestValue, context: DecodingContext) throws -> MetricPattern {
        let text = try String.decode(value, context: context)
        guard !text.isEmpty else { throw context.error("empty metric pattern") }
        return MetricPattern(text)
    }

    public func matches(_ name: MetricName) -> Bool {
        Self.glob(Array(pattern.utf8)[...], Array(name.rawValue.utf8)[...])
    }

    /// The matching names, sorted.
    public func matches(in names: some Sequence<MetricName>) -> [MetricName] {
        names.filter(matches).sorted()
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
