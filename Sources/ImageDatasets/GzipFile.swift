import CZlib
import Foundation

/// Whole-file gzip decompression through zlib's gz* API, and CRC-32 of byte buffers.
public enum GzipFile {
    /// The decompressed contents of the gzip file at `path`.
    ///
    /// Throws `missingFile` (naming `package`) when the file does not exist, `notGzip` when zlib
    /// finds no gzip header (it would otherwise pass the bytes through unchanged), and
    /// `unreadable` on a truncated or corrupt stream.
    public static func read(_ path: String, package: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImageDatasetError.missingFile(path: path, package: package)
        }
        guard let file = gzopen(path, "rb") else {
            throw ImageDatasetError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { gzclose_r(file) }
        gzbuffer(file, 1 << 17)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 17)
        while true {
            let got = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if got < 0 { throw ImageDatasetError.unreadable(path: path, reason: message(file)) }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<Int(got)])
        }
        var code: Int32 = 0
        _ = gzerror(file, &code)
        if code != Z_OK { throw ImageDatasetError.unreadable(path: path, reason: message(file)) }
        if gzdirect(file) != 0 { throw ImageDatasetError.notGzip(path: path) }
        return bytes
    }

    /// Writes `bytes` gzip-compressed to `path` (used to build test fixtures).
    public static func write(_ bytes: [UInt8], to path: String) throws {
        guard let file = gzopen(path, "wb") else {
            throw ImageDatasetError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        let closed = gzclose_w(file)
        guard Int(written) == bytes.count || bytes.isEmpty, closed == Z_OK else {
            throw ImageDatasetError.unreadable(path: path, reason: "gzwrite wrote \(written) of \(bytes.count) bytes")
        }
    }

    /// CRC-32 (zlib's, the one a gzip trailer stores) of `bytes`.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        let value = bytes.withUnsafeBufferPointer { buffer in
            CZlib.crc32(0, buffer.baseAddress, UInt32(buffer.count))
        }
        return UInt32(truncatingIfNeeded: value)
    }

    private static func message(_ file: gzFile) -> String {
        var code: Int32 = 0
        guard let text = gzerror(file, &code) else { return "zlib error \(code)" }
        return String(cString: text)
    }
}
