using System.Globalization;

namespace Stickless.Lab.Bench;

/// <summary>
/// Reads <c>--name value</c> and <c>--name=value</c> options for the bench, chaos and report
/// commands, collecting every error rather than stopping at the first.
/// </summary>
internal sealed class ArgumentReader
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];

    /// <summary>Splits <paramref name="args"/>; anything not in <paramref name="known"/> (or <paramref name="flags"/>) is an error.</summary>
    /// <param name="args">The command line after the command.</param>
    /// <param name="known">Options that take a value.</param>
    /// <param name="flags">Options that take none (<c>--compare</c>); <c>--compare=false</c> turns one off.</param>
    public ArgumentReader(IReadOnlyList<string> args, IReadOnlyCollection<string> known, IReadOnlyCollection<string>? flags = null)
    {
        flags ??= [];
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                _errors.Add($"unexpected argument '{arg}'");
                continue;
            }

            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else if (flags.Contains(name))
            {
                value = "true";
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (!known.Contains(name) && !flags.Contains(name))
            {
                _errors.Add($"unknown option '--{name}' (known: {string.Join(", ", known.Concat(flags).Select(static k => "--" + k))})");
            }
            else if (value is null)
            {
                _errors.Add($"option '--{name}' needs a value");
            }
            else
            {
                _values[name] = value;
            }
        }
    }

    /// <summary>Every error found so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The option's text, or <paramref name="fallback"/>.</summary>
    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    /// <summary>The option's text, or null.</summary>
    public string? OptionalString(string name) => _values.GetValueOrDefault(name);

    /// <summary>A comma-separated list, or <paramref name="fallback"/>.</summary>
    public IReadOnlyList<string> List(string name, IReadOnlyList<string> fallback) =>
        _values.TryGetValue(name, out var text)
            ? [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : fallback;

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/>.</summary>
    public int Int(string name, int fallback, int min, int max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            _errors.Add($"--{name} must be a whole number from {min} to {max}, not '{text}'");
            return fallback;
        }

        return value;
    }

    /// <summary>A number within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/>.</summary>
    public double Double(string name, double fallback, double min, double max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            _errors.Add($"--{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'");
            return fallback;
        }

        return value;
    }

    /// <summary>A duration in seconds (<c>20</c>, <c>20s</c>, <c>1.5</c>) within bounds, or <paramref name="fallback"/>.</summary>
    public TimeSpan Seconds(string name, TimeSpan fallback, double minSeconds, double maxSeconds)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        var number = text.EndsWith('s') ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || seconds < minSeconds || seconds > maxSeconds)
        {
            _errors.Add($"--{name} must be a number of seconds from {minSeconds.ToString(CultureInfo.InvariantCulture)} to {maxSeconds.ToString(CultureInfo.InvariantCulture)}, not '{text}'");
            return fallback;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// A duration (<c>500ms</c>, <c>2s</c>, <c>1.5</c> for seconds) within bounds; null when the option is absent or
    /// invalid (then an error is recorded).
    /// </summary>
    public TimeSpan? Duration(string name, TimeSpan min, TimeSpan max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return null;
        }

        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || double.IsNaN(value) || value * scale < min.TotalSeconds || value * scale > max.TotalSeconds)
        {
            _errors.Add($"--{name} must be a duration from {Describe(min)} to {Describe(max)} (500ms, 2s or 1.5), not '{text}'");
            return null;
        }

        return TimeSpan.FromSeconds(value * scale);
    }

    /// <summary>A flag: true when given (<c>--name</c> or <c>--name=true</c>), false when absent or <c>--name=false</c>.</summary>
    public bool Flag(string name)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        _errors.Add($"--{name} takes no value (or true/false), not '{text}'");
        return false;
    }

    /// <summary>Adds an error found by the caller.</summary>
    public void AddError(string error) => _errors.Add(error);

    /// <summary>True when the option was given.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    private static string Describe(TimeSpan value) =>
        value < TimeSpan.FromSeconds(1)
            ? value.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + "ms"
            : value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
}
