/// Why an image data set could not be read. Each message names the file and says what to do.
public enum ImageDatasetError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist: the Debian package that ships it is not installed.
    case missingFile(path: String, package: String)
    /// zlib could not open or decompress the file (`reason` is zlib's message).
    case unreadable(path: String, reason: String)
    /// The file is not gzip-compressed (zlib read it through unchanged).
    case notGzip(path: String)
    /// The IDX header or size is wrong; `problem` says which field and what was expected.
    case malformed(path: String, problem: String)
    /// The image and label files of one split disagree.
    case mismatchedSplit(images: String, labels: String, imageCount: Int, labelCount: Int)

    public var description: String {
        switch self {
        case .missingFile(let path, let package):
            "\(path): no such file; install it with `apt-get install \(package)` (or `make deps`)"
        case .unreadable(let path, let reason):
            "\(path): cannot decompress (\(reason)); reinstall the data set package or check the file"
        case .notGzip(let path):
            "\(path): not a gzip file; expected the gzip-compressed IDX file the data set package ships"
        case .malformed(let path, let problem):
            "\(path): not a valid IDX file: \(problem)"
        case .mismatchedSplit(let images, let labels, let imageCount, let labelCount):
            "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels; they must be the same split"
        }
    }
}
