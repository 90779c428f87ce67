using System.Globalization;
using System.Net;

namespace Stickless.Lab.Report;

/// <summary>Small helpers shared by the inline SVG charts.</summary>
internal static class Svg
{
    /// <summary>Invariant, compact number for SVG attributes.</summary>
    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Text escaped for SVG/HTML.</summary>
    public static string Text(string value) => WebUtility.HtmlEncode(value);

    /// <summary>A label for a value: thousands separated, at most one decimal below 100.</summary>
    public static string Label(double value) => value switch
    {
        0 => "0",
        >= 100 => value.ToString("#,0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.#", CultureInfo.InvariantCulture),
    };

    /// <summary>A "nice" upper bound for an axis (1, 2, 4, 8 × 10^n: quarters stay round) at or above <paramref name="max"/>.</summary>
    public static double NiceCeiling(double max)
    {
        if (max <= 0 || double.IsNaN(max))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in (ReadOnlySpan<double>)[1, 2, 4, 8, 10])
        {
            if (step * magnitude >= max)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }
}
