using System.Globalization;

namespace Stickless.Lab.Deployment;

/// <summary>Reads HAProxy's stats page as CSV (<c>/stats;csv</c>) for the servers of the Festa backend.</summary>
internal static class HaproxyStats
{
    /// <summary>The servers of <see cref="HaproxyConfiguration.BackendName"/>; empty when HAProxy does not answer.</summary>
    public static async Task<IReadOnlyList<HaproxyServerStats>> ReadAsync(HttpClient http, Uri statsUrl, CancellationToken cancellationToken)
    {
        try
        {
            var csv = await http.GetStringAsync(new Uri(statsUrl + ";csv"), cancellationToken).ConfigureAwait(false);
            return Parse(csv);
        }
        catch (HttpRequestException)
        {
            return [];
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    /// <summary>Parses the CSV: the first line (<c># pxname,svname,…</c>) names the columns.</summary>
    public static IReadOnlyList<HaproxyServerStats> Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || !lines[0].StartsWith('#'))
        {
            return [];
        }

        var header = lines[0].TrimStart('#', ' ').Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        int proxy = Column("pxname"), server = Column("svname"), status = Column("status"),
            current = Column("scur"), total = Column("req_tot") is >= 0 and var requests ? requests : Column("stot"),
            check = Column("check_status");
        var servers = new List<HaproxyServerStats>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',');
            string Field(int index) => index >= 0 && index < fields.Length ? fields[index] : string.Empty;
            if (Field(proxy) != HaproxyConfiguration.BackendName || Field(server) is "FRONTEND" or "BACKEND")
            {
                continue;
            }

            servers.Add(new HaproxyServerStats(
                Field(server),
                Field(status),
                long.TryParse(Field(current), NumberStyles.None, CultureInfo.InvariantCulture, out var scur) ? scur : 0,
                long.TryParse(Field(total), NumberStyles.None, CultureInfo.InvariantCulture, out var stot) ? stot : 0,
                Field(check)));
        }

        return servers;
    }
}
