using System.Globalization;
using System.Text;

namespace Stickless.Lab.Report;

/// <summary>
/// A line chart of one figure against the number of nodes (x: N), one line per strategy, as inline SVG: how a cost grows
/// (or does not) as the cluster grows.
/// </summary>
internal static class NodeCountChart
{
    private const int Width = 600;
    private const int Height = 240;
    private const int Top = 30;
    private const int Bottom = 44;
    private const int Left = 64;
    private const int Right = 190;

    /// <summary>Renders the chart; each series is (strategy name, colour, points (N, value)).</summary>
    public static string Render(string title, string unit, IReadOnlyList<(string Name, string Color, IReadOnlyList<(int Nodes, double Value)> Points)> series)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var nodes = series.SelectMany(static s => s.Points).Select(static p => p.Nodes).ToList();
        var minN = nodes.DefaultIfEmpty(1).Min();
        var maxN = Math.Max(minN + 1, nodes.DefaultIfEmpty(2).Max());
        var max = Svg.NiceCeiling(series.SelectMany(static s => s.Points).Select(static p => p.Value).DefaultIfEmpty(1).Max());
        double X(int n) => Left + (plotWidth * (n - minN) / (double)(maxN - minN));
        double Y(double value) => Top + plotHeight - (plotHeight * value / max);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Svg.Text(title)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" class=\"title\">{Svg.Text(title)}</text>");
        for (var i = 0; i <= 4; i++)
        {
            var value = max * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{Svg.N(Y(value))}\" y2=\"{Svg.N(Y(value))}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left - 6}\" y=\"{Svg.N(Y(value) + 4)}\" text-anchor=\"end\">{Svg.Label(value)}</text>");
        }

        foreach (var n in nodes.Distinct().Order())
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Svg.N(X(n))}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{n}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left + plotWidth / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\">nodes (N)</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"12\" y=\"{Top + plotHeight / 2}\" transform=\"rotate(-90 12 {Top + plotHeight / 2})\" text-anchor=\"middle\">{Svg.Text(unit)}</text>");
        var legendY = Top + 10;
        foreach (var (name, color, points) in series)
        {
            var ordered = points.OrderBy(static p => p.Nodes).ToList();
            var path = string.Join(' ', ordered.Select(p => $"{Svg.N(X(p.Nodes))},{Svg.N(Y(p.Value))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{path}\"/>");
            foreach (var (n, value) in ordered)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Svg.N(X(n))}\" cy=\"{Svg.N(Y(value))}\" r=\"3\" fill=\"{color}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{Svg.N(X(n))}\" y=\"{Svg.N(Y(value) - 7)}\" text-anchor=\"middle\">{Svg.Label(value)}</text>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + plotWidth + 12}\" y=\"{legendY - 9}\" width=\"10\" height=\"10\" fill=\"{color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"category\" x=\"{Left + plotWidth + 26}\" y=\"{legendY}\">{Svg.Text(name)}</text>");
            legendY += 18;
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
