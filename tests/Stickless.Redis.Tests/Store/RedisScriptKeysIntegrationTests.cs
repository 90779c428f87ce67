using System.Diagnostics;
using System.Globalization;
using System.Text;
using static Stickless.Redis.Tests.Store.StoreTestData;

namespace Stickless.Redis.Tests.Store;

/// <summary>
/// Every key a script touches is one it declared in KEYS (Redis's rule for scripts; Redis Cluster depends on it, and
/// standalone Redis does not check it). Checked on the server: MONITOR shows each EVALSHA with its keys and every
/// command the script ran; COMMAND GETKEYS says which arguments of those commands are keys.
/// </summary>
public sealed class RedisScriptKeysIntegrationTests(RedisStoreServer server) : IClassFixture<RedisStoreServer>
{
    [Fact]
    public async Task EveryOperation_KeysTouchedByTheScript_AreDeclared()
    {
        await using var store = server.CreateStore(o => o.SweepBatchSize = 50);
        await using var other = server.CreateStore();
        var monitor = Process.Start(new ProcessStartInfo("redis-cli") { ArgumentList = { "-p", server.Server.Port.ToString(CultureInfo.InvariantCulture), "MONITOR" }, RedirectStandardOutput = true, UseShellExecute = false })!;
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await monitor.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
        try
        {
            Assert.True(await EventuallyAsync(async () => { await server.CliAsync("PING"); lock (lines) { return lines.Count > 0; } }, TimeSpan.FromSeconds(10)));
            await RunEveryOperationAsync(store, other);
        }
        finally
        {
            monitor.Kill();
            await monitor.WaitForExitAsync();
            await reading;
        }

        var undeclared = new List<string>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var scripts = 0;
        var keysChecked = 0;
        foreach (var line in lines)
        {
            var words = Words(line);
            if (words.Count == 0)
            {
                continue;
            }

            if (!line.Contains(" lua] ", StringComparison.Ordinal))
            {
                if (words[0].Equals("EVALSHA", StringComparison.OrdinalIgnoreCase) || words[0].Equals("EVAL", StringComparison.OrdinalIgnoreCase))
                {
                    scripts++;
                    var count = int.Parse(words[2], CultureInfo.InvariantCulture);
                    declared = new HashSet<string>(words.Skip(3).Take(count), StringComparer.Ordinal);
                }

                continue;
            }

            foreach (var key in await KeysOfAsync(words))
            {
                keysChecked++;
                if (!declared.Contains(key))
                {
                    undeclared.Add($"{string.Join(' ', words)} touches {key}");
                }
            }
        }

        Assert.True(scripts >= 15, $"only {scripts} scripts were seen");
        Assert.True(keysChecked >= 40, $"only {keysChecked} keys of commands run by scripts were checked");
        Assert.Empty(undeclared);
    }

    private static async Task RunEveryOperationAsync(RedisSessionStore store, RedisSessionStore other)
    {
        var id = SessionIds.Create();
        var renamed = SessionIds.Create();
        await store.CommitAsync(Create(id, principal: "kim", attributes: [("cart", "[1]")]), default);
        await store.LoadAsync(id, AlwaysTouch, default);
        await store.CommitAsync(Set(id, "cart", "[2]", expectedVersion: 1), default);
        await store.CommitAsync(Set(id, "cart", "[3]", expectedVersion: 99), default); // conflict
        await store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, Attributes = new Dictionary<string, AttributeChange> { ["n"] = AttributeChange.Increment(1), ["s"] = AttributeChange.AddToSet(Bytes("1")) } }, default);
        await store.CommitAsync(new SessionChangeSet { SessionId = id, Now = DateTimeOffset.UtcNow, NewSessionId = renamed, SetsPrincipal = true, Principal = "lee", RotationGrace = TimeSpan.FromSeconds(30) }, default);
        await other.CommitAsync(Set(id, "late", "1"), default); // through the alias, on a node that never saw the principal
        await other.CommitAsync(new SessionChangeSet { SessionId = renamed, Now = DateTimeOffset.UtcNow, SetsPrincipal = true, Principal = null }, default); // sign-out
        await other.CommitAsync(new SessionChangeSet { SessionId = renamed, Now = DateTimeOffset.UtcNow, SetsPrincipal = true, Principal = "mo", ClearAttributes = true }, default);
        await store.FindByPrincipalAsync("mo", default);
        await store.DeleteAsync(id, default); // through the alias, principal unknown to this node

        var expiring = SessionIds.Create();
        await store.CommitAsync(Create(expiring, idle: TimeSpan.FromMilliseconds(50), principal: "ned"), default);
        await Task.Delay(200);
        await store.SweepAsync(); // due.lua, then sweep.lua with every member's keys
    }

    private async Task<IReadOnlyList<string>> KeysOfAsync(List<string> words)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-p", server.Server.Port.ToString(CultureInfo.InvariantCulture), "COMMAND", "GETKEYS", .. words])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        // A command without key arguments (TIME, PUBLISH) answers an error: no keys.
        return output.StartsWith("ERR", StringComparison.Ordinal) || output.StartsWith("(error)", StringComparison.Ordinal)
            ? []
            : output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    // A MONITOR line: <time> [<db> <client>] "word" "word" …, words quoted with C escapes (\" \\ \n \xNN).
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var close = line.IndexOf("] ", StringComparison.Ordinal);
        if (close < 0)
        {
            return words;
        }

        var bytes = new List<byte>();
        var inWord = false;
        for (var i = close + 2; i < line.Length; i++)
        {
            var c = line[i];
            if (!inWord)
            {
                inWord = c == '"';
                continue;
            }

            if (c == '"')
            {
                words.Add(Encoding.UTF8.GetString([.. bytes]));
                bytes.Clear();
                inWord = false;
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                var next = line[++i];
                if (next == 'x' && i + 2 < line.Length)
                {
                    bytes.Add(byte.Parse(line.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                }
                else
                {
                    bytes.Add((byte)(next switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'a' => '\a', 'b' => '\b', _ => next }));
                }
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        return words;
    }
}
