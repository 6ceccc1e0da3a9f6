/// Ordering: topological sort and cycle detection.
extension Graph {
    /// Nodes in an order where every node comes after the producers of its inputs and captures.
    /// Stable: among ready nodes, the current order wins. Throws `.cycle` naming the nodes on one cycle.
    public func topologicalOrder() throws(GraphError) -> [NodeID] {
        var pending: [NodeID: Int] = [:]
        for id in nodeOrder {
            let node = node(id)
            let deps = Set((node.inputs.compactMap { $0 } + node.captures).compactMap { values[$0.index].producingNode })
            pending[id] = deps.count
        }
        var ready = nodeOrder.filter { pending[$0] == 0 }
        var order: [NodeID] = []
        order.reserveCapacity(nodeOrder.count)
        var position = Dictionary(uniqueKeysWithValues: nodeOrder.enumerated().map { ($1, $0) })
        var heap = MinHeap(ready.map { (position[$0]!, $0) })
        ready.removeAll()
        while let (_, id) = heap.pop() {
            order.append(id)
            for output in node(id).outputs.compactMap({ $0 }) {
                for consumer in Set(values[output.index].uses.map(\.node)) {
                    pending[consumer]! -= 1
                    if pending[consumer] == 0 { heap.push((position[consumer]!, consumer)) }
                }
            }
        }
        if order.count != nodeOrder.count {
            let stuck = Set(nodeOrder).subtracting(order)
            throw .cycle(graph: name, nodes: findCycle(among: stuck).map { displayName($0) })
        }
        position.removeAll()
        return order
    }

    /// One cycle among `stuck` (nodes a topological sort could not place), in dependency order.
    private func findCycle(among stuck: Set<NodeID>) -> [NodeID] {
        guard var current = nodeOrder.first(where: stuck.contains) else { return [] }
        var seenAt: [NodeID: Int] = [:]
        var path: [NodeID] = []
        while seenAt[current] == nil {
            seenAt[current] = path.count
            path.append(current)
            let node = node(current)
            let preds = (node.inputs.compactMap { $0 } + node.captures).compactMap { values[$0.index].producingNode }
            guard let next = preds.first(where: stuck.contains) else { return path }
            current = next
        }
        return Array(path[seenAt[current]!...].reversed())
    }
}

/// A small binary min-heap keyed by original position, for a stable topological sort.
struct MinHeap {
    private var items: [(Int, NodeID)]
    init(_ items: [(Int, NodeID)]) {
        self.items = []
        for item in items { push(item) }
    }
    mutating func push(_ item: (Int, NodeID)) {
        items.append(item)
        var i = items.count - 1
        while i > 0, items[(i - 1) / 2].0 > items[i].0 { items.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
    }
    mutating func pop() -> (Int, NodeID)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count, items[l].0 < items[m].0 { m = l }
            if r < items.count, items[r].0 < items[m].0 { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top
    }
}
