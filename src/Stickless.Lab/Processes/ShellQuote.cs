namespace Stickless.Lab.Processes;

/// <summary>Quotes words for a POSIX shell, for command lines people copy from logs.</summary>
internal static class ShellQuote
{
    /// <summary>The word as is when it is safe, else in single quotes.</summary>
    public static string Quote(string word)
    {
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c, StringComparison.Ordinal)))
        {
            return word;
        }

        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
