import ChainwatchCore

extension LabelledStreamGenerator {
    /// The mutable state of one generation run: the background's blocks and senders, the RNG, and what
    /// has been planted so far.
    struct Planter: Sendable {
        struct Block: Sendable {
            var number: Int64
            var time: Int64
            var gasPrice: Float
        }

        var rng: SplitMix64
        var blocks: [Block] = []
        var nextIndex: [Int64: Int32] = [:]
        /// Senders with at least three non-zero sends, sorted (dictionary order is not deterministic).
        var activeSenders: [String] = []
        var medianAmount: [String: Double] = [:]
        /// Position in ``blocks`` of each active sender's third send: planting after it keeps a profile.
        var profiledFrom: [String: Int] = [:]
        var usedHashes: Set<String>
        var usedAddresses: Set<String>
        var planted: [Transaction] = []
        var labels: [PlantedLabel] = []
        var actors: [String: String] = [:]
        var typology = ""

        init(background: [Transaction], seed: UInt64) throws(ChainwatchError) {
            rng = SplitMix64(seed: seed)
            usedHashes = Set(background.map { $0.hash.lowercased() })
            usedAddresses = Set(background.flatMap { [$0.fromAddress.lowercased(), $0.toAddress?.lowercased() ?? ""] })
            var byBlock: [Int64: (time: Int64, maxIndex: Int32, gas: Float)] = [:]
            for tx in background {
                let old = byBlock[tx.blockNumber]
                byBlock[tx.blockNumber] = (tx.blockTime, max(old?.maxIndex ?? -1, tx.txIndex), old?.gas ?? tx.gasPrice)
            }
            blocks = byBlock.keys.sorted().map { Block(number: $0, time: byBlock[$0]!.time, gasPrice: byBlock[$0]!.gas) }
            for (number, info) in byBlock { nextIndex[number] = info.maxIndex + 1 }
            let position = Dictionary(uniqueKeysWithValues: blocks.enumerated().map { ($0.element.number, $0.offset) })

            var sends: [String: [(block: Int64, amount: Double)]] = [:]
            for tx in background where tx.amount > 0 { sends[tx.fromAddress.lowercased(), default: []].append((tx.blockNumber, tx.amount)) }
            for (sender, list) in sends where list.count >= 3 {
                let amounts = list.map(\.amount).sorted()
                medianAmount[sender] = amounts[amounts.count / 2]
                profiledFrom[sender] = position[list.map(\.block).sorted()[2]]!
            }
            activeSenders = medianAmount.keys.sorted()
            guard blocks.count >= 40, activeSenders.count >= 40 else {
                throw ChainwatchError(
                    .invalidArgument, "background stream too small to plant patterns",
                    context: "\(blocks.count) blocks, \(activeSenders.count) active senders (need 40 each)"
                )
            }
        }

        // MARK: - Building blocks

        /// A new address nobody in the stream has used.
        mutating func freshAddress() -> String {
            while true {
                let address = "0x" + rng.hexDigits(40)
                if usedAddresses.insert(address).inserted { return address }
            }
        }

        mutating func randomActiveSender() -> String {
            activeSenders[rng.int(in: 0 ... activeSenders.count - 1)]
        }

        /// A random block position whose block number leaves room for `span` more block numbers before the
        /// end of the stream, at or after position `earliest`.
        mutating func startPosition(span: Int, notBefore earliest: Int = 0) -> Int {
            let roomy = position(atOrAfterBlock: blocks[blocks.count - 1].number - Int64(span) + 1) - 1
            let last = max(earliest, roomy)
            return min(rng.int(in: earliest ... last), blocks.count - 1)
        }

        /// The first stream block with number ≥ `number` (the last block if there is none). The background
        /// may skip block numbers (blocks it holds no transactions of), so "d blocks later" lands on the
        /// first real block at least d block numbers later.
        ///
        /// - Complexity: O(log n), binary search.
        func position(atOrAfterBlock number: Int64) -> Int {
            var low = 0, high = blocks.count
            while low < high {
                let middle = (low + high) / 2
                if blocks[middle].number < number { low = middle + 1 } else { high = middle }
            }
            return min(low, blocks.count - 1)
        }

        /// A position a random number of block numbers in `range` after `position`.
        mutating func later(_ position: Int, by range: ClosedRange<Int>) -> Int {
            self.position(atOrAfterBlock: blocks[position].number + Int64(rng.int(in: range)))
        }

        /// An exact wei string for about `eth` ETH (whole gwei plus nine random lower digits, so amounts are
        /// not suspiciously round), and the `amount` the decoders would parse from it.
        mutating func wei(forETH eth: Double) -> (valueRaw: String, amount: Double) {
            let gwei = UInt64(max(1, min(eth * 1e9, 1.8e19)))
            let low = String(rng.next() % 1_000_000_000)
            let raw = String(gwei) + String(repeating: "0", count: 9 - low.count) + low
            return (raw, DecimalAmount.parse(Array(raw.utf8), decimals: 18)!)
        }

        /// Plants one labelled transaction in block position `position` and returns its exact amount.
        @discardableResult
        mutating func plant(at position: Int, from sender: String, to receiver: String, eth: Double) -> Double {
            let block = blocks[min(position, blocks.count - 1)]
            var hash = ""
            repeat { hash = "0x" + rng.hexDigits(64) } while !usedHashes.insert(hash).inserted
            let index = nextIndex[block.number, default: 0]
            nextIndex[block.number] = index + 1
            let (raw, amount) = wei(forETH: eth)
            planted.append(Transaction(
                hash: hash, blockNumber: block.number, blockTime: block.time, txIndex: index,
                fromAddress: sender, toAddress: receiver, valueRaw: raw, amount: amount, gasPrice: block.gasPrice,
                flags: [], from: AccountKey(hexAddress: sender) ?? .none, to: AccountKey(hexAddress: receiver) ?? .none,
                source: "planted:\(typology)", line: 0
            ))
            labels.append(PlantedLabel(hash: hash, label: 1, typology: typology))
            return amount
        }
    }
}
