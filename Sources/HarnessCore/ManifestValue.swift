/// A parsed suite declaration value, independent of the TOML library that read it.
///
/// `TOMLLoading.swift` is the only file that knows TOMLKit; everything else, experiments
/// included, reads declarations through `ParameterTable`.
public indirect enum ManifestValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([ManifestValue])
    case table([String: ManifestValue])

    /// The TOML type name, as users see it in error messages.
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// An error in a suite declaration: names the file, the key path, what is wrong and what to do.
public struct ManifestError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String
    public var keyPath: String
    public var problem: String
    public var hint: String?

    public init(file: String, keyPath: String, problem: String, hint: String? = nil) {
        self.file = file
        self.keyPath = keyPath
        self.problem = problem
        self.hint = hint
    }

    public var description: String {
        let location = keyPath.isEmpty ? file : "\(file): \(keyPath)"
        return "\(location): \(problem)" + (hint.map { " (\($0))" } ?? "")
    }
}
