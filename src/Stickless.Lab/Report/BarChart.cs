using System.Text;

namespace Stickless.Lab.Report;

/// <summary>A grouped bar chart as inline SVG: one group per category, one bar per series, values written above the bars.</summary>
internal static class BarChart
{
    private const int Height = 260;
    private const int Top = 34;
    private const int Bottom = 62;
    private const int Left = 56;
    private const int Right = 12;

    /// <summary>Renders the chart.</summary>
    public static string Render(string title, string unit, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, int width = 560, double minimumMax = 0)
    {
        var plotWidth = width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var max = Svg.NiceCeiling(Math.Max(minimumMax, series.SelectMany(static s => s.Values).DefaultIfEmpty(0).Max()));
        var svg = new StringBuilder();
        svg.Append($"<svg class=\"chart\" viewBox=\"0 0 {width} {Height}\" width=\"{width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Svg.Text(title)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append($"<text x=\"{Left}\" y=\"18\" class=\"title\">{Svg.Text(title)}</text>");

        for (var tick = 0; tick <= 4; tick++)
        {
            var value = max * tick / 4;
            var y = Top + plotHeight - (plotHeight * tick / 4.0);
            svg.Append($"<line x1=\"{Left}\" x2=\"{width - Right}\" y1=\"{Svg.N(y)}\" y2=\"{Svg.N(y)}\" class=\"grid\"/>");
            svg.Append($"<text x=\"{Left - 6}\" y=\"{Svg.N(y + 4)}\" class=\"axis\" text-anchor=\"end\">{Svg.Label(value)}</text>");
        }

        svg.Append($"<text x=\"12\" y=\"{Top + (plotHeight / 2)}\" class=\"axis\" transform=\"rotate(-90 12 {Top + (plotHeight / 2)})\" text-anchor=\"middle\">{Svg.Text(unit)}</text>");

        var groupWidth = categories.Count == 0 ? plotWidth : plotWidth / (double)categories.Count;
        var barWidth = Math.Min(48, groupWidth * 0.8 / Math.Max(1, series.Count));
        for (var c = 0; c < categories.Count; c++)
        {
            var groupLeft = Left + (c * groupWidth) + ((groupWidth - (barWidth * series.Count)) / 2);
            for (var s = 0; s < series.Count; s++)
            {
                var value = c < series[s].Values.Count ? series[s].Values[c] : 0;
                // A non-zero value stays visible beside values a thousand times larger.
                var barHeight = value > 0 ? Math.Max(3, plotHeight * value / max) : 0;
                var x = groupLeft + (s * barWidth);
                var y = Top + plotHeight - barHeight;
                svg.Append($"<rect x=\"{Svg.N(x + 1)}\" y=\"{Svg.N(y)}\" width=\"{Svg.N(barWidth - 2)}\" height=\"{Svg.N(Math.Max(barHeight, 0))}\" fill=\"{series[s].Color}\"><title>{Svg.Text($"{categories[c]} — {series[s].Name}: {Svg.Label(value)} {unit}")}</title></rect>");
                svg.Append($"<text x=\"{Svg.N(x + (barWidth / 2))}\" y=\"{Svg.N(y - 4)}\" class=\"value\" text-anchor=\"middle\">{Svg.Label(value)}</text>");
            }

            // "sticky + kill-node" goes on two lines, so that five runs fit side by side.
            var center = Svg.N(Left + (c * groupWidth) + (groupWidth / 2));
            var lines = categories[c].Split(" + ");
            svg.Append($"<text x=\"{center}\" y=\"{Top + plotHeight + 16}\" class=\"category\" text-anchor=\"middle\">");
            for (var l = 0; l < lines.Length; l++)
            {
                svg.Append($"<tspan x=\"{center}\" dy=\"{(l == 0 ? 0 : 13)}\">{Svg.Text(l == 0 ? lines[l] : "+ " + lines[l])}</tspan>");
            }

            svg.Append("</text>");
        }

        if (series.Count > 1)
        {
            var legendX = (double)Left;
            foreach (var s in series)
            {
                svg.Append($"<rect x=\"{Svg.N(legendX)}\" y=\"{Height - 16}\" width=\"10\" height=\"10\" fill=\"{s.Color}\"/>");
                svg.Append($"<text x=\"{Svg.N(legendX + 14)}\" y=\"{Height - 7}\" class=\"axis\">{Svg.Text(s.Name)}</text>");
                legendX += 24 + (s.Name.Length * 7);
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
