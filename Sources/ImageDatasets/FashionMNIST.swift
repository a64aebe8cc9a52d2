/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) as Debian's `dataset-fashion-mnist` ships it:
/// four gzip-compressed IDX files, 60,000 training and 10,000 test images of 28×28 grey levels
/// with labels 0–9. (MNIST itself is not packaged for Debian and cannot be fetched here.)
public enum FashionMNIST {
    /// Where Debian's package installs the files.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
    /// The Debian package that ships them.
    public static let package = "dataset-fashion-mnist"
    public static let rows = 28
    public static let columns = 28
    public static let classes = 10

    public enum Split: String, Sendable, CaseIterable {
        case train
        case test = "t10k"

        /// The number of images the published data set holds in this split.
        public var publishedCount: Int { self == .train ? 60_000 : 10_000 }
        public var imagesFile: String { "\(rawValue)-images-idx3-ubyte.gz" }
        public var labelsFile: String { "\(rawValue)-labels-idx1-ubyte.gz" }
    }

    /// Reads one split from `directory`, checking both IDX headers, the 28×28 image size, that
    /// image and label counts agree, and that every label is a class index.
    public static func load(_ split: Split, directory: String = defaultDirectory) throws -> LabelledImages {
        let imagesPath = join(directory, split.imagesFile)
        let labelsPath = join(directory, split.labelsFile)
        let imageBytes = try GzipFile.read(imagesPath, package: package)
        let labelBytes = try GzipFile.read(labelsPath, package: package)
        let images = try IDXFile.parse(imageBytes, dimensions: 3, path: imagesPath)
        let labels = try IDXFile.parse(labelBytes, dimensions: 1, path: labelsPath)
        guard images.shape[1] == rows, images.shape[2] == columns else {
            throw ImageDatasetError.malformed(
                path: imagesPath, problem: "images are \(images.shape[1])×\(images.shape[2]), expected \(rows)×\(columns)")
        }
        guard images.shape[0] == labels.shape[0] else {
            throw ImageDatasetError.mismatchedSplit(
                images: imagesPath, labels: labelsPath, imageCount: images.shape[0], labelCount: labels.shape[0])
        }
        if let bad = labels.payload.first(where: { Int($0) >= classes }) {
            throw ImageDatasetError.malformed(path: labelsPath, problem: "label \(bad) is not a class index 0–\(classes - 1)")
        }
        return LabelledImages(
            rows: rows, columns: columns, pixels: Array(images.payload), labels: Array(labels.payload),
            checksum: DatasetChecksum(images: GzipFile.crc32(imageBytes), labels: GzipFile.crc32(labelBytes)))
    }

    static func join(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}

/// CRC-32 of the decompressed bytes of the two files read (header included): the value a gzip
/// trailer stores, so `gzip -lv` on the package's files shows the same numbers.
public struct DatasetChecksum: Sendable, Equatable, CustomStringConvertible {
    public var images: UInt32
    public var labels: UInt32

    public init(images: UInt32, labels: UInt32) {
        self.images = images
        self.labels = labels
    }

    /// Both in one integer: images in the high 32 bits, labels in the low 32.
    public var combined: UInt64 { UInt64(images) << 32 | UInt64(labels) }

    public var description: String { "images crc32 \(IDXFile.hex(images)), labels crc32 \(IDXFile.hex(labels))" }
}

/// Grey-level images stored row-major, one after another, with their labels.
public struct LabelledImages: Sendable {
    public let rows: Int
    public let columns: Int
    /// count × rows × columns bytes, 0 = background.
    public let pixels: [UInt8]
    public let labels: [UInt8]
    public let checksum: DatasetChecksum

    public init(rows: Int, columns: Int, pixels: [UInt8], labels: [UInt8], checksum: DatasetChecksum) {
        precondition(pixels.count == rows * columns * labels.count, "pixel count does not match the labels")
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
        self.labels = labels
        self.checksum = checksum
    }

    public var count: Int { labels.count }
    public var pixelsPerImage: Int { rows * columns }

    /// Image `index`, row-major.
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "image \(index) out of 0..<\(count)")
        return pixels[(index * pixelsPerImage)..<((index + 1) * pixelsPerImage)]
    }
}
