import FreezerONNX
import FreezerIR
let args = CommandLine.arguments
do {
    let loaded = try ModelLoader.load(path: args[1])
    print(loaded.source)
    print(loaded.model.graph.defects)
    let saved = try ModelSaver.save(loaded.model, to: args[2], options: .init(externalData: args.count > 3 ? .always : .auto, protectedPaths: loaded.source.protectedPaths))
    print(saved)
} catch { print("ERROR:", error) }
