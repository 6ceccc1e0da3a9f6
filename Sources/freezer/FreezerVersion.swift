/// freezer's version, reported by `--version` and recorded in every log.
enum FreezerVersion {
    static let string = "0.1.0"
}
