#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AtomicFile {
    /// Commits a model and the external data file it references, both already written and synced, so that
    /// neither a kill nor a failure leaves a model beside a data file it was not written with.
    ///
    /// Order: (1) the old model, if any, is renamed to a temporary name: from here on no model is visible;
    /// (2) the old data file likewise; (3) the new data file is committed; (4) the new model is committed.
    /// A kill therefore leaves the old pair (before 1), no model and at most one complete data file, old
    /// or new (between 1 and 4), or the new pair (after 4); never a model whose data file is missing,
    /// partial or another one. What was set aside is a temporary of this process, which the next write
    /// into the directory removes. On a failure both old files are renamed back and the new ones removed.
    static func commit(_ model: PreparedFile, referencing data: PreparedFile) throws(ModelSaveError) {
        let oldModel = try SetAside(model.path)
        let oldData: SetAside
        do throws(ModelSaveError) { oldData = try SetAside(data.path) } catch {
            oldModel.restore(replacing: model)
            throw error
        }
        do throws(ModelSaveError) {
            try data.commit()
            try model.commit()
        } catch {
            oldData.restore(replacing: data)
            oldModel.restore(replacing: model)
            throw error
        }
        oldData.drop()
        oldModel.drop()
    }
}

/// A file moved to a temporary name while its replacement is committed, to be put back or removed.
struct SetAside {
    let original: String
    /// Where the file went; nil when there was none.
    let temporary: String?

    init(_ path: String) throws(ModelSaveError) {
        original = path
        var st = stat()
        guard lstat(path, &st) == 0 else {
            guard errno == ENOENT else { throw .cannotWrite(path: path, reason: MappedFile.errnoText()) }
            temporary = nil
            return
        }
        // The random tag makes the name free: rename would replace a file, so the claim checks that first.
        temporary = try TemporaryName.claim(beside: path) { candidate in
            var probe = stat()
            if lstat(candidate, &probe) == 0 { errno = EEXIST; return -1 }
            return rename(path, candidate)
        }.path
    }

    /// Puts the original back over whatever `replacement` committed, or removes the replacement if there
    /// was no original.
    func restore(replacing replacement: PreparedFile) {
        if let temporary { rename(temporary, original) }
        else if replacement.isCommitted { unlink(original) }
        PreparedFile.syncDirectory(of: original)
    }

    func drop() {
        if let temporary { unlink(temporary) }
    }
}
