using System.Globalization;

namespace Stickless.Redis.Connections;

public sealed partial class RedisConnectionOptions
{
    // Keys StackExchange.Redis strings often carry that change nothing here; accepted so that an existing
    // connection string works unchanged.
    private static readonly HashSet<string> IgnoredKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "allowAdmin", "keepAlive", "connectRetry", "resolveDns", "tiebreaker", "configCheckSeconds",
        "checkCertificateRevocation", "configChannel", "version", "sslProtocols",
    };

    /// <summary>
    /// Parses a StackExchange.Redis-style configuration string: comma-separated endpoints (<c>host</c>,
    /// <c>host:port</c>, <c>[::1]:port</c>) and <c>key=value</c> options (keys are case-insensitive):
    /// <c>password</c>, <c>user</c>, <c>ssl</c>, <c>sslHost</c>, <c>defaultDatabase</c>, <c>connectTimeout</c>,
    /// <c>syncTimeout</c>/<c>asyncTimeout</c>/<c>timeout</c> (ms), <c>serviceName</c> (Sentinel: the endpoints are
    /// then the sentinels), <c>sentinelPassword</c>, <c>cluster</c> (<c>true</c>|<c>false</c>|<c>auto</c>), <c>name</c>,
    /// <c>abortConnect</c>, <c>protocol</c> (<c>resp2</c>|<c>resp3</c>). A few StackExchange.Redis keys with no
    /// meaning here (<c>allowAdmin</c>, <c>keepAlive</c>, <c>connectRetry</c>…) are accepted and ignored.
    /// </summary>
    /// <exception cref="FormatException">Some parts are invalid; the message lists every one of them (never a password).</exception>
    public static RedisConnectionOptions Parse(string configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new RedisConnectionOptions();
        var errors = new List<string>();
        foreach (var rawPart in configuration.Split(','))
        {
            var part = rawPart.Trim();
            if (part.Length == 0) { continue; }
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (RedisEndpoint.TryParse(part, out var endpoint)) { options.Endpoints.Add(endpoint!); }
                else { errors.Add($"'{part}' is not an endpoint (host, host:port or [ipv6]:port)."); }
                continue;
            }
            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            ApplyOption(options, key, value, errors);
        }
        if (options.Endpoints.Count == 0) { errors.Add("No endpoint (host:port) is given."); }
        if (options.User is not null && options.Password is null) { errors.Add("'user' is given without 'password'."); }
        if (errors.Count > 0)
        {
            throw new FormatException($"Invalid Redis configuration: {string.Join(" ", errors)}");
        }
        return options;
    }

    /// <summary>Like <see cref="Parse"/>, but returns <see langword="false"/> with the list of errors instead of throwing.</summary>
    public static bool TryParse(string configuration, out RedisConnectionOptions? options, out string? error)
    {
        try
        {
            options = Parse(configuration);
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            options = null;
            error = ex.Message;
            return false;
        }
    }

    private static void ApplyOption(RedisConnectionOptions options, string key, string value, List<string> errors)
    {
        switch (key.ToUpperInvariant())
        {
            case "PASSWORD":
                options.Password = value;
                break;
            case "USER":
                options.User = value.Length == 0 ? null : value;
                break;
            case "SSL":
                if (bool.TryParse(value, out var ssl)) { options.Ssl = ssl; }
                else { errors.Add($"'ssl' must be true or false (was '{value}')."); }
                break;
            case "SSLHOST":
                options.SslHost = value.Length == 0 ? null : value;
                break;
            case "DEFAULTDATABASE":
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var db)) { options.DefaultDatabase = db; }
                else { errors.Add($"'defaultDatabase' must be a non-negative integer (was '{value}')."); }
                break;
            case "CONNECTTIMEOUT":
                if (TryParseMilliseconds(value, out var connect)) { options.ConnectTimeout = connect; }
                else { errors.Add($"'connectTimeout' must be a positive number of milliseconds (was '{value}')."); }
                break;
            case "SYNCTIMEOUT" or "ASYNCTIMEOUT" or "TIMEOUT":
                if (TryParseMilliseconds(value, out var command)) { options.CommandTimeout = command; }
                else { errors.Add($"'{key}' must be a positive number of milliseconds (was '{value}')."); }
                break;
            case "SERVICENAME":
                options.ServiceName = value.Length == 0 ? null : value;
                break;
            case "SENTINELPASSWORD":
                options.SentinelPassword = value.Length == 0 ? null : value;
                break;
            case "CLUSTER":
                if (bool.TryParse(value, out var cluster)) { options.Cluster = cluster; }
                else if (value.Equals("auto", StringComparison.OrdinalIgnoreCase)) { options.Cluster = null; }
                else { errors.Add($"'cluster' must be true, false or auto (was '{value}')."); }
                break;
            case "NAME":
                if (value.Any(char.IsWhiteSpace)) { errors.Add($"'name' must not contain spaces (was '{value}')."); }
                else { options.ClientName = value.Length == 0 ? null : value; }
                break;
            case "ABORTCONNECT":
                if (bool.TryParse(value, out var abort)) { options.AbortOnConnectFail = abort; }
                else { errors.Add($"'abortConnect' must be true or false (was '{value}')."); }
                break;
            case "PROTOCOL":
                switch (value.ToUpperInvariant())
                {
                    case "RESP2" or "2": options.Protocol = RedisProtocol.Resp2; break;
                    case "RESP3" or "3": options.Protocol = RedisProtocol.Resp3; break;
                    default: errors.Add($"'protocol' must be resp2 or resp3 (was '{value}')."); break;
                }
                break;
            default:
                if (!IgnoredKeys.Contains(key)) { errors.Add($"'{key}' is not a known option."); }
                break;
        }
    }

    private static bool TryParseMilliseconds(string value, out TimeSpan timeout)
    {
        var ok = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0;
        timeout = TimeSpan.FromMilliseconds(ok ? ms : 0);
        return ok;
    }
}
