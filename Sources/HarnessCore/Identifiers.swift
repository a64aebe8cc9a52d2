/// Typed identifiers, so that a suite ID is never passed where a metric name is expected.
///
/// Each is a thin wrapper over a string that appears in `suites/<id>.toml`, in run records
/// and in golden files.

/// A string-backed identifier type.
public protocol StringIdentifier: RawRepresentable, Hashable, Comparable, Codable, Sendable,
    ExpressibleByStringLiteral, CustomStringConvertible where RawValue == String
{
    init(rawValue: String)
}

extension StringIdentifier {
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A suite, e.g. `sinkhorn`: the file `suites/<id>.toml`.
public struct SuiteID: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A preset inside a suite declaration: `smoke`, `default` or `full`.
public struct PresetName: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// The Swift experiment that runs a suite, e.g. `sinkhorn.convergence`.
public struct ExperimentID: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A claim inside a suite declaration, e.g. `iteration-speedup`.
public struct ClaimID: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A metric reported by an experiment, e.g. `random-assignment/n=500/eta=100/sns_iterations`.
public struct MetricName: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A figure of a suite: `plots/<suite>/<figure>.gp`.
public struct FigureID: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }

extension PresetName {
    /// CI: seconds.
    public static let smoke: PresetName = "smoke"
    /// `make bench`: minutes for all suites together on 2 cores.
    public static let `default`: PresetName = "default"
    /// Paper scale, for bigger machines.
    public static let full: PresetName = "full"
}
