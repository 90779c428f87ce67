namespace Stickless.Lab.Report;

/// <summary>One named, coloured series of a chart.</summary>
/// <param name="Name">The legend text.</param>
/// <param name="Color">A CSS colour.</param>
/// <param name="Values">One value per category (bar chart) or per second (line chart).</param>
/// <param name="RightAxis">Line charts: plot against the right-hand axis (small counts beside large rates).</param>
internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<double> Values, bool RightAxis = false);
