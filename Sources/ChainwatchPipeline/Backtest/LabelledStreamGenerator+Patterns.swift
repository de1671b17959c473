import ChainwatchCore
extension LabelledStreamGenerator.Planter {
    /// An active sender sends 100–1000× its median amount, after its profile exists (third send).
    mutating func plantLargeTransfer() {
        let sender = randomActiveSender()
        let position = startPosition(span: 0, notBefore: min(profiledFrom[sender]! + 1, blocks.count - 1))
        let receiver = rng.unit() < 0.5 ? freshAddress() : randomActiveSender()
        let eth = medianAmount[sender]! * rng.uniform(100, 1000)
        plant(at: position, from: sender, to: receiver == sender ? freshAddress() : receiver, eth: eth)
        actors[sender] = typology
    }

    /// A fresh address is funded in block p, then pays 15–40 fresh addresses in blocks p … p+3.
    mutating func plantFanOut() {
        let hub = freshAddress()
        let position = startPosition(span: 3)
        let payees = rng.int(in: 15 ... 40)
        let each = (0 ..< payees).map { _ in rng.uniform(0.5, 5) }
        plant(at: position, from: randomActiveSender(), to: hub, eth: each.reduce(0, +) * 1.01)
        for eth in each {
            plant(at: later(position, by: 0 ... 3), from: hub, to: freshAddress(), eth: eth)
        }
        actors[hub] = typology
    }

    /// 20–40 distinct existing senders each pay one fresh address within blocks p … p+3, about their
    /// usual amount each.
    mutating func plantFanIn() {
        let sink = freshAddress()
        let position = startPosition(span: 3)
        var payers: Set<String> = []
        let wanted = rng.int(in: 20 ... 40)
        while payers.count < wanted {
            let payer = randomActiveSender()
            guard payers.insert(payer).inserted else { continue }
            plant(at: later(position, by: 0 ... 3), from: payer, to: sink, eth: medianAmount[payer]! * rng.uniform(0.5, 2))
        }
        actors[sink] = typology
    }

    /// A fresh address is funded with 20–500 ETH; 5–8 hops follow through fresh addresses, each 1–3
    /// blocks after the last and forwarding 85–98 % of what arrived.
    mutating func plantPeelChain() {
        let hops = rng.int(in: 5 ... 8)
        var position = startPosition(span: 3 * hops)
        var holder = freshAddress()
        actors[holder] = typology
        var amount = plant(at: position, from: randomActiveSender(), to: holder, eth: rng.uniform(20, 500))
        for _ in 0 ..< hops {
            position = later(position, by: 1 ... 3)
            let next = freshAddress()
            amount = plant(at: position, from: holder, to: next, eth: amount * rng.uniform(0.85, 0.98))
            holder = next
        }
    }

    /// A fresh address receives 1–100 ETH and forwards 97–100 % of it to an existing account 1–5 blocks later.
    mutating func plantPassThrough() {
        let relay = freshAddress()
        let position = startPosition(span: 5)
        let received = plant(at: position, from: randomActiveSender(), to: relay, eth: rng.uniform(1, 100))
        plant(at: later(position, by: 1 ... 5), from: relay, to: randomActiveSender(), eth: received * rng.uniform(0.97, 1.0))
        actors[relay] = typology
    }

    /// A fresh address is funded, then sends 30–60 small transactions to existing accounts within blocks
    /// p … p+4.
    mutating func plantBurst() {
        let sender = freshAddress()
        let position = startPosition(span: 4)
        let sends = (0 ..< rng.int(in: 30 ... 60)).map { _ in rng.uniform(0.01, 0.5) }
        plant(at: position, from: randomActiveSender(), to: sender, eth: sends.reduce(0, +) * 1.01)
        for eth in sends {
            plant(at: later(position, by: 0 ... 4), from: sender, to: randomActiveSender(), eth: eth)
        }
        actors[sender] = typology
    }
}
