import Foundation

/// The data-cache sizes of CPU 0, read from Linux sysfs
/// (`/sys/devices/system/cpu/cpu0/cache/index*/{level,type,size}`), for tiling decisions.
public struct CacheTopology: Sendable, Equatable, Codable {
    /// L1 data cache, bytes.
    public var l1Data: Int
    /// L2 (unified or data) cache, bytes.
    public var l2: Int
    /// Where the sizes came from.
    public enum Source: String, Sendable, Codable {
        /// Read from /sys/devices/system/cpu/cpu0/cache.
        case sysfs
        /// sysfs had no usable entries: the `fallback` sizes.
        case fallback
        /// Given by the caller (tests, or a tiling study of another machine).
        case given
    }
    public var source: Source

    public init(l1Data: Int, l2: Int, source: Source = .given) {
        self.l1Data = l1Data
        self.l2 = l2
        self.source = source
    }

    /// 32 KiB L1d and 512 KiB L2, used when sysfs has no cache entries (containers, non-Linux).
    public static let fallback = CacheTopology(l1Data: 32 << 10, l2: 512 << 10, source: .fallback)

    /// Reads sysfs; the fallback when either level is missing or unreadable.
    public static func current(root: String = "/sys/devices/system/cpu/cpu0/cache") -> CacheTopology {
        var l1: Int?, l2: Int?
        for index in 0..<16 {
            let directory = "\(root)/index\(index)"
            guard let level = read("\(directory)/level").flatMap(Int.init),
                  let type = read("\(directory)/type"),
                  let size = read("\(directory)/size").flatMap(parseSize) else { continue }
            if level == 1 && type == "Data" { l1 = size }
            if level == 2 && (type == "Unified" || type == "Data") { l2 = size }
        }
        guard let l1, let l2 else { return fallback }
        return CacheTopology(l1Data: l1, l2: l2, source: .sysfs)
    }

    /// "32K" → 32768, "1024K" → 1048576, "8M" → 8388608, "512" → 512.
    public static func parseSize(_ text: String) -> Int? {
        guard let last = text.last else { return nil }
        let multiplier: Int
        var digits = Substring(text)
        switch last {
        case "K", "k": multiplier = 1 << 10; digits = digits.dropLast()
        case "M", "m": multiplier = 1 << 20; digits = digits.dropLast()
        case "G", "g": multiplier = 1 << 30; digits = digits.dropLast()
        default: multiplier = 1
        }
        guard let value = Int(digits), value > 0 else { return nil }
        return value * multiplier
    }

    private static func read(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
