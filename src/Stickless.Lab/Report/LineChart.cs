using System.Text;

namespace Stickless.Lab.Report;

/// <summary>
/// A per-second line chart as inline SVG, with the unavailable seconds shaded and an optional
/// vertical marker (the moment a fault struck).
/// </summary>
internal static class LineChart
{
    private const int Height = 220;
    private const int Top = 30;
    private const int Bottom = 40;
    private const int Left = 56;
    private const int Right = 44;

    /// <summary>Renders the chart; <paramref name="unavailable"/> flags seconds to shade.</summary>
    public static string Render(
        string title,
        IReadOnlyList<ChartSeries> series,
        IReadOnlyList<bool> unavailable,
        double? markerAtSeconds,
        string? markerLabel,
        int width = 560)
    {
        var plotWidth = width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var seconds = Math.Max(1, series.Select(static s => s.Values.Count).DefaultIfEmpty(0).Max());
        // Counts per second: an axis of at least 0–4 keeps the ticks whole numbers.
        var max = Svg.NiceCeiling(Math.Max(4, series.Where(static s => !s.RightAxis).SelectMany(static s => s.Values).DefaultIfEmpty(0).Max()));
        var rightMax = Svg.NiceCeiling(Math.Max(4, series.Where(static s => s.RightAxis).SelectMany(static s => s.Values).DefaultIfEmpty(0).Max()));
        var hasRight = series.Any(static s => s.RightAxis);
        double X(double second) => Left + (plotWidth * second / seconds);
        double Y(double value) => Top + plotHeight - (plotHeight * value / max);
        double YRight(double value) => Top + plotHeight - (plotHeight * value / rightMax);

        var svg = new StringBuilder();
        svg.Append($"<svg class=\"chart\" viewBox=\"0 0 {width} {Height}\" width=\"{width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Svg.Text(title)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append($"<text x=\"{Left}\" y=\"18\" class=\"title\">{Svg.Text(title)}</text>");

        for (var i = 0; i < unavailable.Count && i < seconds; i++)
        {
            if (unavailable[i])
            {
                svg.Append($"<rect x=\"{Svg.N(X(i))}\" y=\"{Top}\" width=\"{Svg.N(X(i + 1) - X(i))}\" height=\"{plotHeight}\" class=\"unavailable\"><title>second {i}: unavailable</title></rect>");
            }
        }

        for (var tick = 0; tick <= 4; tick++)
        {
            var value = max * tick / 4;
            svg.Append($"<line x1=\"{Left}\" x2=\"{width - Right}\" y1=\"{Svg.N(Y(value))}\" y2=\"{Svg.N(Y(value))}\" class=\"grid\"/>");
            svg.Append($"<text x=\"{Left - 6}\" y=\"{Svg.N(Y(value) + 4)}\" class=\"axis\" text-anchor=\"end\">{Svg.Label(value)}</text>");
            if (hasRight)
            {
                var rightValue = rightMax * tick / 4;
                svg.Append($"<text x=\"{width - Right + 6}\" y=\"{Svg.N(YRight(rightValue) + 4)}\" class=\"axis right\">{Svg.Label(rightValue)}</text>");
            }
        }

        var step = seconds <= 20 ? 2 : seconds <= 60 ? 5 : 10;
        for (var s = 0; s <= seconds; s += step)
        {
            svg.Append($"<text x=\"{Svg.N(X(s))}\" y=\"{Top + plotHeight + 16}\" class=\"axis\" text-anchor=\"middle\">{s}s</text>");
        }

        foreach (var s in series)
        {
            // Each value is plotted in the middle of its second.
            var points = string.Join(' ', s.Values.Select((v, i) => $"{Svg.N(X(i + 0.5))},{Svg.N(s.RightAxis ? YRight(v) : Y(v))}"));
            svg.Append($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\"><title>{Svg.Text(s.Name)}</title></polyline>");
        }

        if (markerAtSeconds is { } at)
        {
            var x = Svg.N(X(Math.Clamp(at, 0, seconds)));
            svg.Append($"<line x1=\"{x}\" x2=\"{x}\" y1=\"{Top}\" y2=\"{Top + plotHeight}\" class=\"marker\"/>");
            svg.Append($"<text x=\"{Svg.N(X(Math.Clamp(at, 0, seconds)) + 4)}\" y=\"{Top + 10}\" class=\"marker-label\">{Svg.Text(markerLabel ?? "fault")}</text>");
        }

        var legendX = (double)Left;
        foreach (var s in series)
        {
            svg.Append($"<rect x=\"{Svg.N(legendX)}\" y=\"{Height - 14}\" width=\"10\" height=\"10\" fill=\"{s.Color}\"/>");
            svg.Append($"<text x=\"{Svg.N(legendX + 14)}\" y=\"{Height - 5}\" class=\"axis\">{Svg.Text(s.Name)}</text>");
            legendX += 24 + (s.Name.Length * 7);
        }

        if (hasRight)
        {
            svg.Append($"<text x=\"{width - 4}\" y=\"{Top - 8}\" class=\"axis\" text-anchor=\"end\">right axis: {Svg.Text(string.Join(", ", series.Where(static s => s.RightAxis).Select(static s => s.Name)))}</text>");
        }

        if (unavailable.Any(static u => u))
        {
            svg.Append($"<rect x=\"{Svg.N(legendX)}\" y=\"{Height - 14}\" width=\"10\" height=\"10\" class=\"unavailable\"/>");
            svg.Append($"<text x=\"{Svg.N(legendX + 14)}\" y=\"{Height - 5}\" class=\"axis\">unavailable</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
