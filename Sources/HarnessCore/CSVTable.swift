import Foundation

/// A tidy table (one observation per row) behind a figure, written as CSV next to run.json.
public struct CSVTable: Sendable, Equatable, Codable {
    public enum Cell: Sendable, Equatable, Codable {
        case number(Double)
        case integer(Int)
        case text(String)
    }

    public let columns: [String]
    public private(set) var rows: [[Cell]] = []

    public init(columns: [String]) {
        precondition(!columns.isEmpty, "a table needs at least one column")
        self.columns = columns
    }

    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "row has \(row.count) cells, table has \(columns.count) columns")
        rows.append(row)
    }

    /// CSV with a header line. Numbers use Swift's shortest round-trip form; non-finite values
    /// are written as `NaN`, `inf` and `-inf`, which gnuplot reads. Text is quoted when needed.
    public func rendered() -> String {
        var out = columns.map(Self.quoted).joined(separator: ",") + "\n"
        for row in rows {
            out += row.map(Self.render).joined(separator: ",") + "\n"
        }
        return out
    }

    static func render(_ cell: Cell) -> String {
        switch cell {
        case .integer(let int): return String(int)
        case .text(let text): return quoted(text)
        case .number(let double):
            if double.isNaN { return "NaN" }
            if double.isInfinite { return double > 0 ? "inf" : "-inf" }
            return "\(double)"
        }
    }

    static func quoted(_ text: String) -> String {
        // Bytes, not Characters: "\r\n" is a single Character, equal to neither "\r" nor "\n".
        let special: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r")]
        guard text.utf8.contains(where: special.contains) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
