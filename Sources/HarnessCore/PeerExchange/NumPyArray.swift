import Foundation

/// A dense array in NumPy's `.npy` format, version 1.0, the exchange format between ClaimBench
/// and the peer scripts of `claimbench perf --peers` (`numpy.load` reads it without copying).
///
/// The layout (NumPy's NEP 1, "A simple file format for NumPy arrays"): the magic bytes
/// `\x93NUMPY`, the version bytes 1 and 0, a little-endian UInt16 header length, then an ASCII
/// Python dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (r, c), }` padded with
/// spaces and ended by a newline so that the data starts at a multiple of 64 bytes, then the
/// elements in C (row-major) order. Only little-endian Float64 (`<f8`) and Float32 (`<f4`) are
/// written or read: that is all the peers exchange.
public struct NumPyArray: Sendable, Equatable {
    public enum Elements: Sendable, Equatable {
        case float64([Double])
        case float32([Float])
    }

    public var shape: [Int]
    public var elements: Elements

    public init(shape: [Int], float64 values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "NumPyArray: shape \(shape) does not hold \(values.count) elements")
        self.shape = shape
        elements = .float64(values)
    }

    public init(shape: [Int], float32 values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "NumPyArray: shape \(shape) does not hold \(values.count) elements")
        self.shape = shape
        elements = .float32(values)
    }

    /// A 0-dimensional Float64 array (NumPy's scalar array, shape `()`).
    public init(scalar: Double) { self.init(shape: [], float64: [scalar]) }

    /// The elements as Double (Float32 values widened exactly).
    public var doubles: [Double] {
        switch elements {
        case .float64(let values): values
        case .float32(let values): values.map(Double.init)
        }
    }

    var descriptor: String {
        switch elements {
        case .float64: "<f8"
        case .float32: "<f4"
        }
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// The data offset is padded to a multiple of this (NumPy pads to 64 since 1.x).
    static let alignment = 64

    /// The file's bytes.
    public func encoded() -> Data {
        let dimensions = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(descriptor)', 'fortran_order': False, 'shape': (\(dimensions)), }"
        let prefix = Self.magic.count + 2 + 2
        let padding = (Self.alignment - (prefix + header.utf8.count + 1) % Self.alignment) % Self.alignment
        header += String(repeating: " ", count: padding) + "\n"
        var data = Data(Self.magic + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        switch elements {
        case .float64(let values):
            data.reserveCapacity(data.count + 8 * values.count)
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        case .float32(let values):
            data.reserveCapacity(data.count + 4 * values.count)
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }

    /// Writes the file atomically (`AtomicFile`).
    public func write(to url: URL) throws { try AtomicFile.write(encoded(), to: url) }

    /// Why a file is not an array this reader takes; `description` names the file and what to do.
    public struct FormatError: Error, CustomStringConvertible {
        public var path: String
        public var problem: String
        public var description: String { "\(path): \(problem) (write it with numpy.save as a C-ordered float64 or float32 array)" }
    }

    /// Reads a `.npy` file of version 1.0, 2.0 or 3.0 holding a C-ordered `<f8` or `<f4` array.
    public static func read(_ url: URL) throws -> NumPyArray {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FormatError(path: url.path, problem: "cannot read the file")
        }
        return try decode(data, path: url.path)
    }

    /// Decodes the bytes of a `.npy` file; `path` names it in errors.
    public static func decode(_ data: Data, path: String) throws -> NumPyArray {
        let bytes = [UInt8](data)
        func fail(_ problem: String) -> FormatError { FormatError(path: path, problem: problem) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("not a .npy file (no \\x93NUMPY magic)") }
        let major = bytes[6]
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated header") }
            headerStart = 12
            headerLength = (8...11).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }
        default:
            throw fail("unsupported .npy version \(major).\(bytes[7])")
        }
        guard bytes.count >= headerStart + headerLength,
              let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8)
        else { throw fail("truncated or non-text header") }
        guard let descr = Self.quotedValue(of: "descr", in: header) else { throw fail("header has no 'descr'") }
        guard header.contains("'fortran_order': False") else { throw fail("Fortran-ordered arrays are not read") }
        guard let shape = Self.shape(in: header) else { throw fail("header has no readable 'shape'") }
        let count = shape.reduce(1, *)
        let body = bytes[(headerStart + headerLength)...]
        switch descr {
        case "<f8":
            guard body.count == 8 * count else { throw fail("expected \(8 * count) data bytes for shape \(shape), found \(body.count)") }
            var values = [Double](repeating: 0, count: count)
            body.withUnsafeBytes { raw in
                for i in 0..<count { values[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))) }
            }
            return NumPyArray(shape: shape, float64: values)
        case "<f4":
            guard body.count == 4 * count else { throw fail("expected \(4 * count) data bytes for shape \(shape), found \(body.count)") }
            var values = [Float](repeating: 0, count: count)
            body.withUnsafeBytes { raw in
                for i in 0..<count { values[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            }
            return NumPyArray(shape: shape, float32: values)
        default:
            throw fail("element type '\(descr)' is not read (only '<f8' and '<f4')")
        }
    }

    /// The quoted string after `'key':` in a header dict.
    static func quotedValue(of key: String, in header: String) -> String? {
        guard let keyRange = header.range(of: "'\(key)':") else { return nil }
        let rest = header[keyRange.upperBound...].drop { $0 == " " }
        guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return String(value)
    }

    /// The integers of the `'shape': (…)` tuple; `[]` for a scalar's `()`.
    static func shape(in header: String) -> [Int]? {
        guard let keyRange = header.range(of: "'shape':") else { return nil }
        let rest = header[keyRange.upperBound...].drop { $0 == " " }
        guard rest.first == "(", let close = rest.firstIndex(of: ")") else { return nil }
        let inside = rest[rest.index(after: rest.startIndex)..<close]
        var dimensions: [Int] = []
        for part in inside.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let value = Int(trimmed), value >= 0 else { return nil }
            dimensions.append(value)
        }
        return dimensions
    }
}
