import ArgumentParser

/// `--input-shape NAME=AxBxC` (an input's shape, or the value of a dimension symbol: `batch=4`).
enum InputShapeArgument {
    static func parse(_ items: [String]) throws -> [String: [Int]] {
        var shapes: [String: [Int]] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1)
            let dims = parts.count == 2 ? parts[1].split(separator: "x", omittingEmptySubsequences: false).map { Int($0) } : []
            guard parts.count == 2, !dims.isEmpty, dims.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw ValidationError("--input-shape '\(item)' is not NAME=AxBxC (for example input=1x3x224x224)")
            }
            shapes[String(parts[0])] = dims.map { $0! }
        }
        return shapes
    }
}
