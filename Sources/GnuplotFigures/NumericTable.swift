/// Numeric columns held in memory, which a figure script reads exactly as it reads a run's CSV
/// file: `FigureRenderer.render(script:table:…)` sends them to gnuplot inline, as a datablock
/// with a header line, so `column("name")` works in both cases.
public struct NumericTable: Sendable, Equatable {
    public struct InvalidTable: Error, CustomStringConvertible {
        public let description: String
    }

    public let columnNames: [String]
    /// All values, row after row.
    public let rowMajorValues: [Double]
    public let rowCount: Int

    /// Columns in order, each with its name and its values; all columns have the same length.
    public init(columns: [(name: String, values: [Double])]) throws {
        guard let first = columns.first else { throw InvalidTable(description: "inline figure table: no columns; pass at least one (name, values) pair") }
        var seen = Set<String>()
        for column in columns {
            guard seen.insert(column.name).inserted else {
                throw InvalidTable(description: "inline figure table: column name `\(column.name)` appears twice; give each column its own name")
            }
            guard !column.name.isEmpty, !column.name.contains(where: { $0 == "\"" || $0.isNewline }) else {
                throw InvalidTable(description: "inline figure table: column name \(column.name.debugDescription) is empty or holds a double quote or newline; rename the column")
            }
            guard column.values.count == first.values.count else {
                throw InvalidTable(description: "inline figure table: column `\(column.name)` has \(column.values.count) values, `\(first.name)` has \(first.values.count); give every column the same length")
            }
        }
        columnNames = columns.map(\.name)
        rowCount = first.values.count
        var values: [Double] = []
        values.reserveCapacity(rowCount * columns.count)
        for row in 0..<rowCount {
            for column in columns { values.append(column.values[row]) }
        }
        rowMajorValues = values
    }
}
