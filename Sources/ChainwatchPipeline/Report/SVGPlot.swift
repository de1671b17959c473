import Foundation

/// A small inline-SVG chart: axes with round-number ticks, lines and bars, a title and a legend.
/// No scripts, fonts or external references, so the report stays one self-contained file.
///
///     var plot = SVGPlot(id: "roc-curve", title: "ROC", xLabel: "FPR", yLabel: "TPR", x: 0 ... 1, y: 0 ... 1)
///     plot.addLine([(0, 0), (0.2, 0.8), (1, 1)], color: "#1f77b4", label: "combined")
///     let svg = plot.svg()
struct SVGPlot: Sendable {
    var id: String
    var title: String
    var xLabel: String
    var yLabel: String
    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    var width = 560.0
    var height = 340.0
    /// Replaces the automatic y ticks (e.g. for a log scale): value in plot units and its label.
    var yTicks: [(Double, String)]?
    /// Labels x ticks as whole numbers without grouping (block numbers) instead of ``HTMLText/compact(_:)``.
    var integerXTicks = false
    /// Puts the legend in the lower right corner (for curves that end in the upper right).
    var legendBelow = false
    private var marks: [String] = []
    private var legend: [(label: String, color: String)] = []
    private let left = 62.0, right = 14.0, top = 34.0, bottom = 46.0

    init(id: String, title: String, xLabel: String, yLabel: String, x: ClosedRange<Double>, y: ClosedRange<Double>) {
        self.id = id
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x.lowerBound < x.upperBound ? x : x.lowerBound - 0.5 ... x.upperBound + 0.5
        self.y = y.lowerBound < y.upperBound ? y : y.lowerBound ... y.lowerBound + 1
    }

    func px(_ value: Double) -> Double {
        left + (value - x.lowerBound) / (x.upperBound - x.lowerBound) * (width - left - right)
    }

    func py(_ value: Double) -> Double {
        height - bottom - (value - y.lowerBound) / (y.upperBound - y.lowerBound) * (height - top - bottom)
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    mutating func addLine(_ points: [(Double, Double)], color: String, label: String?, dashed: Bool = false) {
        guard !points.isEmpty else { return }
        let path = points.map { "\(Self.f(px($0.0))),\(Self.f(py($0.1)))" }.joined(separator: " ")
        let dash = dashed ? " stroke-dasharray=\"5 4\"" : ""
        marks.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash) points=\"\(path)\"/>")
        if let label { legend.append((label, color)) }
    }

    /// Bars from the baseline (the bottom of the y range) to `height`, spanning `x0 ..< x1`.
    mutating func addBars(_ bars: [(x0: Double, x1: Double, height: Double)], color: String, label: String?, opacity: Double = 0.55) {
        for bar in bars where bar.height > y.lowerBound {
            let x0 = px(bar.x0), x1 = px(bar.x1), top = py(min(bar.height, y.upperBound)), base = py(y.lowerBound)
            marks.append(
                "<rect x=\"\(Self.f(x0))\" y=\"\(Self.f(top))\" width=\"\(Self.f(max(0.8, x1 - x0)))\" "
                    + "height=\"\(Self.f(base - top))\" fill=\"\(color)\" fill-opacity=\"\(opacity)\"/>"
            )
        }
        if let label { legend.append((label, color)) }
    }

    /// Round-number ticks: steps of 1, 2 or 5 × 10ⁿ, about five per axis.
    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / 5
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        var ticks: [Double] = []
        var value = (range.lowerBound / step).rounded(.up) * step
        while value <= range.upperBound + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    func svg() -> String {
        let e = HTMLText.escape
        var out = "<svg id=\"\(e(id))\" class=\"plot\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
        out += "role=\"img\" aria-label=\"\(e(title))\">"
        out += "<title>\(e(title))</title>"
        out += "<text x=\"\(Self.f(width / 2))\" y=\"20\" text-anchor=\"middle\" class=\"plot-title\">\(e(title))</text>"
        let plotBottom = py(y.lowerBound), plotTop = py(y.upperBound)
        for tick in Self.ticks(x) {
            let p = Self.f(px(tick))
            out += "<line x1=\"\(p)\" x2=\"\(p)\" y1=\"\(Self.f(plotTop))\" y2=\"\(Self.f(plotBottom))\" class=\"grid\"/>"
            out += "<text x=\"\(p)\" y=\"\(Self.f(plotBottom + 16))\" text-anchor=\"middle\" class=\"tick\">\(e(integerXTicks ? String(Int64(tick.rounded())) : HTMLText.compact(tick)))</text>"
        }
        for (value, label) in yTicks ?? Self.ticks(y).map({ ($0, HTMLText.compact($0)) }) {
            let p = Self.f(py(value))
            out += "<line x1=\"\(Self.f(left))\" x2=\"\(Self.f(width - right))\" y1=\"\(p)\" y2=\"\(p)\" class=\"grid\"/>"
            out += "<text x=\"\(Self.f(left - 6))\" y=\"\(p)\" dy=\"4\" text-anchor=\"end\" class=\"tick\">\(e(label))</text>"
        }
        out += "<rect x=\"\(Self.f(left))\" y=\"\(Self.f(plotTop))\" width=\"\(Self.f(width - left - right))\" "
        out += "height=\"\(Self.f(plotBottom - plotTop))\" class=\"frame\"/>"
        out += marks.joined()
        out += "<text x=\"\(Self.f((left + width - right) / 2))\" y=\"\(Self.f(height - 8))\" text-anchor=\"middle\" class=\"axis\">\(e(xLabel))</text>"
        out += "<text transform=\"translate(14 \(Self.f((plotTop + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\" class=\"axis\">\(e(yLabel))</text>"
        for (index, item) in legend.enumerated() {
            let ly = legendBelow
                ? plotBottom - 10 - Double(legend.count - 1 - index) * 16
                : plotTop + 14 + Double(index) * 16
            out += "<rect x=\"\(Self.f(width - right - 150))\" y=\"\(Self.f(ly - 9))\" width=\"12\" height=\"10\" fill=\"\(item.color)\"/>"
            out += "<text x=\"\(Self.f(width - right - 134))\" y=\"\(Self.f(ly))\" class=\"legend\">\(e(item.label))</text>"
        }
        return out + "</svg>"
    }
}
