import Foundation

/// The one encoding of unit results, shared by whole runs, shards and the result cache.
///
/// JSON with sorted keys. Doubles are written in Swift's shortest round-trip form and read back
/// to the same bits (a unit test checks subnormals, -0.0 and the extremes); NaN and the
/// infinities, which JSON lacks, are written as the strings `"nan"`, `"inf"` and `"-inf"`.
public enum UnitResultCodec {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, unit: WorkUnitID) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw UnitResultUnreadable(unit: unit, reason: "\(error)")
        }
    }
}

/// A stored unit result that does not decode as this build's `UnitResult`.
public struct UnitResultUnreadable: Error, CustomStringConvertible {
    public var unit: WorkUnitID
    public var reason: String
    public var description: String { "the stored result of work unit \(unit) cannot be read by this build: \(reason)" }
}
