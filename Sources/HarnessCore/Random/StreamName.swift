/// Stable 64-bit hash of a stream name: FNV-1a over its UTF-8 bytes.
///
/// Never `Hasher` or `hashValue`, which are seeded per process.
public enum StreamNameHash {
    public static func fnv1a64(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
