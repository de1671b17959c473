import ChainwatchCore

/// Plants labelled laundering and attack patterns into a real background stream, for backtests whose
/// ground truth is known exactly.
///
/// Planted transactions look like the stream around them: they sit in real blocks (real block numbers and
/// timestamps) after the block's real transactions, use fresh random hashes and valid lowercase addresses,
/// and carry an exact wei string (`valueRaw`) whose parsed value is `amount`. "Within k blocks" is in block
/// numbers; where the background skips a block number, the next real block is used. Everything depends only on
/// `seed`, `counts` and the background, so two runs give identical output.
///
/// | typology          | pattern (per instance)                                                              |
/// |-------------------|--------------------------------------------------------------------------------------|
/// | `large_transfer`  | an active sender (≥ 3 non-zero sends) sends 100–1000× its median amount, once          |
/// | `fan_out`         | a fresh address is funded, then pays 15–40 fresh addresses within 4 blocks            |
/// | `fan_in`          | 20–40 existing senders each pay one fresh address within 4 blocks                     |
/// | `peel_chain`      | a fresh address is funded and 5–8 hops follow, each forwarding 85–98 % 1–3 blocks later |
/// | `pass_through`    | a fresh address receives X and forwards X·(0.97–1.0) to an existing account 1–5 blocks later |
/// | `burst`           | a fresh address is funded, then sends 30–60 transactions within 5 blocks              |
///
/// Every planted transaction (funding included) is labelled positive with its typology. The defaults plant
/// about 350 transactions, 1–2 % of the 19,999-transaction 2017 sample.
public struct LabelledStreamGenerator: Sendable {
    /// How many instances of each pattern to plant.
    public struct Counts: Sendable, Equatable {
        public var largeTransfers = 40
        public var fanOuts = 3
        public var fanIns = 3
        public var peelChains = 5
        public var passThroughs = 10
        public var bursts = 2
        public init() {}
        public init(largeTransfers: Int, fanOuts: Int, fanIns: Int, peelChains: Int, passThroughs: Int, bursts: Int) {
            (self.largeTransfers, self.fanOuts, self.fanIns) = (largeTransfers, fanOuts, fanIns)
            (self.peelChains, self.passThroughs, self.bursts) = (peelChains, passThroughs, bursts)
        }
    }

    /// One row of the labels CSV (`hash,label,typology`); `label` is always 1 for planted rows.
    public struct PlantedLabel: Sendable, Equatable {
        public var hash: String
        public var label: Int
        public var typology: String
    }

    public struct Output: Sendable {
        /// Background plus planted transactions, sorted by (block number, transaction index).
        public var transactions: [Transaction]
        /// One label per planted transaction, in planting order.
        public var labels: [PlantedLabel]
        /// The address that drives each instance (its sender, or the receiver for `fan_in`) and its
        /// typology: pass these to ``BacktestMetrics`` as `delayAddresses`.
        public var actors: [String: String]
        /// Instances planted per typology (equals ``Counts`` unless the stream was too short).
        public var instances: [String: Int]
    }

    public var seed: UInt64
    public var counts: Counts

    public init(seed: UInt64 = 1, counts: Counts = Counts()) {
        self.seed = seed
        self.counts = counts
    }

    /// Plants the patterns into `background`.
    ///
    /// - Throws: `.invalidArgument` when the background has fewer than 40 blocks or fewer than 40 active
    ///   senders (too small to hide patterns in).
    public func generate(background: [Transaction]) throws(ChainwatchError) -> Output {
        var planter = try Planter(background: background, seed: seed)
        let plan: [(Int, String, (inout Planter) -> Void)] = [
            (counts.largeTransfers, "large_transfer", { $0.plantLargeTransfer() }),
            (counts.fanOuts, "fan_out", { $0.plantFanOut() }),
            (counts.fanIns, "fan_in", { $0.plantFanIn() }),
            (counts.peelChains, "peel_chain", { $0.plantPeelChain() }),
            (counts.passThroughs, "pass_through", { $0.plantPassThrough() }),
            (counts.bursts, "burst", { $0.plantBurst() }),
        ]
        var instances: [String: Int] = [:]
        for (count, typology, plant) in plan {
            instances[typology] = 0
            for _ in 0 ..< max(0, count) {
                planter.typology = typology
                plant(&planter)
                instances[typology, default: 0] += 1
            }
        }
        let merged = (background + planter.planted).sorted {
            ($0.blockNumber, $0.txIndex) < ($1.blockNumber, $1.txIndex)
        }
        return Output(transactions: merged, labels: planter.labels, actors: planter.actors, instances: instances)
    }
}
