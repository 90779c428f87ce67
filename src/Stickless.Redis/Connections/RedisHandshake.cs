using System.Globalization;
using System.Text;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Connections;

/// <summary>
/// What every new connection says before callers may use it: <c>HELLO 3</c> or <c>AUTH</c>,
/// <c>CLIENT SETNAME</c>, <c>SELECT</c>, and a <c>PING</c> that proves the server answers. The commands are
/// pipelined; the first error reply fails the connection with a message naming the step.
/// </summary>
internal static class RedisHandshake
{
    public static async Task RunAsync(RedisPhysicalConnection connection, RedisConnectionOptions options, CancellationToken cancellationToken)
    {
        var steps = new List<(string Step, Task<RespValue> Reply)>(4);
        if (options.Protocol == RedisProtocol.Resp3)
        {
            var hello = new List<ReadOnlyMemory<byte>> { Utf8("3") };
            if (options.Password is not null)
            {
                hello.AddRange([Utf8("AUTH"), Utf8(options.User ?? "default"), Utf8(options.Password)]);
            }
            if (options.ClientName is not null) { hello.AddRange([Utf8("SETNAME"), Utf8(options.ClientName)]); }
            steps.Add(("HELLO 3", connection.SendAsync("HELLO", [.. hello])));
        }
        else
        {
            if (options.Password is not null)
            {
                steps.Add(("AUTH", options.User is null
                    ? connection.SendAsync("AUTH", Utf8(options.Password))
                    : connection.SendAsync("AUTH", Utf8(options.User), Utf8(options.Password))));
            }
            if (options.ClientName is not null)
            {
                steps.Add(("CLIENT SETNAME", connection.SendAsync("CLIENT", Utf8("SETNAME"), Utf8(options.ClientName))));
            }
        }
        if (options.DefaultDatabase != 0)
        {
            steps.Add(("SELECT", connection.SendAsync("SELECT", Utf8(options.DefaultDatabase.ToString(CultureInfo.InvariantCulture)))));
        }
        steps.Add(("PING", connection.SendAsync("PING")));

        foreach (var (step, reply) in steps)
        {
            var value = await reply.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (value.IsError)
            {
                var error = new RedisServerException(value.ErrorMessage ?? string.Empty);
                var what = error.IsAuthenticationError || step == "AUTH" ? "Authentication" : step;
                throw new RedisConnectionException($"{what} failed on Redis {connection.Endpoint}: {error.Message}", error) { Endpoint = connection.Endpoint };
            }
        }
    }

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
