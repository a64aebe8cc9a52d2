import Foundation
import TOMLKit

/// Reads `suites/<id>.toml` files into `ManifestValue` trees. The only file that knows TOMLKit.
public enum SuiteRegistry {
    /// Parses TOML text; syntax errors name the file, line and column.
    public static func parse(_ text: String, file: String) throws -> [String: ManifestValue] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ManifestError(
                file: file, keyPath: "",
                problem: "TOML syntax error at line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        }
        return try convert(table, file: file, path: "")
    }

    /// Parses one TOML value written on its own (`5`, `[300, 500]`, `"gru"`); `nil` when it is not
    /// one. Command-line overrides (`--set key=value`) go through here.
    public static func parseValue(_ text: String) -> ManifestValue? {
        guard !text.contains("\n"), let table = try? TOMLTable(string: "value = \(text)"), table.keys.count == 1,
              let value = table["value"]?.tomlValue
        else { return nil }
        return try? convert(value, file: "--set", path: "value")
    }

    /// Loads and strictly decodes one declaration.
    public static func load(_ url: URL, displayPath: String? = nil) throws -> SuiteDeclaration {
        let shown = displayPath ?? url.path
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ManifestError(file: shown, keyPath: "", problem: "cannot read the file (\(error.localizedDescription))")
        }
        let entries = try parse(text, file: shown)
        let declaration = try SuiteDeclaration(table: ParameterTable(file: shown, entries: entries))
        let expectedID = url.deletingPathExtension().lastPathComponent
        guard declaration.id.rawValue == expectedID else {
            throw ManifestError(
                file: shown, keyPath: "id", problem: "id \"\(declaration.id)\" does not match the file name",
                hint: "rename the file to suites/\(declaration.id).toml or set id = \"\(expectedID)\"")
        }
        return declaration
    }

    /// Every `*.toml` in `directory`, sorted by suite ID.
    public static func loadAll(in directory: URL, displayPrefix: String = "suites") throws -> [SuiteDeclaration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw ManifestError(
                file: displayPrefix, keyPath: "", problem: "cannot list the suite registry (\(error.localizedDescription))",
                hint: "run claimbench from the repository root, or pass --root")
        }
        return try names.filter { $0.hasSuffix(".toml") }.sorted().map {
            try load(directory.appendingPathComponent($0), displayPath: "\(displayPrefix)/\($0)")
        }
    }

    private static func convert(_ table: TOMLTable, file: String, path: String) throws -> [String: ManifestValue] {
        var result: [String: ManifestValue] = [:]
        for key in table.keys {
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard let value = table[key]?.tomlValue else { continue }
            result[key] = try convert(value, file: file, path: keyPath)
        }
        return result
    }

    private static func convert(_ value: TOMLValue, file: String, path: String) throws -> ManifestValue {
        switch value.type {
        case .table: return .table(try convert(value.table!, file: file, path: path))
        case .array:
            return .array(try value.array!.enumerated().map { index, item in
                try convert(item.tomlValue, file: file, path: "\(path)[\(index)]")
            })
        case .string: return .string(value.string!)
        case .int: return .integer(value.int!)
        case .double: return .float(value.double!)
        case .bool: return .boolean(value.bool!)
        case .date, .time, .dateTime:
            throw ManifestError(file: file, keyPath: path, problem: "dates and times are not used in suite declarations")
        }
    }
}
