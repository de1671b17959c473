import ChainwatchCore

/// One feature's part in a row's anomaly score.
public struct FeatureContribution: Sendable, Equatable {
    public var name: String
    /// The raw (unstandardized) value in the row.
    public var value: Float
    /// Training 5th and 95th percentile of the feature (raw units).
    public var typicalLow: Float
    public var typicalHigh: Float
    /// Share of the combined explanation, in [0, 1]; shares of all features sum to 1.
    public var share: Double

    public init(name: String, value: Float, typicalLow: Float, typicalHigh: Float, share: Double) {
        self.name = name
        self.value = value
        self.typicalLow = typicalLow
        self.typicalHigh = typicalHigh
        self.share = share
    }
}

extension ModelBundle {
    /// Per-feature shares of a raw row's anomaly, all features, summing to 1.
    ///
    /// Rule: `share_j = (c_F · forest_j + c_A · ae_j) / (c_F + c_A)` where `forest_j` is the forest's
    /// ``IsolationForest/attribution(row:)`` and `ae_j` the ``Autoencoder/attribution(row:)`` (occlusion;
    /// each sums to 1), and `c_F`, `c_A` are the row's calibrated scores — the more surprised model explains more.
    public func featureShares(row: [Float]) -> [Double] {
        precondition(row.count == dimensions, "row has \(row.count) values, model expects \(dimensions)")
        let z = standardizer.transform(row: row)
        let scores = score(row: row)
        let forestShares = forest.attribution(row: z)
        let autoencoderShares = autoencoder.attribution(row: z)
        var wF = scores.forestCalibrated, wA = scores.autoencoderCalibrated
        if wF + wA <= 0 { wF = 1; wA = 1 }
        return (0 ..< dimensions).map { j in
            (wF * Double(forestShares[j]) + wA * Double(autoencoderShares[j])) / (wF + wA)
        }
    }

    /// The `top` features with the largest shares (ties by column order), for an alert's reasons.
    public func explain(row: [Float], top: Int = 3) -> [FeatureContribution] {
        let shares = featureShares(row: row)
        let order = shares.indices.sorted { shares[$0] != shares[$1] ? shares[$0] > shares[$1] : $0 < $1 }
        return order.prefix(max(top, 0)).map { j in
            FeatureContribution(name: featureNames[j], value: row[j], typicalLow: standardizer.typicalLow[j],
                                typicalHigh: standardizer.typicalHigh[j], share: shares[j])
        }
    }

    /// The `reasons` JSON for one row, keys in this fixed order:
    /// `{"model_id", "scores": {"forest", "autoencoder", "ensemble"} (calibrated),
    ///   "top_features": [{"name", "value", "typical_low", "typical_high", "share"}]}`.
    public func reasonsJSON(row: [Float], scores: ModelScores.Row, top: Int = 3) -> String {
        var scoreObject = JSONObjectWriter()
        scoreObject.add("forest", scores.forestCalibrated)
        scoreObject.add("autoencoder", scores.autoencoderCalibrated)
        scoreObject.add("ensemble", scores.ensemble)
        let features = explain(row: row, top: top).map { contribution in
            var item = JSONObjectWriter()
            item.add("name", contribution.name)
            item.add("value", Double(contribution.value))
            item.add("typical_low", Double(contribution.typicalLow))
            item.add("typical_high", Double(contribution.typicalHigh))
            item.add("share", contribution.share)
            return item.finished()
        }
        var writer = JSONObjectWriter()
        writer.add("model_id", id)
        writer.add("scores", rawJSON: scoreObject.finished())
        writer.add("top_features", rawJSON: JSONObjectWriter.array(features))
        return writer.finished()
    }

    /// ``reasonsJSON(row:scores:top:)`` computing the row's scores itself.
    public func reasonsJSON(row: [Float], top: Int = 3) -> String {
        reasonsJSON(row: row, scores: score(row: row), top: top)
    }
}
