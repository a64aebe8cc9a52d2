import HarnessCore
import Foundation

/// Column-aligned plain-text tables for terminals and CI logs.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func add(_ cells: String...) { rows.append(cells) }
    mutating func add(_ cells: [String]) { rows.append(cells) }

    func rendered(indent: String = "  ") -> String {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            return indent + padded.joined(separator: "  ")
        }
        let rule = indent + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

/// Compact number formatting for tables: shortest form up to 6 significant digits.
func formatted(_ value: Double?) -> String {
    guard let value else { return "—" }
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "∞" : "−∞" }
    if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
    let magnitude = abs(value)
    if magnitude >= 1e-3 && magnitude < 1e6 {
        var text = String(format: "%.6g", value)
        if text.contains("e") { text = "\(value)" }
        return text
    }
    let shortest = "\(value)"
    return shortest.count <= 10 ? shortest : String(format: "%.3e", value)
}

/// A metric's value with its interval, e.g. `37.2 [31.0, 44.1]` or `≥ 120`.
func formatted(_ value: Double, interval: MetricInterval?) -> String {
    guard let interval else { return formatted(value) }
    if interval.upper.isInfinite && interval.lower == value { return "≥ \(formatted(value))" }
    return "\(formatted(value)) [\(formatted(interval.lower)), \(formatted(interval.upper))]"
}
