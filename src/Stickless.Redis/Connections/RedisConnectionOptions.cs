using System.Globalization;
using System.Net.Security;
using System.Text;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// How to reach Redis. Usually parsed from a StackExchange.Redis-style string with <see cref="Parse"/>:
/// <c>host:port[,host2:port2],password=…,user=…,ssl=true,defaultDatabase=N,connectTimeout=ms,syncTimeout=ms,serviceName=…,name=…</c>.
/// </summary>
public sealed partial class RedisConnectionOptions
{
    /// <summary>The servers to try, in order. Standalone mode connects to the first that answers.</summary>
    public IList<RedisEndpoint> Endpoints { get; } = [];

    /// <summary>The ACL user (<c>user=</c>); <see langword="null"/> authenticates as <c>default</c> when a password is set.</summary>
    public string? User { get; set; }

    /// <summary>The password (<c>password=</c>); <see langword="null"/> sends no <c>AUTH</c>. Never printed by <see cref="ToString"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Connect with TLS (<c>ssl=true</c>). Default false.</summary>
    public bool Ssl { get; set; }

    /// <summary>The name the server's certificate must carry (<c>sslHost=</c>); default the endpoint's host.</summary>
    public string? SslHost { get; set; }

    /// <summary>
    /// Replaces the platform's certificate validation (not settable from the string). Default <see langword="null"/>:
    /// the certificate must chain to a trusted root and match the host.
    /// </summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    /// <summary>The database selected on every connection (<c>defaultDatabase=</c>). Default 0.</summary>
    public int DefaultDatabase { get; set; }

    /// <summary>The longest a connection attempt (TCP, TLS and the handshake) may take (<c>connectTimeout=</c> ms). Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest a command may wait for its reply, including any wait for a reconnect
    /// (<c>syncTimeout=</c>, <c>asyncTimeout=</c> or <c>timeout=</c> ms). Default 5 s.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The Sentinel service (master) name (<c>serviceName=</c>); <see langword="null"/> for a standalone server.
    /// When set, <see cref="Endpoints"/> are the sentinels, and the client connects to whichever server they
    /// report as the master of this name, following failovers (see the README, "High availability").
    /// </summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// The password the sentinels require (<c>sentinelPassword=</c>), sent with <c>AUTH</c> to each sentinel;
    /// <see langword="null"/> (the default) sends none. <see cref="Password"/> is for the master. Never printed.
    /// </summary>
    public string? SentinelPassword { get; set; }

    /// <summary>
    /// Redis Cluster mode (<c>cluster=true|false</c>): true routes every command by slot over the cluster's masters
    /// (<see cref="Endpoints"/> are seeds); false never does. <see langword="null"/> (the default) asks the first
    /// server (<c>INFO cluster</c>) and follows its answer. See the README, "Cluster".
    /// </summary>
    public bool? Cluster { get; set; }

    /// <summary>The client name set with <c>CLIENT SETNAME</c> (<c>name=</c>); shows in <c>CLIENT LIST</c>.</summary>
    public string? ClientName { get; set; }

    /// <summary>
    /// Whether <see cref="RedisClient.ConnectAsync(RedisConnectionOptions, Microsoft.Extensions.Logging.ILoggerFactory?, TimeProvider?, CancellationToken)"/>
    /// throws when the first connection fails (<c>abortConnect=</c>). Default true; when false the client starts
    /// anyway and keeps reconnecting in the background.
    /// </summary>
    public bool AbortOnConnectFail { get; set; } = true;

    /// <summary>The RESP version (<c>protocol=resp2|resp3</c>). Default <see cref="RedisProtocol.Resp2"/>.</summary>
    public RedisProtocol Protocol { get; set; } = RedisProtocol.Resp2;

    /// <summary>The longest pause between reconnect attempts (backoff doubles from 50 ms up to this, with jitter). Default 2 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Limits on replies (bulk size, nesting, line length). Default <see cref="RespReaderOptions.Default"/>.</summary>
    public RespReaderOptions Reader { get; set; } = RespReaderOptions.Default;

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Endpoints.Count == 0) { errors.Add("At least one endpoint (host:port) is required."); }
        if (DefaultDatabase < 0) { errors.Add($"{nameof(DefaultDatabase)} must not be negative (was {DefaultDatabase})."); }
        if (ConnectTimeout <= TimeSpan.Zero) { errors.Add($"{nameof(ConnectTimeout)} must be positive (was {ConnectTimeout})."); }
        if (CommandTimeout <= TimeSpan.Zero) { errors.Add($"{nameof(CommandTimeout)} must be positive (was {CommandTimeout})."); }
        if (ReconnectMaxDelay < TimeSpan.Zero) { errors.Add($"{nameof(ReconnectMaxDelay)} must not be negative (was {ReconnectMaxDelay})."); }
        if (User is not null && Password is null) { errors.Add($"{nameof(User)} is set but {nameof(Password)} is not."); }
        if (SentinelPassword is not null && ServiceName is null) { errors.Add($"{nameof(SentinelPassword)} is set but {nameof(ServiceName)} is not."); }
        if (Cluster == true && ServiceName is not null) { errors.Add($"{nameof(Cluster)} and {nameof(ServiceName)} exclude each other: Sentinel does not manage a Redis Cluster."); }
        if (Cluster == true && DefaultDatabase != 0) { errors.Add($"{nameof(DefaultDatabase)} must be 0 in Redis Cluster (was {DefaultDatabase})."); }
        if (!Enum.IsDefined(Protocol)) { errors.Add($"{nameof(Protocol)} must be Resp2 or Resp3 (was {Protocol})."); }
        Reader.Validate(errors);
    }

    /// <summary>Creates a copy (the endpoint list is copied too).</summary>
    public RedisConnectionOptions Clone()
    {
        var copy = new RedisConnectionOptions
        {
            User = User,
            Password = Password,
            Ssl = Ssl,
            SslHost = SslHost,
            CertificateValidation = CertificateValidation,
            DefaultDatabase = DefaultDatabase,
            ConnectTimeout = ConnectTimeout,
            CommandTimeout = CommandTimeout,
            ServiceName = ServiceName,
            Cluster = Cluster,
            SentinelPassword = SentinelPassword,
            ClientName = ClientName,
            AbortOnConnectFail = AbortOnConnectFail,
            Protocol = Protocol,
            ReconnectMaxDelay = ReconnectMaxDelay,
            Reader = Reader,
        };
        foreach (var endpoint in Endpoints) { copy.Endpoints.Add(endpoint); }
        return copy;
    }

    /// <summary>
    /// The configuration as a string <see cref="Parse"/> accepts, without the password (so it is safe to log).
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder(string.Join(',', Endpoints));
        void Add(string key, object? value)
        {
            if (value is not null) { text.Append(',').Append(key).Append('=').Append(string.Format(CultureInfo.InvariantCulture, "{0}", value)); }
        }
        Add("user", User);
        if (Ssl) { Add("ssl", "true"); }
        Add("sslHost", SslHost);
        if (DefaultDatabase != 0) { Add("defaultDatabase", DefaultDatabase); }
        Add("connectTimeout", (long)ConnectTimeout.TotalMilliseconds);
        Add("syncTimeout", (long)CommandTimeout.TotalMilliseconds);
        Add("serviceName", ServiceName);
        if (Cluster is { } cluster) { Add("cluster", cluster ? "true" : "false"); }
        Add("name", ClientName);
        if (!AbortOnConnectFail) { Add("abortConnect", "false"); }
        if (Protocol != RedisProtocol.Resp2) { Add("protocol", "resp3"); }
        return text.ToString();
    }
}
