/// Strict, typed reading of one table of a suite declaration.
///
/// Every key read is marked as consumed; `finish()` then rejects any key nobody read, so a
/// misspelt key (`regularisation` for `regularization`) is an error naming the file and the
/// key path instead of a silently ignored setting (docs/ARCHITECTURE.md, "Suite declaration").
public final class ParameterTable {
    public let file: String
    /// Dotted key path of this table inside the file, empty for the root.
    public let path: String
    public let entries: [String: ManifestValue]
    private var consumed: Set<String> = []

    public init(file: String, path: String = "", entries: [String: ManifestValue]) {
        self.file = file
        self.path = path
        self.entries = entries
    }

    /// The keys present, sorted.
    public var keys: [String] { entries.keys.sorted() }

    /// The keys some reader asked for so far (present or not), sorted: after a decoder ran, the
    /// keys the experiment understands.
    public var consumedKeys: [String] { consumed.sorted() }

    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func error(_ key: String, _ problem: String, hint: String? = nil) -> ManifestError {
        ManifestError(file: file, keyPath: keyPath(key), problem: problem, hint: hint)
    }

    /// A required value of type `T`.
    public func required<T: ManifestDecodable>(_ key: String, as type: T.Type = T.self) throws -> T {
        guard let value = try optional(key, as: type) else {
            throw error(key, "missing required key", hint: missingKeyHint(key, typeName: T.manifestTypeName))
        }
        return value
    }

    /// Suggests a present key that looks like a misspelling of `key`, else shows the syntax.
    private func missingKeyHint(_ key: String, typeName: String) -> String {
        let nearMiss = entries.keys.filter { !consumed.contains($0) || $0 == key }
            .filter { editDistance($0, key) <= 2 }.sorted().first
        if let nearMiss { return "found `\(nearMiss)`: did you mean `\(key)`?" }
        return "add `\(key) = <\(typeName)>`"
    }

    /// An optional value of type `T`; `nil` when the key is absent.
    public func optional<T: ManifestDecodable>(_ key: String, as type: T.Type = T.self) throws -> T? {
        consumed.insert(key)
        guard let value = entries[key] else { return nil }
        return try T.decode(value, context: DecodingContext(file: file, keyPath: keyPath(key)))
    }

    /// A value of type `T`, or `fallback` when the key is absent.
    public func value<T: ManifestDecodable>(_ key: String, default fallback: T) throws -> T {
        try optional(key, as: T.self) ?? fallback
    }

    /// A required sub-table.
    public func table(_ key: String) throws -> ParameterTable {
        guard let table = try optionalTable(key) else {
            throw error(key, "missing required table", hint: "add a `[\(keyPath(key))]` section")
        }
        return table
    }

    public func optionalTable(_ key: String) throws -> ParameterTable? {
        consumed.insert(key)
        guard let value = entries[key] else { return nil }
        guard case .table(let entries) = value else {
            throw error(key, "expected a table, found \(value.typeName)")
        }
        return ParameterTable(file: file, path: keyPath(key), entries: entries)
    }

    /// An array of tables (`[[key]]`); empty when absent.
    public func arrayOfTables(_ key: String) throws -> [ParameterTable] {
        consumed.insert(key)
        guard let value = entries[key] else { return [] }
        guard case .array(let items) = value else {
            throw error(key, "expected an array of tables (`[[\(keyPath(key))]]`), found \(value.typeName)")
        }
        return try items.enumerated().map { index, item in
            guard case .table(let entries) = item else {
                throw error("\(key)[\(index)]", "expected a table, found \(item.typeName)")
            }
            return ParameterTable(file: file, path: "\(keyPath(key))[\(index)]", entries: entries)
        }
    }

    /// Throws for the first key (alphabetically) that no reader asked for.
    public func finish() throws {
        let unknown = entries.keys.filter { !consumed.contains($0) }.sorted()
        guard let first = unknown.first else { return }
        let known = consumed.sorted()
        let suggestion = known.min { editDistance($0, first) < editDistance($1, first) }
            .flatMap { editDistance($0, first) <= 3 ? $0 : nil }
        var hint = "known keys here: \(known.joined(separator: ", "))"
        if let suggestion { hint = "did you mean `\(suggestion)`? " + hint }
        throw error(first, "unknown key", hint: hint)
    }
}

/// Where a value sits, for error messages.
public struct DecodingContext: Sendable {
    public var file: String
    public var keyPath: String

    public func error(_ problem: String, hint: String? = nil) -> ManifestError {
        ManifestError(file: file, keyPath: keyPath, problem: problem, hint: hint)
    }
}

/// A type that can be read from a declaration value.
public protocol ManifestDecodable {
    static var manifestTypeName: String { get }
    static func decode(_ value: ManifestValue, context: DecodingContext) throws -> Self
}

extension Int: ManifestDecodable {
    public static var manifestTypeName: String { "integer" }
    public static func decode(_ value: ManifestValue, context: DecodingContext) throws -> Int {
        guard case .integer(let int) = value else { throw context.error("expected an integer, found \(value.typeName)") }
        return int
    }
}

extension Double: ManifestDecodable {
    public static var manifestTypeName: String { "number" }
    /// Integers are accepted where a float is expected (`eta = 100`).
    public static func decode(_ value: ManifestValue, context: DecodingContext) throws -> Double {
        switch value {
        case .float(let double): return double
        case .integer(let int): return Double(int)
        default: throw context.error("expected a number, found \(value.typeName)")
        }
    }
}

extension String: ManifestDecodable {
    public static var manifestTypeName: String { "string" }
    public static func decode(_ value: ManifestValue, context: DecodingContext) throws -> String {
        guard case .string(let string) = value else { throw context.error("expected a string, found \(value.typeName)") }
        return string
    }
}

extension Bool: ManifestDecodable {
    public static var manifestTypeName: String { "boolean" }
    public static func decode(_ value: ManifestValue, context: DecodingContext) throws -> Bool {
        guard case .boolean(let bool) = value else { throw context.error("expected a boolean, found \(value.typeName)") }
        return bool
    }
}

extension Array: ManifestDecodable where Element: ManifestDecodable {
    public static var manifestTypeName: String { "array of \(Element.manifestTypeName)" }
    public static func decode(_ value: ManifestValue, context: DecodingContext) throws -> [Element] {
        guard case .array(let items) = value else {
            throw context.error("expected an array of \(Element.manifestTypeName), found \(value.typeName)")
        }
        return try items.enumerated().map { index, item in
            try Element.decode(item, context: DecodingContext(file: context.file, keyPath: "\(context.keyPath)[\(index)]"))
        }
    }
}

/// String-valued enumerations (`optimizer = "adam"`): the error lists the allowed values.
public protocol ManifestEnum: ManifestDecodable, RawRepresentable, CaseIterable where RawValue == String {}

extension ManifestEnum {
    public static var manifestTypeName: String { allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " | ") }
    public static func decode(_ value: ManifestValue, context: DecodingContext) throws -> Self {
        let raw = try String.decode(value, context: context)
        guard let decoded = Self(rawValue: raw) else {
            throw context.error("unknown value \"\(raw)\"", hint: "expected one of \(manifestTypeName)")
        }
        return decoded
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
