/// The IDX format of the (Fashion-)MNIST files: a big-endian header and raw unsigned bytes.
///
/// Header: two zero bytes, a type byte (0x08 = unsigned byte, the only type read here), the
/// number of dimensions, then one big-endian UInt32 per dimension. Images are 3-dimensional
/// (count × rows × columns, magic 0x00000803), labels 1-dimensional (count, magic 0x00000801).
public enum IDXFile {
    /// The magic number of an unsigned-byte IDX file with `dimensions` dimensions.
    public static func magic(dimensions: Int) -> UInt32 { 0x0800 | UInt32(dimensions) }

    /// The dimensions and payload of an unsigned-byte IDX file, checked against `dimensions`
    /// and against the file size (no missing and no trailing bytes).
    public static func parse(_ bytes: [UInt8], dimensions: Int, path: String) throws -> (shape: [Int], payload: ArraySlice<UInt8>) {
        func fail(_ problem: String) -> ImageDatasetError { .malformed(path: path, problem: problem) }
        guard bytes.count >= 4 else { throw fail("\(bytes.count) bytes, shorter than the 4-byte magic number") }
        let magic = bigEndian(bytes, at: 0)
        guard magic == Self.magic(dimensions: dimensions) else {
            throw fail("magic number 0x\(hex(magic)), expected 0x\(hex(Self.magic(dimensions: dimensions))) (unsigned bytes, \(dimensions) dimension\(dimensions == 1 ? "" : "s"))")
        }
        let headerSize = 4 + 4 * dimensions
        guard bytes.count >= headerSize else {
            throw fail("\(bytes.count) bytes, shorter than the \(headerSize)-byte header")
        }
        let shape = (0..<dimensions).map { Int(bigEndian(bytes, at: 4 + 4 * $0)) }
        var expected = headerSize
        var elements = 1
        for size in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("dimensions \(shape.map(String.init).joined(separator: "×")) are too large") }
            elements = product
        }
        expected += elements
        guard bytes.count == expected else {
            throw fail("dimensions \(shape.map(String.init).joined(separator: "×")) need \(expected) bytes, the file holds \(bytes.count)")
        }
        return (shape, bytes[headerSize...])
    }

    /// Encodes an unsigned-byte IDX file (the inverse of `parse`, for test fixtures and exports).
    public static func encode(shape: [Int], payload: [UInt8]) -> [UInt8] {
        precondition(shape.reduce(1, *) == payload.count, "payload size does not match the shape")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + 4 * shape.count + payload.count)
        append(magic(dimensions: shape.count), to: &bytes)
        for size in shape { append(UInt32(size), to: &bytes) }
        bytes.append(contentsOf: payload)
        return bytes
    }

    static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (UInt32(bytes[offset]) << 24) | (UInt32(bytes[offset + 1]) << 16) | (UInt32(bytes[offset + 2]) << 8) | UInt32(bytes[offset + 3])
    }

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
